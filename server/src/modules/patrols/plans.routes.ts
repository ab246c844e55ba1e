import { type App, actorOf, errorResponses } from '../../platform/http.js';
import { Compliance, ComplianceQuery, ListPatrolPlansQuery, PatrolPlan, PatrolPlanList, PutPatrolPlanBody } from './patrols.schema.js';
import type { PlansService } from './plans.service.js';

export function registerPlanRoutes(app: App, { plansService }: { plansService: PlansService }) {
  app.get('/api/patrol-plans', {
    config: { access: 'patrols:read' },
    schema: {
      operationId: 'listPatrolPlans',
      tags: ['patrols'],
      summary: 'The patrol plans of the grids in your area',
      querystring: ListPatrolPlansQuery,
      response: { 200: PatrolPlanList, ...errorResponses },
    },
    handler: (request) => plansService.list(actorOf(request), request.query.orgUnitId),
  });

  app.put('/api/patrol-plans', {
    config: { access: 'patrols:write' },
    schema: {
      operationId: 'putPatrolPlan',
      tags: ['patrols'],
      summary: 'Set a grid’s patrol plan: patrols per week (1–21) and the minimum hours a patrol must last to count',
      body: PutPatrolPlanBody,
      response: { 200: PatrolPlan, ...errorResponses },
    },
    handler: (request) => plansService.put(actorOf(request), request.body),
  });

  app.get('/api/patrol-plans/compliance', {
    config: { access: 'patrols:read' },
    schema: {
      operationId: 'getPatrolPlanCompliance',
      tags: ['patrols'],
      summary: 'Per planned grid, patrols planned against patrols done in an ISO week (China Standard Time)',
      querystring: ComplianceQuery,
      response: { 200: Compliance, ...errorResponses },
    },
    handler: (request) => plansService.compliance(actorOf(request), request.query.week, request.query.orgUnitId),
  });
}
