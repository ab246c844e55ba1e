import type { App } from '../http.js';
import { createAuthRepo } from './auth.repo.js';
import { registerAuthRoutes } from './auth.routes.js';
import { createAuthService } from './auth.service.js';

/** What sign-in and accounts are created from: the service's narrow dependencies less its repo, and the cookie setting. */
export type AuthModuleDeps = Omit<Parameters<typeof createAuthService>[0], 'authRepo'> &
  Pick<Parameters<typeof registerAuthRoutes>[1], 'cookieSecure'>;

/** Sign-in, sessions and accounts; `authService.actorOfSession` is what the access hook and the live socket use. */
export function createAuthModule({ cookieSecure, ...deps }: AuthModuleDeps) {
  const authService = createAuthService({ ...deps, authRepo: createAuthRepo() });
  return { name: 'auth', authService, registerRoutes: (app: App) => registerAuthRoutes(app, { authService, cookieSecure }) };
}
