import type { App } from '../../platform/http.js';
import { createAlertsRepo } from './alerts.repo.js';
import { registerAlertRoutes } from './alerts.routes.js';
import { createAlertsService } from './alerts.service.js';

/** What alerts are created from: their service's narrow dependencies, less their own repo. */
export type AlertsModuleDeps = Omit<Parameters<typeof createAlertsService>[0], 'alertsRepo'>;

/** Alerts (告警) and the analyzer thresholds; the repo is handed on to the position network, which raises alerts. */
export function createAlertsModule(deps: AlertsModuleDeps) {
  const alertsRepo = createAlertsRepo();
  const alertsService = createAlertsService({ ...deps, alertsRepo });
  return { name: 'alerts', alertsRepo, alertsService, registerRoutes: (app: App) => registerAlertRoutes(app, { alertsService }) };
}
