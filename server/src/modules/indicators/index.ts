import type { App } from '../../platform/http.js';
import { createIndicatorsRepo } from './indicators.repo.js';
import { registerIndicatorRoutes } from './indicators.routes.js';
import { createIndicatorsService } from './indicators.service.js';

/** What the indicator routes are created from: their service's narrow dependencies, less their own repo. */
export type IndicatorsModuleDeps = Omit<Parameters<typeof createIndicatorsService>[0], 'indicatorsRepo'>;

/** The indicators computed from operations (`/api/assessment/indicators`): reads the registry the modules filled. */
export function createIndicatorsModule(deps: IndicatorsModuleDeps) {
  const indicatorsService = createIndicatorsService({ ...deps, indicatorsRepo: createIndicatorsRepo() });
  return { name: 'indicators', indicatorsService, registerRoutes: (app: App) => registerIndicatorRoutes(app, { indicatorsService }) };
}
