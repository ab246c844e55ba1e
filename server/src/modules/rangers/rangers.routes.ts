import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import {
  CreateRangerBody,
  DeleteRangerBody,
  ListRangersQuery,
  Ranger,
  RangerFilterQuery,
  RangerIdParams,
  RangerList,
  UpdateRangerBody,
} from './rangers.schema.js';
import type { RangersService } from './rangers.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerRangerRoutes(app: App, { rangersService }: { rangersService: RangersService }) {
  app.get('/api/rangers', {
    config: { access: 'rangers:read' },
    schema: {
      operationId: 'listRangers',
      tags: ['rangers'],
      summary: 'The ranger register: filter by kind, status, area subtree and text; paged and sorted',
      querystring: ListRangersQuery,
      response: { 200: RangerList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, sort, ...filter } = request.query;
      return rangersService.list(actorOf(request), filter, { page, pageSize, sort });
    },
  });

  app.get('/api/rangers/export', {
    config: { access: 'rangers:read' },
    schema: {
      operationId: 'exportRangers',
      tags: ['rangers'],
      summary: 'The filtered ranger register as an Excel workbook',
      querystring: RangerFilterQuery,
      produces: [XLSX],
      response: { 200: z.any().describe('xlsx workbook'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const workbook = await rangersService.exportWorkbook(actorOf(request), request.query);
      const date = new Date().toISOString().slice(0, 10);
      return reply
        .header('Content-Type', XLSX)
        .header(
          'Content-Disposition',
          `attachment; filename="rangers-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(`护林员-${date}.xlsx`)}`,
        )
        .send(workbook);
    },
  });

  app.get('/api/rangers/me', {
    config: { access: 'patrols:self' },
    schema: {
      operationId: 'getMyRanger',
      tags: ['rangers'],
      summary: 'The ranger record linked to the signed-in account (404 when the account is not a ranger’s)',
      response: { 200: Ranger, ...errorResponses },
    },
    handler: (request) => rangersService.mine(actorOf(request)),
  });

  app.get('/api/rangers/:id', {
    config: { access: 'rangers:read' },
    schema: {
      operationId: 'getRanger',
      tags: ['rangers'],
      summary: 'One ranger, with the devices bound to them now',
      params: RangerIdParams,
      response: { 200: Ranger, ...errorResponses },
    },
    handler: (request) => rangersService.get(actorOf(request), request.params.id),
  });

  app.post('/api/rangers', {
    config: { access: 'rangers:write' },
    schema: {
      operationId: 'createRanger',
      tags: ['rangers'],
      summary: 'Register a ranger in a grid or township, optionally with the commanding police station and a sign-in account',
      body: CreateRangerBody,
      response: { 201: Ranger, ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => reply.status(201).send(await rangersService.create(actorOf(request), request.body)),
  });

  app.patch('/api/rangers/:id', {
    config: { access: 'rangers:write' },
    schema: {
      operationId: 'updateRanger',
      tags: ['rangers'],
      summary: 'Change a ranger; send the version you read (a stale version answers 409)',
      params: RangerIdParams,
      body: UpdateRangerBody,
      response: { 200: Ranger, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => rangersService.update(actorOf(request), request.params.id, request.body),
  });

  app.delete('/api/rangers/:id', {
    config: { access: 'rangers:write' },
    schema: {
      operationId: 'deleteRanger',
      tags: ['rangers'],
      summary: 'Remove a ranger from the register with a reason (the record is kept, hidden; their device bindings end)',
      params: RangerIdParams,
      body: DeleteRangerBody,
      response: { 204: z.null(), ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => {
      await rangersService.remove(actorOf(request), request.params.id, request.body.reason, request.body.version);
      return reply.status(204).send(null);
    },
  });
}
