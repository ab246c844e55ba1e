import type { App } from '../../platform/http.js';
import { createDevicesRepo } from './devices.repo.js';
import { registerDeviceRoutes } from './devices.routes.js';
import { createDevicesService } from './devices.service.js';

/** What the device register is created from: its service's narrow dependencies, less its own repo. */
export type DevicesModuleDeps = Omit<Parameters<typeof createDevicesService>[0], 'devicesRepo'>;

/**
 * The device register (定位终端). Its repo is handed on to the position network and the
 * positions module, which read the device directory and bindings.
 */
export function createDevicesModule(deps: DevicesModuleDeps) {
  const devicesRepo = createDevicesRepo();
  const devicesService = createDevicesService({ ...deps, devicesRepo });
  return { name: 'devices', devicesRepo, devicesService, registerRoutes: (app: App) => registerDeviceRoutes(app, { devicesService }) };
}
