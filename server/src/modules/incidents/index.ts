import type { App } from '../../platform/http.js';
import { createIncidentsRepo } from './incidents.repo.js';
import { registerIncidentRoutes } from './incidents.routes.js';
import { createIncidentsService } from './incidents.service.js';

/** What incidents are created from: their service's narrow dependencies, less their own repo. */
export type IncidentsModuleDeps = Omit<Parameters<typeof createIncidentsService>[0], 'incidentsRepo'>;

/**
 * Incidents (警情/事件): the service is handed to every source (it is their `IncidentOpener`) and
 * to the dispatch module (`advanceIn`, `timelineIn`, `findInScope`, `getIn`).
 */
export function createIncidentsModule(deps: IncidentsModuleDeps) {
  const incidentsService = createIncidentsService({ ...deps, incidentsRepo: createIncidentsRepo() });
  return { name: 'incidents', incidentsService, registerRoutes: (app: App) => registerIncidentRoutes(app, { incidentsService }) };
}
