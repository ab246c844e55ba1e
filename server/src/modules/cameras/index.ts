import type { App } from '../../platform/http.js';
import type { IndicatorSink } from '../../platform/indicators.js';
import { registerCameraIndicators } from './cameras.indicators.js';
import { createCamerasRepo } from './cameras.repo.js';
import { registerCameraRoutes } from './cameras.routes.js';
import { createCamerasService } from './cameras.service.js';

/** What the camera module is created from: its service's narrow dependencies, less its own repo, and where its indicator goes. */
export type CamerasModuleDeps = Omit<Parameters<typeof createCamerasService>[0], 'camerasRepo'> & { indicators: IndicatorSink };

/**
 * Video surveillance (视频监控): the camera register, heartbeats and alarm pushes, the silent-camera
 * watch (started by `app.ts` with the analyzers), `/api/cameras`, `/api/camera-alarms`,
 * `/api/settings/cameras` and the camera ingest routes, and the online-rate indicator.
 */
export function createCamerasModule({ indicators, ...deps }: CamerasModuleDeps) {
  const camerasRepo = createCamerasRepo();
  const camerasService = createCamerasService({ ...deps, camerasRepo });
  registerCameraIndicators(indicators, camerasRepo, deps.now ?? (() => new Date()));
  return { name: 'cameras', camerasService, registerRoutes: (app: App) => registerCameraRoutes(app, { camerasService }) };
}
