import type { App } from '../http.js';
import { createSystemRepo } from './system.repo.js';
import { registerSystemRoutes } from './system.routes.js';

/** Health, public settings and the API document: the routes a client reads before anything else. */
export function createSystemModule(deps: Omit<Parameters<typeof registerSystemRoutes>[1], 'systemRepo'>) {
  const systemRepo = createSystemRepo();
  return { name: 'system', registerRoutes: (app: App) => registerSystemRoutes(app, { ...deps, systemRepo }) };
}
