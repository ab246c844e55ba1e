import type { App } from '../../platform/http.js';
import type { OwnedSetting } from '../../platform/settings/index.js';
import { createHotspotPoller } from './hotspots.poller.js';
import { createHotspotsRepo } from './hotspots.repo.js';
import { registerHotspotRoutes } from './hotspots.routes.js';
import { HotspotSettings } from './hotspots.schema.js';
import { createHotspotsService } from './hotspots.service.js';

/** What the hotspot module is created from: its service's narrow dependencies, less its own repo. */
export type HotspotsModuleDeps = Omit<Parameters<typeof createHotspotsService>[0], 'hotspotsRepo'> & {
  /** Where a failed poll round is reported. */
  onPollError: (error: unknown) => void;
};

/**
 * Satellite hotspots (卫星林火热点): the service, the poller of a folder or URL (started by `app.ts`
 * when configured), the incident thresholds handed to the settings routes, and `/api/hotspots`.
 */
export function createHotspotsModule({ onPollError, ...deps }: HotspotsModuleDeps) {
  const hotspotsService = createHotspotsService({ ...deps, hotspotsRepo: createHotspotsRepo() });
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
