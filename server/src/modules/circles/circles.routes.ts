import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import {
  AddCircleMembersBody,
  CircleDeployment,
  CircleDetail,
  CircleIdParams,
  CircleList,
  CircleMemberParams,
  CircleProposal,
  CircleQuery,
  CircleSettings,
  CreateDeploymentBody,
  DeploymentIdParams,
  DeploymentList,
  DeploymentVersionBody,
  ListDeploymentsQuery,
} from './circles.schema.js';
import type { CirclesService } from './circles.service.js';

export function registerCircleRoutes(app: App, { circlesService }: { circlesService: CirclesService }) {
  app.get('/api/circles', {
    config: { access: 'circles:read' },
    schema: {
      operationId: 'listCircles',
      tags: ['circles'],
      summary: 'The prevention circles the viewer sees (the city ring and their county’s), with members, coverage and gaps at `at`',
      querystring: CircleQuery,
      response: { 200: CircleList, ...errorResponses },
    },
    handler: (request) => circlesService.list(actorOf(request), request.query),
  });

  app.get('/api/circles/settings', {
    config: { access: 'circles:read' },
    schema: {
      operationId: 'getCircleSettings',
      tags: ['circles'],
      summary: 'The gap distance and the distance within which checkpoints are proposed as members',
      response: { 200: CircleSettings, ...errorResponses },
    },
    handler: () => circlesService.settings(),
  });

  app.put('/api/circles/settings', {
    config: { access: 'settings:write' },
    schema: {
      operationId: 'updateCircleSettings',
      tags: ['circles'],
      summary: 'Change the gap and proposal distances (in force at once)',
      body: CircleSettings,
      response: { 200: CircleSettings, ...errorResponses },
    },
    handler: (request) => circlesService.updateSettings(actorOf(request), request.body),
  });

  app.get('/api/circles/deployments', {
    config: { access: 'circles:read' },
    schema: {
      operationId: 'listMobileDeployments',
      tags: ['circles'],
      summary: 'Deployments of the viewer’s mobile checkpoints, latest first',
      querystring: ListDeploymentsQuery,
      response: { 200: DeploymentList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return circlesService.listDeployments(actorOf(request), filter, { page, pageSize });
    },
  });

  app.post('/api/circles/deployments', {
    config: { access: 'circles:deploy' },
    schema: {
      operationId: 'createMobileDeployment',
      tags: ['circles'],
      summary: 'Record where and when a mobile checkpoint is deployed (inside its active period and its unit’s area)',
      body: CreateDeploymentBody,
      response: { 201: CircleDeployment, ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => reply.status(201).send(await circlesService.createDeployment(actorOf(request), request.body)),
  });

  app.post('/api/circles/deployments/:id/end', {
    config: { access: 'circles:deploy' },
    schema: {
      operationId: 'endMobileDeployment',
      tags: ['circles'],
      summary: 'End a deployment under way now (send the version you read)',
      params: DeploymentIdParams,
      body: DeploymentVersionBody,
      response: { 200: CircleDeployment, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => circlesService.endDeployment(actorOf(request), request.params.id, request.body.version),
  });

  app.post('/api/circles/deployments/:id/cancel', {
    config: { access: 'circles:deploy' },
    schema: {
      operationId: 'cancelMobileDeployment',
      tags: ['circles'],
      summary: 'Cancel a deployment that has not begun (send the version you read); one under way is ended instead',
      params: DeploymentIdParams,
      body: DeploymentVersionBody,
      response: { 204: z.null(), ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => {
      await circlesService.cancelDeployment(actorOf(request), request.params.id, request.body.version);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/circles/:id', {
    config: { access: 'circles:read' },
    schema: {
      operationId: 'getCircle',
      tags: ['circles'],
      summary: 'One prevention circle with its border line',
      params: CircleIdParams,
      querystring: CircleQuery,
      response: { 200: CircleDetail, ...errorResponses },
    },
    handler: (request) => circlesService.get(actorOf(request), request.params.id, request.query),
  });

  app.get('/api/circles/:id/proposal', {
    config: { access: 'circles:write' },
    schema: {
      operationId: 'proposeCircleMembers',
      tags: ['circles'],
      summary: 'Checkpoints of the ring’s unit near its border, proposed as members',
      params: CircleIdParams,
      response: { 200: CircleProposal, ...errorResponses },
    },
    handler: (request) => circlesService.proposal(actorOf(request), request.params.id),
  });

  app.post('/api/circles/:id/members', {
    config: { access: 'circles:write' },
    schema: {
      operationId: 'addCircleMembers',
      tags: ['circles'],
      summary: 'Add checkpoints of the ring’s unit to the ring (the city office keeps the city ring, a county office its own)',
      params: CircleIdParams,
      body: AddCircleMembersBody,
      response: { 200: z.object({ added: z.number().int() }), ...errorResponses },
    },
    handler: (request) => circlesService.addMembers(actorOf(request), request.params.id, request.body.siteIds),
  });

  app.delete('/api/circles/:id/members/:siteId', {
    config: { access: 'circles:write' },
    schema: {
      operationId: 'removeCircleMember',
      tags: ['circles'],
      summary: 'Remove a checkpoint from the ring',
      params: CircleMemberParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await circlesService.removeMember(actorOf(request), request.params.id, request.params.siteId);
      return reply.status(204).send(null);
    },
  });
}
