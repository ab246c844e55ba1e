import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import {
  Assignment,
  AssignmentList,
  AssignmentParams,
  AssignmentStatusBody,
  DispatchBody,
  IncidentIdParams,
  MyAssignmentList,
  MyAssignmentParams,
  SuggestionList,
  SuggestionsQuery,
} from './dispatch.schema.js';
import type { DispatchService } from './dispatch.service.js';

export function registerDispatchRoutes(app: App, { dispatchService }: { dispatchService: DispatchService }) {
  // Read access: whoever follows the incident may see who is nearest (every role holding
  // incidents:read also holds positions:read); sending them takes incidents:dispatch.
  app.get('/api/incidents/:id/suggestions', {
    config: { access: 'incidents:read' },
    schema: {
      operationId: 'getDispatchSuggestions',
      tags: ['dispatch'],
      summary:
        'Units to send, nearest first: online rangers (heard within 10 min; those on patrol always listed) and active police stations, posts and checkpoints of the scope, with straight-line distance and walking / driving estimates',
      params: IncidentIdParams,
      querystring: SuggestionsQuery,
      response: { 200: SuggestionList, ...errorResponses },
    },
    handler: (request) => dispatchService.suggestions(actorOf(request), request.params.id, request.query.limit),
  });

  app.get('/api/incidents/:id/assignments', {
    config: { access: 'incidents:read' },
    schema: {
      operationId: 'listIncidentAssignments',
      tags: ['dispatch'],
      summary: 'The units sent to an incident and the status of each',
      params: IncidentIdParams,
      response: { 200: AssignmentList, ...errorResponses },
    },
    handler: (request) => dispatchService.assignments(actorOf(request), request.params.id),
  });

  app.post('/api/incidents/:id/dispatch', {
    config: { access: 'incidents:dispatch' },
    schema: {
      operationId: 'dispatchUnits',
      tags: ['dispatch'],
      summary:
        'Send rangers and sites of your scope to an incident: one assignment each; the incident becomes dispatched (404 names an unknown unit, 409 one already working on it)',
      params: IncidentIdParams,
      body: DispatchBody,
      response: { 200: AssignmentList, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => dispatchService.dispatch(actorOf(request), request.params.id, request.body),
  });

  app.post('/api/incidents/:id/assignments/:assignmentId/status', {
    config: { access: 'incidents:dispatch' },
    schema: {
      operationId: 'setAssignmentStatus',
      tags: ['dispatch'],
      summary: 'Report the status of a site sent to an incident (rangers report their own from the phone page)',
      params: AssignmentParams,
      body: AssignmentStatusBody,
      response: { 200: Assignment, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => dispatchService.setStatus(actorOf(request), request.params.id, request.params.assignmentId, request.body),
  });

  app.get('/api/me/assignments', {
    config: { access: 'incidents:self' },
    schema: {
      operationId: 'listMyAssignments',
      tags: ['dispatch'],
      summary:
        'The signed-in ranger’s open assignments, with the incident’s code, category, title, place, point and priority, and map-app links',
      response: { 200: MyAssignmentList, ...errorResponses },
    },
    handler: (request) => dispatchService.mine(actorOf(request)),
  });

  app.post('/api/me/assignments/:id/status', {
    config: { access: 'incidents:self' },
    schema: {
      operationId: 'setMyAssignmentStatus',
      tags: ['dispatch'],
      summary: 'Accept, decline (with a reason), set off, arrive at or finish one of your own assignments',
      params: MyAssignmentParams,
      body: AssignmentStatusBody,
      response: { 200: Assignment, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => dispatchService.setMyStatus(actorOf(request), request.params.id, request.body),
  });
}
