import type { App } from '../../platform/http.js';
import type { IndicatorSink } from '../../platform/indicators.js';
import { registerPerformanceIndicators } from './performance.indicators.js';
import { createPerformanceRepo } from './performance.repo.js';
import { registerPerformanceRoutes } from './performance.routes.js';
import { createPerformanceService } from './performance.service.js';

/** What the performance figures are created from: their service's narrow dependencies, less their own repo, and where their indicators go. */
export type PerformanceModuleDeps = Omit<Parameters<typeof createPerformanceService>[0], 'performanceRepo'> & { indicators: IndicatorSink };

/** Ranger performance (考核): monthly and yearly figures per ranger and unit, their export, and the patrol network's indicators. */
export function createPerformanceModule({ indicators, ...deps }: PerformanceModuleDeps) {
  const performanceService = createPerformanceService({ ...deps, performanceRepo: createPerformanceRepo() });
  registerPerformanceIndicators(indicators, performanceService);
  return {
    name: 'performance',
    performanceService,
    registerRoutes: (app: App) => registerPerformanceRoutes(app, { performanceService }),
  };
}
