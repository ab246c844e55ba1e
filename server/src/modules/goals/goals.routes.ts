import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import {
  CreateMeasureBody,
  DeleteMeasureBody,
  EntryParams,
  GoalEntry,
  GoalMeasure,
  GoalMeasureList,
  GoalsDashboard,
  GoalsMatrix,
  GoalsMatrixQuery,
  GoalsQuery,
  GoalTrend,
  MeasureParams,
  PutEntryBody,
  TrendQuery,
  UpdateMeasureBody,
} from './goals.schema.js';
import type { GoalsService } from './goals.service.js';

const tags = ['goals'];

export function registerGoalRoutes(app: App, { goalsService: service }: { goalsService: GoalsService }) {
  app.get('/api/goals', {
    config: { access: 'goals:read' },
    schema: {
      operationId: 'getGoals',
      tags,
      summary:
        'The goals of a year for the city or a county (default: yours): each measure’s figure, target, whether it is met, and its source',
      querystring: GoalsQuery,
      response: { 200: GoalsDashboard, ...errorResponses },
    },
    handler: (request) => service.dashboard(actorOf(request), request.query),
  });

  app.get('/api/goals/matrix', {
    config: { access: 'goals:read' },
    schema: {
      operationId: 'getGoalsMatrix',
      tags,
      summary: 'The city and each county of your area against every goal measure of a year: met, not met or no figure',
      querystring: GoalsMatrixQuery,
      response: { 200: GoalsMatrix, ...errorResponses },
    },
    handler: (request) => service.matrix(actorOf(request), request.query),
  });

  app.get('/api/goals/trend', {
    config: { access: 'goals:read' },
    schema: {
      operationId: 'getGoalTrend',
      tags,
      summary: 'One goal measure of the city or a county over the years (at most 30), each year judged against its target',
      querystring: TrendQuery,
      response: { 200: GoalTrend, ...errorResponses },
    },
    handler: (request) => service.trend(actorOf(request), request.query),
  });

  app.put('/api/goals/entries', {
    config: { access: 'goals:write' },
    schema: {
      operationId: 'putGoalEntry',
      tags,
      summary: 'Enter (or replace) the figure of an entered measure for the city or a county of your area and a year, with its source',
      body: PutEntryBody,
      response: { 200: GoalEntry, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => service.putEntry(actorOf(request), request.body),
  });

  app.delete('/api/goals/entries/:id', {
    config: { access: 'goals:write' },
    schema: {
      operationId: 'deleteGoalEntry',
      tags,
      summary: 'Remove an entered figure of your area (the audit log keeps it)',
      params: EntryParams,
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await service.deleteEntry(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/goals/measures', {
    config: { access: 'goals:read' },
    schema: {
      operationId: 'listGoalMeasures',
      tags,
      summary:
        'The goal measures: the six ensures, the four goals, the public’s sense of safety and satisfaction (switched-off ones with all=true)',
      querystring: z.object({ all: z.enum(['true', 'false']).optional() }),
      response: { 200: GoalMeasureList, ...errorResponses },
    },
    handler: (request) => service.listMeasures(request.query.all === 'true'),
  });

  app.post('/api/goals/measures', {
    config: { access: 'goals:write' },
    schema: {
      operationId: 'createGoalMeasure',
      tags,
      summary: 'Add a goal measure (the city office): computed by an indicator or entered, with its target',
      body: CreateMeasureBody,
      response: { 201: GoalMeasure, ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => reply.status(201).send(await service.createMeasure(actorOf(request), request.body)),
  });

  app.patch('/api/goals/measures/:code', {
    config: { access: 'goals:write' },
    schema: {
      operationId: 'updateGoalMeasure',
      tags,
      summary: 'Change a goal measure (the city office); send the version you read (a stale version answers 409)',
      params: MeasureParams,
      body: UpdateMeasureBody,
      response: { 200: GoalMeasure, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => service.updateMeasure(actorOf(request), request.params.code, request.body),
  });

  app.delete('/api/goals/measures/:code', {
    config: { access: 'goals:write' },
    schema: {
      operationId: 'deleteGoalMeasure',
      tags,
      summary: 'Delete a goal measure nobody entered figures for (the city office); one with figures is switched off instead',
      params: MeasureParams,
      body: DeleteMeasureBody.optional(),
      response: { 204: z.null(), ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => {
      await service.deleteMeasure(actorOf(request), request.params.code, request.body?.version);
      return reply.status(204).send(null);
    },
  });
}
