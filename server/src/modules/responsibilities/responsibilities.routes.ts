import { z } from 'zod';
import { cstYear } from '../../platform/dates.js';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import {
  CheckSummary,
  CreateCheckBody,
  CreateProgressBody,
  CreateRegisterBody,
  CreateTaskBody,
  Deadline,
  DeadlineParams,
  DeadlineQuery,
  DeleteTaskBody,
  FiveSame,
  ListRegistersQuery,
  Progress,
  Register,
  RegisterIdParams,
  RegisterList,
  SetDeadlineBody,
  Task,
  TaskDetail,
  TaskIdParams,
  UpdateRegisterBody,
  UpdateTaskBody,
} from './responsibilities.schema.js';
import type { ResponsibilitiesService } from './responsibilities.service.js';

const tags = ['responsibilities'];
/** This year in China Standard Time. */

export function registerResponsibilityRoutes(
  app: App,
  { responsibilitiesService: service }: { responsibilitiesService: ResponsibilitiesService },
) {
  app.get('/api/responsibilities', {
    config: { access: 'responsibilities:read' },
    schema: {
      operationId: 'listResponsibilities',
      tags,
      summary: 'Responsibility registers (责任体系) of your area: leaders, work plan and its status, target tasks; filter by year and unit',
      querystring: ListRegistersQuery,
      response: { 200: RegisterList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return service.list(actorOf(request), filter, { page, pageSize });
    },
  });

  app.get('/api/responsibilities/deadline', {
    config: { access: 'responsibilities:read' },
    schema: {
      operationId: 'getResponsibilityDeadline',
      tags,
      summary: 'The work plan deadline of a year (31 March unless the city set another)',
      querystring: DeadlineQuery,
      response: { 200: Deadline, ...errorResponses },
    },
    handler: (request) => service.deadline(request.query.year ?? cstYear()),
  });

  app.put('/api/responsibilities/deadline/:year', {
    config: { access: 'responsibilities:check' },
    schema: {
      operationId: 'setResponsibilityDeadline',
      tags,
      summary: 'Set the work plan deadline of a year (the city office)',
      params: DeadlineParams,
      body: SetDeadlineBody,
      response: { 200: Deadline, ...errorResponses },
    },
    handler: (request) => service.setDeadline(actorOf(request), request.params.year, request.body.planDeadline),
  });

  app.get('/api/responsibilities/:id', {
    config: { access: 'responsibilities:read' },
    schema: {
      operationId: 'getResponsibility',
      tags,
      summary: 'One responsibility register with its target tasks',
      params: RegisterIdParams,
      response: { 200: Register, ...errorResponses },
    },
    handler: (request) => service.get(actorOf(request), request.params.id),
  });

  app.post('/api/responsibilities', {
    config: { access: 'responsibilities:write' },
    schema: {
      operationId: 'createResponsibility',
      tags,
      summary: 'Open the register of a unit of your area for a year: leaders and work plan (one per unit and year)',
      body: CreateRegisterBody,
      response: { 201: Register, ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => reply.status(201).send(await service.create(actorOf(request), request.body)),
  });

  app.patch('/api/responsibilities/:id', {
    config: { access: 'responsibilities:write' },
    schema: {
      operationId: 'updateResponsibility',
      tags,
      summary: 'Change the leaders or the work plan of a register; send the version you read (a stale version answers 409)',
      params: RegisterIdParams,
      body: UpdateRegisterBody,
      response: { 200: Register, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => service.update(actorOf(request), request.params.id, request.body),
  });

  app.get('/api/responsibilities/:id/five-same', {
    config: { access: 'responsibilities:read' },
    schema: {
      operationId: 'getResponsibilityFiveSame',
      tags,
      summary: 'The five "同" of a register: each task as deployed, implemented, checked, assessed and rewarded',
      params: RegisterIdParams,
      response: { 200: FiveSame, ...errorResponses },
    },
    handler: (request) => service.fiveSame(actorOf(request), request.params.id),
  });

  app.post('/api/responsibilities/:id/tasks', {
    config: { access: 'responsibilities:write' },
    schema: {
      operationId: 'createResponsibilityTask',
      tags,
      summary: 'Add a target task: what, owner, deadline, and how it is measured (assessment item, indicator or evidence)',
      params: RegisterIdParams,
      body: CreateTaskBody,
      response: { 201: Task, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await service.createTask(actorOf(request), request.params.id, request.body)),
  });

  app.get('/api/responsibilities/tasks/:taskId', {
    config: { access: 'responsibilities:read' },
    schema: {
      operationId: 'getResponsibilityTask',
      tags,
      summary: 'A target task with its progress reports and checks',
      params: TaskIdParams,
      response: { 200: TaskDetail, ...errorResponses },
    },
    handler: (request) => service.task(actorOf(request), request.params.taskId),
  });

  app.patch('/api/responsibilities/tasks/:taskId', {
    config: { access: 'responsibilities:write' },
    schema: {
      operationId: 'updateResponsibilityTask',
      tags,
      summary: 'Change a target task; send the version you read (a stale version answers 409)',
      params: TaskIdParams,
      body: UpdateTaskBody,
      response: { 200: Task, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => service.updateTask(actorOf(request), request.params.taskId, request.body),
  });

  app.delete('/api/responsibilities/tasks/:taskId', {
    config: { access: 'responsibilities:write' },
    schema: {
      operationId: 'deleteResponsibilityTask',
      tags,
      summary: 'Remove a target task (its progress reports and checks stay recorded)',
      params: TaskIdParams,
      body: DeleteTaskBody.optional(),
      response: { 204: z.null(), ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => {
      await service.deleteTask(actorOf(request), request.params.taskId, request.body?.version);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/responsibilities/tasks/:taskId/progress', {
    config: { access: 'responsibilities:write' },
    schema: {
      operationId: 'reportResponsibilityProgress',
      tags,
      summary: 'Report progress on a target task: what was done, percent (0–100) and files',
      params: TaskIdParams,
      body: CreateProgressBody,
      response: { 201: Progress, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await service.reportProgress(actorOf(request), request.params.taskId, request.body)),
  });

  app.post('/api/responsibilities/tasks/:taskId/checks', {
    config: { access: 'responsibilities:check' },
    schema: {
      operationId: 'checkResponsibilityTask',
      tags,
      summary: 'Record the check of a target task by the level above (合格 / 基本合格 / 不合格, comments); a unit does not check itself',
      params: TaskIdParams,
      body: CreateCheckBody,
      response: { 201: CheckSummary, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await service.check(actorOf(request), request.params.taskId, request.body)),
  });
}
