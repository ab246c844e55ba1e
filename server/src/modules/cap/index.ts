import type { App } from '../../platform/http.js';
import { createCapRepo } from './cap.repo.js';
import { registerCapRoutes } from './cap.routes.js';
import { createCapService } from './cap.service.js';

/** What CAP publishing is created from: its service's narrow dependencies, less its own repo. */
export type CapModuleDeps = Omit<Parameters<typeof createCapService>[0], 'capRepo'>;

/** CAP 1.2 out: public warnings of incidents, their messages and the Atom feed of current alerts. */
export function createCapModule(deps: CapModuleDeps) {
  const capService = createCapService({ ...deps, capRepo: createCapRepo() });
  return { name: 'cap', capService, registerRoutes: (app: App) => registerCapRoutes(app, { capService }) };
}
