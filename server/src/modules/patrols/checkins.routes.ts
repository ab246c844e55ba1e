import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import type { CheckinsService } from './checkins.service.js';
import {
  Checkin,
  CheckinBody,
  CheckinPoint,
  CheckinPointIdParams,
  CheckinPointList,
  CreateCheckinPointBody,
  ListCheckinPointsQuery,
  PatrolIdParams,
} from './patrols.schema.js';

export function registerCheckinRoutes(app: App, { checkinsService }: { checkinsService: CheckinsService }) {
  app.get('/api/checkin-points', {
    // Officers (patrols:read) and rangers (patrols:self) both need the points: the service checks either.
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listCheckinPoints',
      tags: ['patrols'],
      summary: 'Check-in points of your area (patrols:read or patrols:self), optionally in a unit subtree or bounding box',
      querystring: ListCheckinPointsQuery,
      response: { 200: CheckinPointList, ...errorResponses },
    },
    handler: (request) => checkinsService.listPoints(actorOf(request), request.query),
  });

  app.post('/api/checkin-points', {
    config: { access: 'patrols:write' },
    schema: {
      operationId: 'createCheckinPoint',
      tags: ['patrols'],
      summary: 'Place a check-in point; it must lie inside the chosen unit’s area',
      body: CreateCheckinPointBody,
      response: { 201: CheckinPoint, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await checkinsService.createPoint(actorOf(request), request.body)),
  });

  app.delete('/api/checkin-points/:id', {
    config: { access: 'patrols:write' },
    schema: {
      operationId: 'deleteCheckinPoint',
      tags: ['patrols'],
      summary: 'Take a check-in point out of use (check-ins made at it are kept)',
      params: CheckinPointIdParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await checkinsService.removePoint(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/patrols/:id/checkins', {
    config: { access: 'patrols:self' },
    schema: {
      operationId: 'checkIn',
      tags: ['patrols'],
      summary: 'The ranger checks in at a point during their active patrol; refused when farther than the point’s radius',
      params: PatrolIdParams,
      body: CheckinBody,
      response: { 201: Checkin, ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await checkinsService.checkIn(actorOf(request), request.params.id, request.body)),
  });
}
