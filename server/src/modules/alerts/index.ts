import type { App } from '../../platform/http.js';
import type { IndicatorSink } from '../../platform/indicators.js';
import type { OwnedSetting } from '../../platform/settings/index.js';
import { registerAlertIndicators } from './alerts.indicators.js';
import { createAlertsRepo } from './alerts.repo.js';
import { registerAlertRoutes } from './alerts.routes.js';
import { AnalyzerSettings } from './alerts.schema.js';
import { createAlertsService } from './alerts.service.js';

/** What alerts are created from: their service's narrow dependencies, less their own repo, and where their indicators go. */
export type AlertsModuleDeps = Omit<Parameters<typeof createAlertsService>[0], 'alertsRepo'> & { indicators: IndicatorSink };

/**
 * Alerts (告警) and the analyzer thresholds; the repo is handed on to the position network, which
 * raises alerts, and the thresholds to the settings routes (`platform/settings`).
 */
export function createAlertsModule({ indicators, ...deps }: AlertsModuleDeps) {
  const alertsRepo = createAlertsRepo();
  const alertsService = createAlertsService({ ...deps, alertsRepo });
  registerAlertIndicators(indicators, alertsRepo);
  const analyzerSettings: OwnedSetting = {
    schema: AnalyzerSettings,
    settings: alertsService.settings,
    updateSettings: alertsService.updateSettings,
  };
  return {
    name: 'alerts',
    alertsRepo,
    alertsService,
    analyzerSettings,
    registerRoutes: (app: App) => registerAlertRoutes(app, { alertsService }),
  };
}
