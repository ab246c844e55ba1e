import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import {
  ATOM_CONTENT_TYPE,
  CAP_CONTENT_TYPE,
  CapMessage,
  CapMessageIdParams,
  IncidentIdParams,
  PublishIncidentBody,
} from './cap.schema.js';
import type { CapService } from './cap.service.js';

/** Look-ups of the public feed and alerts one client address may make a minute. */
export const CAP_READS_PER_MINUTE = 120;

export function registerCapRoutes(app: App, { capService }: { capService: CapService }) {
  app.post('/api/incidents/:id/publish', {
    config: { access: 'incidents:publish' },
    schema: {
      operationId: 'publishIncident',
      tags: ['cap'],
      summary:
        'Make the incident a public warning: a CAP 1.2 Alert, or an Update of the one published (referring to the earlier messages); recorded in the incident’s timeline',
      params: IncidentIdParams,
      body: PublishIncidentBody,
      response: { 201: CapMessage, ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => reply.status(201).send(await capService.publish(actorOf(request), request.params.id, request.body)),
  });

  app.post('/api/incidents/:id/unpublish', {
    config: { access: 'incidents:publish' },
    schema: {
      operationId: 'unpublishIncident',
      tags: ['cap'],
      summary: 'Withdraw the public warning: a CAP Cancel referring to the messages published; 409 when it is not published',
      params: IncidentIdParams,
      response: { 201: CapMessage, ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => reply.status(201).send(await capService.unpublish(actorOf(request), request.params.id)),
  });

  app.get('/api/cap/alerts/:id', {
    config: { access: 'public', rateLimit: { max: CAP_READS_PER_MINUTE, timeWindow: 60_000 } },
    schema: {
      operationId: 'getCapAlert',
      tags: ['cap'],
      summary: 'A published CAP 1.2 message (application/cap+xml), exactly as it was published',
      params: CapMessageIdParams,
      produces: [CAP_CONTENT_TYPE],
      response: { 200: z.any().describe('the CAP 1.2 <alert> document'), 400: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse },
    },
    handler: async (request, reply) => {
      const xml = await capService.alertXml(request.params.id);
      return reply
        .header('Content-Type', `${CAP_CONTENT_TYPE}; charset=utf-8`)
        .header('Cache-Control', 'public, max-age=300')
        .send(Buffer.from(xml, 'utf8'));
    },
  });

  app.get('/api/cap/feed', {
    config: { access: 'public', rateLimit: { max: CAP_READS_PER_MINUTE, timeWindow: 60_000 } },
    schema: {
      operationId: 'getCapFeed',
      tags: ['cap'],
      summary:
        'The Atom feed of current public warnings: the latest CAP message of every incident still published, each linking to its CAP XML',
      produces: [ATOM_CONTENT_TYPE],
      response: { 200: z.any().describe('an Atom feed'), 429: ErrorResponse },
    },
    handler: async (request, reply) => {
      const xml = await capService.feedXml(`${request.protocol}://${request.host}`);
      return reply
        .header('Content-Type', `${ATOM_CONTENT_TYPE}; charset=utf-8`)
        .header('Cache-Control', 'no-cache')
        .send(Buffer.from(xml, 'utf8'));
    },
  });
}
