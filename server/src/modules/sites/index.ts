import type { App } from '../../platform/http.js';
import type { IndicatorSink } from '../../platform/indicators.js';
import { registerSiteIndicators } from './sites.indicators.js';
import { createSitesRepo } from './sites.repo.js';
import { registerSiteRoutes } from './sites.routes.js';
import { createSitesService } from './sites.service.js';

/** What the site register is created from: its service's narrow dependencies, less its own repo, and where its indicator goes. */
export type SitesModuleDeps = Omit<Parameters<typeof createSitesService>[0], 'sitesRepo'> & { indicators: IndicatorSink };

/** The site register (防控站点): its service, its `/api/sites` routes and its completeness indicator. */
export function createSitesModule({ indicators, ...deps }: SitesModuleDeps) {
  const sitesRepo = createSitesRepo();
  const sitesService = createSitesService({ ...deps, sitesRepo });
  registerSiteIndicators(indicators, sitesRepo);
  return { name: 'sites', sitesService, registerRoutes: (app: App) => registerSiteRoutes(app, { sitesService }) };
}
