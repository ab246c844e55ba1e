import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import {
  CategoryCodeParams,
  CreateIncidentBody,
  IncidentCategory,
  IncidentDetail,
  IncidentIdParams,
  IncidentList,
  IncidentNoteBody,
  IncidentPhotoBody,
  IncidentStatusBody,
  IncidentTimelineEntry,
  ListIncidentsQuery,
  MergeIncidentBody,
  PutIncidentCategoryBody,
  SplitIncidentBody,
  UpdateIncidentBody,
} from './incidents.schema.js';
import type { IncidentsService } from './incidents.service.js';

const tags = ['incidents'];

export function registerIncidentRoutes(app: App, { incidentsService }: { incidentsService: IncidentsService }) {
  app.get('/api/incident-categories', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listIncidentCategories',
      tags,
      summary: 'The incident category dictionary (Chinese and English names, default priority), in display order',
      response: { 200: z.object({ items: z.array(IncidentCategory) }), ...errorResponses },
    },
    handler: async () => ({ items: await incidentsService.listCategories() }),
  });

  app.put('/api/incident-categories/:code', {
    config: { access: 'incidents:write' },
    schema: {
      operationId: 'putIncidentCategory',
      tags,
      summary: 'Add or change a category of the dictionary (city-wide accounts only; a change sends the version read)',
      params: CategoryCodeParams,
      body: PutIncidentCategoryBody,
      response: { 200: IncidentCategory, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => incidentsService.putCategory(actorOf(request), request.params.code, request.body),
  });

  app.get('/api/incidents', {
    config: { access: 'incidents:read' },
    schema: {
      operationId: 'listIncidents',
      tags,
      summary: 'Incidents of the caller’s subtree, newest reported first: filter by status, category, source, priority, time and unit',
      querystring: ListIncidentsQuery,
      response: { 200: IncidentList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return incidentsService.list(actorOf(request), filter, { page, pageSize });
    },
  });

  app.post('/api/incidents', {
    config: { access: 'incidents:write' },
    schema: {
      operationId: 'createIncident',
      tags,
      summary:
        'Record a phone call or enter an incident; a call within 500 m and 2 h of an open incident of its category is linked to it (`linked: true`)',
      body: CreateIncidentBody,
      response: { 201: IncidentDetail.extend({ linked: z.boolean() }), ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await incidentsService.create(actorOf(request), request.body)),
  });

  app.get('/api/incidents/:id', {
    config: { access: 'incidents:read' },
    schema: {
      operationId: 'getIncident',
      tags,
      summary:
        'One incident with its timeline (oldest first), reports and photos; the reporter’s contact only to accounts handling incidents',
      params: IncidentIdParams,
      response: { 200: IncidentDetail, ...errorResponses },
    },
    handler: (request) => incidentsService.get(actorOf(request), request.params.id),
  });

  app.patch('/api/incidents/:id', {
    config: { access: 'incidents:write' },
    schema: {
      operationId: 'updateIncident',
      tags,
      summary: 'Edit an open incident (with the version read; 409 when stale); a new location re-places it',
      params: IncidentIdParams,
      body: UpdateIncidentBody,
      response: { 200: IncidentDetail, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => incidentsService.update(actorOf(request), request.params.id, request.body),
  });

  app.post('/api/incidents/:id/status', {
    config: { access: 'incidents:write' },
    schema: {
      operationId: 'setIncidentStatus',
      tags,
      summary: 'Move an incident on (new → dispatched → on_scene → resolved → closed, or false_alarm); 409 for any other step',
      params: IncidentIdParams,
      body: IncidentStatusBody,
      response: { 200: IncidentDetail, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => incidentsService.changeStatus(actorOf(request), request.params.id, request.body),
  });

  app.post('/api/incidents/:id/notes', {
    config: { access: 'incidents:write' },
    schema: {
      operationId: 'addIncidentNote',
      tags,
      summary: 'Add a note to the incident’s timeline',
      params: IncidentIdParams,
      body: IncidentNoteBody,
      response: { 200: IncidentTimelineEntry, ...errorResponses },
    },
    handler: (request) => incidentsService.addNote(actorOf(request), request.params.id, request.body.text),
  });

  app.post('/api/incidents/:id/photos', {
    config: { access: 'incidents:write' },
    schema: {
      operationId: 'addIncidentPhoto',
      tags,
      summary: 'Attach an uploaded photo (POST /api/files first) to the incident',
      params: IncidentIdParams,
      body: IncidentPhotoBody,
      response: { 200: IncidentDetail, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => incidentsService.addPhoto(actorOf(request), request.params.id, request.body.fileId),
  });

  app.post('/api/incidents/:id/merge', {
    config: { access: 'incidents:write' },
    schema: {
      operationId: 'mergeIncident',
      tags,
      summary: 'Merge this incident into another open one: its reports and photos move there, it becomes merged; answers the other',
      params: IncidentIdParams,
      body: MergeIncidentBody,
      response: { 200: IncidentDetail, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => incidentsService.merge(actorOf(request), request.params.id, request.body.intoId, request.body.note),
  });

  app.post('/api/incidents/:id/split', {
    config: { access: 'incidents:write' },
    schema: {
      operationId: 'splitIncident',
      tags,
      summary: 'Split a linked report off into an incident of its own; answers the new incident',
      params: IncidentIdParams,
      body: SplitIncidentBody,
      response: { 200: IncidentDetail, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => incidentsService.split(actorOf(request), request.params.id, request.body.reportId, request.body.note),
  });
}
