import { z } from 'zod';
import { FeatureCollection } from '../../platform/geojson.schema.js';
import { type App, actorOf, ErrorResponse, errorResponses, uploadedFile } from '../../platform/http.js';
import { assertWorkbookSize } from '../../platform/spreadsheet.js';
import {
  CreateSiteBody,
  DeleteSiteBody,
  ImportStarted,
  ListSitesQuery,
  Site,
  SiteFilterQuery,
  SiteIdParams,
  SiteList,
  UpdateSiteBody,
} from './sites.schema.js';
import type { SitesService } from './sites.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerSiteRoutes(app: App, { sitesService }: { sitesService: SitesService }) {
  app.get('/api/sites', {
    config: { access: 'sites:read' },
    schema: {
      operationId: 'listSites',
      tags: ['sites'],
      summary: 'The site register: filter by kind, status, unit subtree, text and bounding box; paged and sorted',
      querystring: ListSitesQuery,
      response: { 200: SiteList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, sort, ...filter } = request.query;
      return sitesService.list(actorOf(request), filter, { page, pageSize, sort });
    },
  });

  app.get('/api/sites/geojson', {
    config: { access: 'sites:read' },
    schema: {
      operationId: 'getSitesLayer',
      tags: ['sites'],
      summary: 'The filtered register as GeoJSON points for the map',
      querystring: SiteFilterQuery,
      response: { 200: FeatureCollection, ...errorResponses },
    },
    handler: (request) => sitesService.featureCollection(actorOf(request), request.query),
  });

  app.get('/api/sites/export', {
    config: { access: 'sites:read' },
    schema: {
      operationId: 'exportSites',
      tags: ['sites'],
      summary: 'The filtered register as an Excel workbook (the layout the import takes)',
      querystring: SiteFilterQuery,
      produces: [XLSX],
      response: { 200: z.any().describe('xlsx workbook'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const workbook = await sitesService.exportWorkbook(actorOf(request), request.query);
      const name = `sites-${new Date().toISOString().slice(0, 10)}.xlsx`;
      return reply
        .header('Content-Type', XLSX)
        .header(
          'Content-Disposition',
          `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`防控站点-${name.slice(6)}`)}`,
        )
        .send(workbook);
    },
  });

  app.post('/api/sites/import', {
    config: { access: 'sites:write' },
    schema: {
      operationId: 'importSites',
      tags: ['sites'],
      summary:
        'Upload an Excel workbook (multipart field `file`; 413 when it unpacks to more than 30 MB); answers a job to poll at /api/jobs/{id}',
      consumes: ['multipart/form-data'],
      response: { 202: ImportStarted, ...errorResponses, 413: ErrorResponse },
    },
    handler: async (request, reply) => {
      const { data, name } = await uploadedFile(request);
      await assertWorkbookSize(data, name);
      const job = sitesService.startImport(actorOf(request), data);
      return reply.status(202).send({ jobId: job.id });
    },
  });

  app.get('/api/sites/:id', {
    config: { access: 'sites:read' },
    schema: {
      operationId: 'getSite',
      tags: ['sites'],
      summary: 'One site',
      params: SiteIdParams,
      response: { 200: Site, ...errorResponses },
    },
    handler: (request) => sitesService.get(actorOf(request), request.params.id),
  });

  app.post('/api/sites', {
    config: { access: 'sites:write' },
    schema: {
      operationId: 'createSite',
      tags: ['sites'],
      summary: 'Register a site; its location must lie inside the chosen unit’s area',
      body: CreateSiteBody,
      response: { 201: Site, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await sitesService.create(actorOf(request), request.body)),
  });

  app.patch('/api/sites/:id', {
    config: { access: 'sites:write' },
    schema: {
      operationId: 'updateSite',
      tags: ['sites'],
      summary: 'Change a site; send the version you read (a stale version answers 409)',
      params: SiteIdParams,
      body: UpdateSiteBody,
      response: { 200: Site, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => sitesService.update(actorOf(request), request.params.id, request.body),
  });

  app.delete('/api/sites/:id', {
    config: { access: 'sites:write' },
    schema: {
      operationId: 'deleteSite',
      tags: ['sites'],
      summary: 'Remove a site from the register with a reason (the record is kept, hidden)',
      params: SiteIdParams,
      body: DeleteSiteBody,
      response: { 204: z.null(), ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => {
      await sitesService.remove(actorOf(request), request.params.id, request.body.reason, request.body.version);
      return reply.status(204).send(null);
    },
  });
}
