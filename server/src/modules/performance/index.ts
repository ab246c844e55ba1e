import type { App } from '../../platform/http.js';
import { createPerformanceRepo } from './performance.repo.js';
import { registerPerformanceRoutes } from './performance.routes.js';
import { createPerformanceService } from './performance.service.js';

/** What the performance figures are created from: their service's narrow dependencies, less their own repo. */
export type PerformanceModuleDeps = Omit<Parameters<typeof createPerformanceService>[0], 'performanceRepo'>;

/** Ranger performance (考核): monthly figures per ranger and unit, and their export. */
export function createPerformanceModule(deps: PerformanceModuleDeps) {
  const performanceService = createPerformanceService({ ...deps, performanceRepo: createPerformanceRepo() });
  return {
    name: 'performance',
    performanceService,
    registerRoutes: (app: App) => registerPerformanceRoutes(app, { performanceService }),
  };
}
