import type { App } from '../../platform/http.js';
import { createCheckinsRepo } from './checkins.repo.js';
import { createCheckinsService } from './checkins.service.js';
import { createPatrolsRepo } from './patrols.repo.js';
import { registerPatrolRoutes } from './patrols.routes.js';
import { createPatrolsService } from './patrols.service.js';
import { createPlansRepo } from './plans.repo.js';
import { createPlansService } from './plans.service.js';

type Own = 'patrolsRepo' | 'checkinsRepo' | 'plansRepo';
/** What patrols, check-ins and plans are created from: the union of their services' narrow dependencies, less their own repos. */
export type PatrolsModuleDeps = Omit<
  Parameters<typeof createPatrolsService>[0] & Parameters<typeof createCheckinsService>[0] & Parameters<typeof createPlansService>[0],
  Own
>;

/**
 * Patrols (巡护) with two sub-modules that share its tables and its repo: check-ins at check-in
 * points (`checkins.*`) and patrol plans with their compliance (`plans.*`). See
 * docs/architecture.md for why they are one module.
 */
export function createPatrolsModule({ db, orgRepo, runChange, trackRules, now }: PatrolsModuleDeps) {
  const patrolsRepo = createPatrolsRepo();
  const patrolsService = createPatrolsService({ db, patrolsRepo, orgRepo, runChange, trackRules, now });
  const checkinsService = createCheckinsService({ db, checkinsRepo: createCheckinsRepo(), patrolsRepo, orgRepo, runChange });
  const plansService = createPlansService({ db, plansRepo: createPlansRepo(), orgRepo, runChange });
  return {
    name: 'patrols',
    patrolsRepo,
    patrolsService,
    checkinsService,
    plansService,
    registerRoutes: (app: App) => registerPatrolRoutes(app, { patrolsService, checkinsService, plansService }),
  };
}
