import type { App } from '../../platform/http.js';
import { createPlansRepo } from './plans.repo.js';
import { registerPlanRoutes } from './plans.routes.js';
import { createPlansService } from './plans.service.js';

/** What emergency plans are created from: their service's narrow dependencies, less their own repo. */
export type PlansModuleDeps = Omit<Parameters<typeof createPlansService>[0], 'plansRepo'>;

/**
 * Emergency plans (应急预案) and their activation on incidents. Created after incidents and
 * notifications, whose services it uses; it follows notification outcomes into incident timelines.
 */
export function createPlansModule(deps: PlansModuleDeps) {
  const plansService = createPlansService({ ...deps, plansRepo: createPlansRepo() });
  return { name: 'plans', plansService, registerRoutes: (app: App) => registerPlanRoutes(app, { plansService }) };
}
