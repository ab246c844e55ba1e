import type { App } from '../../platform/http.js';
import { createRangersRepo } from './rangers.repo.js';
import { registerRangerRoutes } from './rangers.routes.js';
import { createRangersService } from './rangers.service.js';

/** What the ranger register is created from: its service's narrow dependencies, less its own repo. */
export type RangersModuleDeps = Omit<Parameters<typeof createRangersService>[0], 'rangersRepo'>;

/** The ranger register (护林员): its service and its `/api/rangers` routes; the repo is handed to positions (a ranger in scope). */
export function createRangersModule(deps: RangersModuleDeps) {
  const rangersRepo = createRangersRepo();
  const rangersService = createRangersService({ ...deps, rangersRepo });
  return { name: 'rangers', rangersRepo, rangersService, registerRoutes: (app: App) => registerRangerRoutes(app, { rangersService }) };
}
