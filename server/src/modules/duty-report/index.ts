import type { App } from '../../platform/http.js';
import { registerDutyReportRoutes } from './duty-report.routes.js';
import { createDutyReportService } from './duty-report.service.js';

/** What the duty report is made from: the read services of the command centre's modules. */
export type DutyReportModuleDeps = Parameters<typeof createDutyReportService>[0];

/** The duty report of a day (值班日报): no tables, only what the incident, hotspot, alert and tip-off services hand out. */
export function createDutyReportModule(deps: DutyReportModuleDeps) {
  const dutyReportService = createDutyReportService(deps);
  return { name: 'duty-report', dutyReportService, registerRoutes: (app: App) => registerDutyReportRoutes(app, { dutyReportService }) };
}
