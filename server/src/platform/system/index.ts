import type { App } from '../http.js';
import { registerSystemRoutes } from './system.routes.js';

/** Health, public settings and the API document: the routes a client reads before anything else. */
export function createSystemModule(deps: Parameters<typeof registerSystemRoutes>[1]) {
  return { name: 'system', registerRoutes: (app: App) => registerSystemRoutes(app, deps) };
}
