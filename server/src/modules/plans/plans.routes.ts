import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import {
  ActivatePlanBody,
  Activation,
  ActivationList,
  CheckStepBody,
  CreatePlanBody,
  DeletePlanBody,
  IncidentIdParams,
  ListPlansQuery,
  Plan,
  PlanIdParams,
  PlanList,
  StepParams,
  UpdatePlanBody,
} from './plans.schema.js';
import type { PlansService } from './plans.service.js';

const tags = ['plans'];

export function registerPlanRoutes(app: App, { plansService: service }: { plansService: PlansService }) {
  app.get('/api/plans', {
    config: { access: 'plans:read' },
    schema: {
      operationId: 'listPlans',
      tags,
      summary: 'Emergency plans the caller may use (their area’s and the city’s): filter by category, level and name',
      querystring: ListPlansQuery,
      response: { 200: PlanList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return service.list(actorOf(request), filter, { page, pageSize });
    },
  });

  app.get('/api/plans/:id', {
    config: { access: 'plans:read' },
    schema: {
      operationId: 'getPlan',
      tags,
      summary: 'One emergency plan',
      params: PlanIdParams,
      response: { 200: Plan, ...errorResponses },
    },
    handler: (request) => service.get(actorOf(request), request.params.id),
  });

  app.post('/api/plans', {
    config: { access: 'plans:write' },
    schema: {
      operationId: 'createPlan',
      tags,
      summary: 'Record an emergency plan of the city or of a county: category, level, who is notified, the checklist',
      body: CreatePlanBody,
      response: { 201: Plan, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await service.create(actorOf(request), request.body)),
  });

  app.patch('/api/plans/:id', {
    config: { access: 'plans:write' },
    schema: {
      operationId: 'updatePlan',
      tags,
      summary: 'Change a plan of your area; send the version you read (a stale version answers 409)',
      params: PlanIdParams,
      body: UpdatePlanBody,
      response: { 200: Plan, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => service.update(actorOf(request), request.params.id, request.body),
  });

  app.delete('/api/plans/:id', {
    config: { access: 'plans:write' },
    schema: {
      operationId: 'deletePlan',
      tags,
      summary: 'Remove a plan of your area (its activations stay on their incidents)',
      params: PlanIdParams,
      body: DeletePlanBody.optional(),
      response: { 204: z.null(), ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => {
      await service.remove(actorOf(request), request.params.id, request.body?.version);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/plans/:id/activate', {
    config: { access: 'incidents:dispatch' },
    schema: {
      operationId: 'activatePlan',
      tags,
      summary: 'Activate the plan on an incident: queue its linkage notifications and put its checklist on the incident’s timeline',
      params: PlanIdParams,
      body: ActivatePlanBody,
      response: { 201: Activation, ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await service.activate(actorOf(request), request.params.id, request.body.incidentId)),
  });

  app.get('/api/incidents/:id/plan-activations', {
    config: { access: 'incidents:read' },
    schema: {
      operationId: 'listPlanActivations',
      tags,
      summary: 'The plans activated on an incident, with their checklists',
      params: IncidentIdParams,
      response: { 200: ActivationList, ...errorResponses },
    },
    handler: (request) => service.activations(actorOf(request), request.params.id),
  });

  app.post('/api/plan-activations/:id/steps/:step', {
    config: { access: 'incidents:write' },
    schema: {
      operationId: 'checkPlanStep',
      tags,
      summary: 'Check a step of an activated plan off (done: false takes it back); written into the incident’s timeline',
      params: StepParams,
      body: CheckStepBody,
      response: { 200: Activation, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => service.checkStep(actorOf(request), request.params.id, request.params.step, request.body),
  });
}
