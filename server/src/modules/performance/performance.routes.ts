import { z } from 'zod';
import { type App, actorOf, errorResponses } from '../../platform/http.js';
import { PerformanceQuery, PerformanceSummaryQuery, RangerPerformanceList, UnitPerformanceList } from './performance.schema.js';
import type { PerformanceService } from './performance.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerPerformanceRoutes(app: App, { performanceService }: { performanceService: PerformanceService }) {
  app.get('/api/performance/rangers', {
    config: { access: 'performance:read' },
    schema: {
      operationId: 'listRangerPerformance',
      tags: ['performance'],
      summary: 'Each ranger’s month or year: patrol days, hours, km, on-post and online rates, area coverage, check-ins, reports',
      querystring: PerformanceQuery,
      response: { 200: RangerPerformanceList, ...errorResponses },
    },
    handler: (request) => performanceService.rangers(actorOf(request), request.query),
  });

  app.get('/api/performance/summary', {
    config: { access: 'performance:read' },
    schema: {
      operationId: 'getPerformanceSummary',
      tags: ['performance'],
      summary: 'The month’s or year’s ranger figures per grid, township or county (sums of counts, hours and km; means of rates)',
      querystring: PerformanceSummaryQuery,
      response: { 200: UnitPerformanceList, ...errorResponses },
    },
    handler: (request) => performanceService.summary(actorOf(request), request.query),
  });

  app.get('/api/performance/rangers/export', {
    config: { access: 'performance:read' },
    schema: {
      operationId: 'exportRangerPerformance',
      tags: ['performance'],
      summary: 'Each ranger’s month or year as an Excel workbook with Chinese headers',
      querystring: PerformanceQuery,
      produces: [XLSX],
      response: { 200: z.any().describe('xlsx workbook'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const workbook = await performanceService.exportWorkbook(actorOf(request), request.query);
      const period = request.query.month ?? request.query.year;
      const name = `ranger-performance-${period}.xlsx`;
      return reply
        .header('Content-Type', XLSX)
        .header(
          'Content-Disposition',
          `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`护林员绩效-${period}.xlsx`)}`,
        )
        .send(workbook);
    },
  });
}
