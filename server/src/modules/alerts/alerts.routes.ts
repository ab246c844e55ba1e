import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import { Alert, AlertActionBody, AlertIdParams, ListAlertsQuery } from './alerts.schema.js';
import type { AlertsService } from './alerts.service.js';

export function registerAlertRoutes(app: App, { alertsService }: { alertsService: AlertsService }) {
  app.get('/api/alerts', {
    config: { access: 'alerts:read' },
    schema: {
      operationId: 'listAlerts',
      tags: ['alerts'],
      summary: 'Alerts of the caller’s subtree: open SOS first, then the newest',
      querystring: ListAlertsQuery,
      response: { 200: z.object({ items: z.array(Alert), total: z.number().int() }), ...errorResponses },
    },
    handler: (request) => alertsService.list(actorOf(request), request.query),
  });

  app.get('/api/alerts/:id', {
    config: { access: 'alerts:read' },
    schema: {
      operationId: 'getAlert',
      tags: ['alerts'],
      summary: 'One alert',
      params: AlertIdParams,
      response: { 200: Alert, ...errorResponses },
    },
    handler: (request) => alertsService.get(actorOf(request), request.params.id),
  });

  for (const [action, operationId, summary] of [
    ['acknowledge', 'acknowledgeAlert', 'Take an alert on (new → acknowledged)'],
    ['resolve', 'resolveAlert', 'Close an alert with what was done (→ resolved)'],
  ] as const) {
    app.post(`/api/alerts/:id/${action}`, {
      config: { access: 'alerts:write' },
      schema: {
        operationId,
        tags: ['alerts'],
        summary,
        params: AlertIdParams,
        body: AlertActionBody,
        response: { 200: Alert, ...errorResponses, 409: ErrorResponse },
      },
      handler: (request) => alertsService[action](actorOf(request), request.params.id, request.body.note, request.body.version),
    });
  }
}
