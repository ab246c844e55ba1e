import type { App } from '../../platform/http.js';
import { createGoalsRepo } from './goals.repo.js';
import { registerGoalRoutes } from './goals.routes.js';
import { createGoalsService } from './goals.service.js';

export { DEFAULT_GOAL_MEASURES } from './goals.defaults.js';
export { createGoalsRepo } from './goals.repo.js';

/** What the goals dashboard is created from: its service's narrow dependencies, less its own repo. */
export type GoalsModuleDeps = Omit<Parameters<typeof createGoalsService>[0], 'goalsRepo'>;

/**
 * The goals dashboard (创建目标, notice clauses 一 and 二): goal measures kept by the city office,
 * figures computed through the indicator registry or entered with their source, trends over years.
 */
export function createGoalsModule(deps: GoalsModuleDeps) {
  const goalsService = createGoalsService({ ...deps, goalsRepo: createGoalsRepo() });
  return { name: 'goals', goalsService, registerRoutes: (app: App) => registerGoalRoutes(app, { goalsService }) };
}
