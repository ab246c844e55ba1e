import { type App, actorOf, errorResponses } from '../../platform/http.js';
import {
  CreateFieldReportBody,
  FieldReport,
  FieldReportIdParams,
  FieldReportList,
  ListFieldReportsQuery,
  UpdateFieldReportBody,
} from './field-reports.schema.js';
import type { FieldReportsService } from './field-reports.service.js';

export function registerFieldReportRoutes(app: App, { fieldReportsService }: { fieldReportsService: FieldReportsService }) {
  app.post('/api/field-reports', {
    config: { access: 'patrols:self' },
    schema: {
      operationId: 'createFieldReport',
      tags: ['field-reports'],
      summary: 'The signed-in ranger reports an event at a position, optionally with a photo uploaded first',
      body: CreateFieldReportBody,
      response: { 201: FieldReport, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await fieldReportsService.create(actorOf(request), request.body)),
  });

  app.get('/api/field-reports', {
    config: { access: 'reports:read' },
    schema: {
      operationId: 'listFieldReports',
      tags: ['field-reports'],
      summary: 'Field reports in your area, newest first: filter by kind, status, unit subtree, ranger, time and bounding box',
      querystring: ListFieldReportsQuery,
      response: { 200: FieldReportList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return fieldReportsService.list(actorOf(request), filter, { page, pageSize });
    },
  });

  app.get('/api/field-reports/:id', {
    config: { access: 'reports:read' },
    schema: {
      operationId: 'getFieldReport',
      tags: ['field-reports'],
      summary: 'One field report',
      params: FieldReportIdParams,
      response: { 200: FieldReport, ...errorResponses },
    },
    handler: (request) => fieldReportsService.get(actorOf(request), request.params.id),
  });

  app.patch('/api/field-reports/:id', {
    config: { access: 'reports:write' },
    schema: {
      operationId: 'updateFieldReport',
      tags: ['field-reports'],
      summary: 'Mark a field report verified or closed',
      params: FieldReportIdParams,
      body: UpdateFieldReportBody,
      response: { 200: FieldReport, ...errorResponses },
    },
    handler: (request) => fieldReportsService.setStatus(actorOf(request), request.params.id, request.body.status),
  });
}
