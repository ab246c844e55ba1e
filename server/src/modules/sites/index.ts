import type { App } from '../../platform/http.js';
import { createSitesRepo } from './sites.repo.js';
import { registerSiteRoutes } from './sites.routes.js';
import { createSitesService } from './sites.service.js';

/** What the site register is created from: its service's narrow dependencies, less its own repo. */
export type SitesModuleDeps = Omit<Parameters<typeof createSitesService>[0], 'sitesRepo'>;

/** The site register (防控站点): its service and its `/api/sites` routes. */
export function createSitesModule(deps: SitesModuleDeps) {
  const sitesService = createSitesService({ ...deps, sitesRepo: createSitesRepo() });
  return { name: 'sites', sitesService, registerRoutes: (app: App) => registerSiteRoutes(app, { sitesService }) };
}
