import type { App } from '../../platform/http.js';
import type { IndicatorSink } from '../../platform/indicators.js';
import type { OwnedSetting } from '../../platform/settings/index.js';
import { registerHotspotIndicators } from './hotspots.indicators.js';
import { createHotspotPoller } from './hotspots.poller.js';
import { createHotspotsRepo } from './hotspots.repo.js';
import { registerHotspotRoutes } from './hotspots.routes.js';
import { HotspotSettings } from './hotspots.schema.js';
import { createHotspotsService } from './hotspots.service.js';

/** What the hotspot module is created from: its service's narrow dependencies, less its own repo. */
export type HotspotsModuleDeps = Omit<Parameters<typeof createHotspotsService>[0], 'hotspotsRepo'> & {
  /** Where a failed poll round is reported. */
  onPollError: (error: unknown) => void;
  /** Where the module's indicators go. */
  indicators: IndicatorSink;
};

/**
 * Satellite hotspots (卫星林火热点): the service, the poller of a folder or URL (started by `app.ts`
 * when configured), the incident thresholds handed to the settings routes, and `/api/hotspots`.
 */
export function createHotspotsModule({ onPollError, indicators, ...deps }: HotspotsModuleDeps) {
  const hotspotsRepo = createHotspotsRepo();
  const hotspotsService = createHotspotsService({ ...deps, hotspotsRepo });
  registerHotspotIndicators(indicators, hotspotsRepo, deps.now ?? (() => new Date()));
  const hotspotSettings: OwnedSetting = {
    schema: HotspotSettings,
    settings: hotspotsService.settings,
    updateSettings: hotspotsService.updateSettings,
  };
  const poller = createHotspotPoller({ hotspotsService, onError: onPollError });
  return {
    name: 'hotspots',
    hotspotsService,
    hotspotSettings,
    poller,
    registerRoutes: (app: App) => registerHotspotRoutes(app, { hotspotsService }),
  };
}
