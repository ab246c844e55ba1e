import type { App } from '../../platform/http.js';
import type { IndicatorSink } from '../../platform/indicators.js';
import { registerStationStandardIndicators } from './station-standards.indicators.js';
import { createStationStandardsRepo } from './station-standards.repo.js';
import { registerStationStandardRoutes } from './station-standards.routes.js';
import { createStationStandardsService } from './station-standards.service.js';

export { createStationStandardsRepo } from './station-standards.repo.js';
export { SAMPLE_CHECKLIST } from './station-standards.sample.js';

/** What the "五化" module is created from: its service's narrow dependencies, less its own repo, and where its indicator goes. */
export type StationStandardsModuleDeps = Omit<Parameters<typeof createStationStandardsService>[0], 'stationStandardsRepo'> & {
  indicators: IndicatorSink;
};

/**
 * The "五化" standard of forest police stations (notice clause 八): the city's checklist per year,
 * each station's self-rating with evidence, the county's review and level, the dashboard, and the
 * `police_station_standard_rate` indicator.
 */
export function createStationStandardsModule({ indicators, ...deps }: StationStandardsModuleDeps) {
  const stationStandardsRepo = createStationStandardsRepo();
  const stationStandardsService = createStationStandardsService({ ...deps, stationStandardsRepo });
  registerStationStandardIndicators(indicators, stationStandardsRepo);
  return {
    name: 'station-standards',
    stationStandardsService,
    registerRoutes: (app: App) => registerStationStandardRoutes(app, { stationStandardsService }),
  };
}
