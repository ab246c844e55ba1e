import type { App } from '../../platform/http.js';
import { registerPositionRoutes } from './positions.routes.js';
import { createPositionsService } from './positions.service.js';

/** The app creates the repo first: the position network (ingest, above modules) writes through it before the service exists. */
export { createPositionsRepo } from './positions.repo.js';
export { createPositionStore } from './positions.service.js';

/** What positions are created from: the service's narrow dependencies (its repo included, see above). */
export type PositionsModuleDeps = Parameters<typeof createPositionsService>[0];

/** Positions (定位): device history, the live picture, and the ranger page's own fixes and SOS. */
export function createPositionsModule(deps: PositionsModuleDeps) {
  const positionsService = createPositionsService(deps);
  return { name: 'positions', positionsService, registerRoutes: (app: App) => registerPositionRoutes(app, { positionsService }) };
}
