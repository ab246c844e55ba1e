import { z } from 'zod';
import { type App, actorOf, errorResponses } from '../../platform/http.js';
import { DutyReportQuery } from './duty-report.schema.js';
import type { DutyReportService } from './duty-report.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerDutyReportRoutes(app: App, { dutyReportService }: { dutyReportService: DutyReportService }) {
  app.get('/api/duty-report', {
    config: { access: 'incidents:read' },
    schema: {
      operationId: 'exportDutyReport',
      tags: ['incidents'],
      summary:
        'The duty report of a day (值班日报) for the caller’s area as an Excel workbook: summary, incidents and satellite hotspots, with Chinese headers',
      querystring: DutyReportQuery,
      produces: [XLSX],
      response: { 200: z.any().describe('xlsx workbook'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const workbook = await dutyReportService.workbook(actorOf(request), request.query.date);
      return reply
        .header('Content-Type', XLSX)
        .header(
          'Content-Disposition',
          `attachment; filename="duty-report-${request.query.date}.xlsx"; filename*=UTF-8''${encodeURIComponent(`值班日报-${request.query.date}.xlsx`)}`,
        )
        .send(workbook);
    },
  });
}
