import type { App } from '../../platform/http.js';
import type { IndicatorSink } from '../../platform/indicators.js';
import { registerIncidentIndicators } from './incidents.indicators.js';
import { createIncidentsRepo } from './incidents.repo.js';
import { registerIncidentRoutes } from './incidents.routes.js';
import { createIncidentsService } from './incidents.service.js';

/** What incidents are created from: their service's narrow dependencies, less their own repo, and where their indicators go. */
export type IncidentsModuleDeps = Omit<Parameters<typeof createIncidentsService>[0], 'incidentsRepo'> & { indicators: IndicatorSink };

/**
 * Incidents (警情/事件): the service is handed to every source (it is their `IncidentOpener`) and
 * to the dispatch module (`advanceIn`, `timelineIn`, `findInScope`, `getIn`).
 */
export function createIncidentsModule({ indicators, ...deps }: IncidentsModuleDeps) {
  const incidentsRepo = createIncidentsRepo();
  const incidentsService = createIncidentsService({ ...deps, incidentsRepo });
  registerIncidentIndicators(indicators, incidentsRepo);
  return { name: 'incidents', incidentsService, registerRoutes: (app: App) => registerIncidentRoutes(app, { incidentsService }) };
}
