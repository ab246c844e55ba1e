import type { App } from '../http.js';
import { createBasemapsRepo } from './basemaps.repo.js';
import { registerBasemapRoutes } from './basemaps.routes.js';
import { createBasemapsService } from './basemaps.service.js';

/** What basemaps are created from: their service's narrow dependencies, less their own repo. */
export type BasemapsModuleDeps = Omit<Parameters<typeof createBasemapsService>[0], 'basemapsRepo'>;

/** Basemaps: the one every map draws (online or an uploaded offline package) and its tiles; loads the saved choice. */
export async function createBasemapsModule(deps: BasemapsModuleDeps) {
  const basemapsService = createBasemapsService({ ...deps, basemapsRepo: createBasemapsRepo() });
  await basemapsService.loadSetting();
  return { name: 'basemaps', basemapsService, registerRoutes: (app: App) => registerBasemapRoutes(app, { basemapsService }) };
}
