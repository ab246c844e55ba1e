import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import { RangerIdParams } from '../rangers/rangers.schema.js';
import { DayTrack, DayTrackQuery, LiveDevice, LiveQuery, MyPositionsBody, Position, PositionsQuery, SosBody } from './positions.schema.js';
import type { PositionsService } from './positions.service.js';

const Stored = z.object({ stored: z.number().int(), duplicates: z.number().int() });

export function registerPositionRoutes(app: App, { positionsService }: { positionsService: PositionsService }) {
  app.get('/api/positions', {
    config: { access: 'positions:read' },
    schema: {
      operationId: 'listPositions',
      tags: ['positions'],
      summary: 'Fixes of one device (by uniqueId or deviceId) in a time range, oldest first; speed in m/s',
      querystring: PositionsQuery,
      response: { 200: z.object({ items: z.array(Position) }), ...errorResponses },
    },
    handler: (request) => positionsService.history(actorOf(request), request.query),
  });

  app.get('/api/positions/live', {
    config: { access: 'positions:read' },
    schema: {
      operationId: 'listLivePositions',
      tags: ['positions'],
      summary: 'Where every device of the caller’s subtree last was, coloured by state (sos, silent, patrolling, idle)',
      querystring: LiveQuery,
      response: { 200: z.object({ items: z.array(LiveDevice) }), ...errorResponses },
    },
    handler: (request) => positionsService.live(actorOf(request), request.query.bbox),
  });

  app.get('/api/rangers/:id/track', {
    config: { access: 'patrols:read' },
    schema: {
      operationId: 'getRangerDayTrack',
      // Listed with patrols in the API document, next to the patrols it replays.
      tags: ['patrols'],
      summary: 'A ranger’s fixes of one day (China Standard Time) as a GeoJSON line with the time and speed of each position, for replay',
      params: RangerIdParams,
      querystring: DayTrackQuery,
      response: { 200: DayTrack, ...errorResponses },
    },
    handler: (request) => positionsService.dayTrack(actorOf(request), request.params.id, request.query.date),
  });

  app.post('/api/me/positions', {
    config: { access: 'patrols:self' },
    schema: {
      operationId: 'reportMyPositions',
      tags: ['positions'],
      summary: 'The ranger page reports the browser’s fixes (also a buffer of fixes sent after being offline)',
      body: MyPositionsBody,
      response: { 200: Stored, ...errorResponses, 503: ErrorResponse },
    },
    handler: (request) => positionsService.reportOwn(actorOf(request), request.body.fixes),
  });

  app.post('/api/me/sos', {
    config: { access: 'patrols:self' },
    schema: {
      operationId: 'sendSos',
      tags: ['positions'],
      summary: 'The ranger’s SOS: stored with the position and raised as an alert in the same commit',
      body: SosBody,
      response: { 200: Stored, ...errorResponses, 503: ErrorResponse },
    },
    handler: (request) => positionsService.sos(actorOf(request), request.body),
  });
}
