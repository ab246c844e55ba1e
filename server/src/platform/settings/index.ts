import type { App } from '../http.js';
import { registerSettingRoutes } from './settings.routes.js';

export { createSettingsRepo, type SettingsRepo } from './settings.repo.js';
export type { OwnedSetting } from './settings.routes.js';

/**
 * System settings (`/api/settings/…`): the store of JSON values under a key (`settings.repo.ts`,
 * created first, since the basemaps and the analyzers read it) and the routes of the settings that
 * modules own. The basemap setting has its routes with the basemaps, the public settings with the
 * system routes.
 */
export function createSettingsModule(deps: Parameters<typeof registerSettingRoutes>[1]) {
  return { name: 'settings', registerRoutes: (app: App) => registerSettingRoutes(app, deps) };
}
