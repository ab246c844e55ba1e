import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import { registerCheckinRoutes } from './checkins.routes.js';
import type { CheckinsService } from './checkins.service.js';
import {
  CurrentPatrol,
  EndPatrolBody,
  ListPatrolsQuery,
  PatrolDetail,
  PatrolIdParams,
  PatrolList,
  StartPatrolBody,
} from './patrols.schema.js';
import type { PatrolsService } from './patrols.service.js';
import { registerPlanRoutes } from './plans.routes.js';
import type { PlansService } from './plans.service.js';

/** Patrols, check-in points and check-ins, and patrol plans. */
export function registerPatrolRoutes(
  app: App,
  services: { patrolsService: PatrolsService; checkinsService: CheckinsService; plansService: PlansService },
) {
  const { patrolsService } = services;

  app.post('/api/patrols/start', {
    config: { access: 'patrols:self' },
    schema: {
      operationId: 'startPatrol',
      tags: ['patrols'],
      summary: 'The signed-in ranger starts a patrol in their assigned area (409 when one is already active)',
      body: StartPatrolBody,
      response: { 201: PatrolDetail, ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => reply.status(201).send(await patrolsService.start(actorOf(request), request.body)),
  });

  app.get('/api/patrols/current', {
    config: { access: 'patrols:self' },
    schema: {
      operationId: 'getCurrentPatrol',
      tags: ['patrols'],
      summary: 'The signed-in ranger’s active patrol with its track so far, or null',
      response: { 200: CurrentPatrol, ...errorResponses },
    },
    handler: (request) => patrolsService.current(actorOf(request)),
  });

  app.post('/api/patrols/:id/end', {
    // patrols:self ends the ranger's own patrol, patrols:write any patrol in scope: the service decides.
    config: { access: 'signed-in' },
    schema: {
      operationId: 'endPatrol',
      tags: ['patrols'],
      summary:
        'End a patrol: the ranger their own (patrols:self), an officer any in their area (patrols:write); stores track, km and duration',
      params: PatrolIdParams,
      body: EndPatrolBody,
      response: { 200: PatrolDetail, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => patrolsService.end(actorOf(request), request.params.id, request.body),
  });

  app.get('/api/patrols', {
    config: { access: 'patrols:read' },
    schema: {
      operationId: 'listPatrols',
      tags: ['patrols'],
      summary: 'Patrols in your area, newest first: filter by ranger, unit subtree, start time and state',
      querystring: ListPatrolsQuery,
      response: { 200: PatrolList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return patrolsService.list(actorOf(request), filter, { page, pageSize });
    },
  });

  app.get('/api/patrols/:id', {
    config: { access: 'patrols:read' },
    schema: {
      operationId: 'getPatrol',
      tags: ['patrols'],
      summary: 'One patrol with its track as GeoJSON (so far, when active) and its check-ins',
      params: PatrolIdParams,
      response: { 200: PatrolDetail, ...errorResponses },
    },
    handler: (request) => patrolsService.get(actorOf(request), request.params.id),
  });

  registerCheckinRoutes(app, services);
  registerPlanRoutes(app, services);
}
