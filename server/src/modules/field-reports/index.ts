import type { App } from '../../platform/http.js';
import { createFieldReportsRepo } from './field-reports.repo.js';
import { registerFieldReportRoutes } from './field-reports.routes.js';
import { createFieldReportsService } from './field-reports.service.js';

/** What field reports are created from: their service's narrow dependencies, less their own repo. */
export type FieldReportsModuleDeps = Omit<Parameters<typeof createFieldReportsService>[0], 'fieldReportsRepo'>;

/** Field reports (巡护上报) rangers send with photos, and officers' handling of them. */
export function createFieldReportsModule(deps: FieldReportsModuleDeps) {
  const fieldReportsService = createFieldReportsService({ ...deps, fieldReportsRepo: createFieldReportsRepo() });
  return {
    name: 'field-reports',
    fieldReportsService,
    registerRoutes: (app: App) => registerFieldReportRoutes(app, { fieldReportsService }),
  };
}
