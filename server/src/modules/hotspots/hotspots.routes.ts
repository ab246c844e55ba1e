import { z } from 'zod';
import { FeatureCollection } from '../../platform/geojson.schema.js';
import { type App, actorOf, ErrorResponse, errorResponses, uploadedFile } from '../../platform/http.js';
import { assertWorkbookSize } from '../../platform/spreadsheet.js';
import {
  AssignCheckBody,
  CreateBulletinHotspotBody,
  Hotspot,
  HotspotFilterQuery,
  HotspotIdParams,
  HotspotLayerQuery,
  HotspotList,
  ImportSummary,
  ListHotspotsQuery,
  RecordCheckBody,
} from './hotspots.schema.js';
import type { HotspotsService } from './hotspots.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerHotspotRoutes(app: App, { hotspotsService }: { hotspotsService: HotspotsService }) {
  app.get('/api/hotspots', {
    config: { access: 'hotspots:read' },
    schema: {
      operationId: 'listHotspots',
      tags: ['hotspots'],
      summary: 'Satellite hotspots: filter by time, unit subtree, source, satellite, ground check status, age and bounding box; paged',
      querystring: ListHotspotsQuery,
      response: { 200: HotspotList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, sort, ...filter } = request.query;
      return hotspotsService.list(actorOf(request), filter, { page, pageSize, sort });
    },
  });

  app.get('/api/hotspots/geojson', {
    config: { access: 'hotspots:read' },
    schema: {
      operationId: 'getHotspotsLayer',
      tags: ['hotspots'],
      summary: 'Hotspots of the last 6 h, 24 h or 7 d as GeoJSON points, each with its age bucket in `properties.age`',
      querystring: HotspotLayerQuery,
      response: { 200: FeatureCollection, ...errorResponses },
    },
    handler: (request) => hotspotsService.layer(actorOf(request), request.query),
  });

  app.get('/api/hotspots/export', {
    config: { access: 'hotspots:read' },
    schema: {
      operationId: 'exportHotspots',
      tags: ['hotspots'],
      summary: 'The filtered hotspots as an Excel workbook (the bulletin layout first, which the bulletin import takes)',
      querystring: HotspotFilterQuery,
      produces: [XLSX],
      response: { 200: z.any().describe('xlsx workbook'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const workbook = await hotspotsService.exportWorkbook(actorOf(request), request.query);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('Content-Type', XLSX)
        .header(
          'Content-Disposition',
          `attachment; filename="hotspots-${day}.xlsx"; filename*=UTF-8''${encodeURIComponent(`卫星林火热点-${day}.xlsx`)}`,
        )
        .send(workbook);
    },
  });

  app.post('/api/hotspots/import', {
    config: { access: 'hotspots:write' },
    schema: {
      operationId: 'importHotspots',
      tags: ['hotspots'],
      summary:
        'Upload a NASA FIRMS CSV file (VIIRS or MODIS, area or country file; multipart field `file`). The good rows are stored, each bad one is reported by line; answers the counts when done',
      consumes: ['multipart/form-data'],
      response: { 200: ImportSummary, ...errorResponses, 413: ErrorResponse },
    },
    handler: async (request) => {
      const { data, name } = await uploadedFile(request);
      return hotspotsService.importFirms(actorOf(request), data, name, { kind: 'upload', source: name, fingerprint: '' });
    },
  });

  app.post('/api/hotspots/bulletins/import', {
    config: { access: 'hotspots:write' },
    schema: {
      operationId: 'importBulletinHotspots',
      tags: ['hotspots'],
      summary:
        'Upload the hotspots of a bulletin as an Excel workbook in the export layout (multipart field `file`); bad rows are reported by row',
      consumes: ['multipart/form-data'],
      response: { 200: ImportSummary, ...errorResponses, 413: ErrorResponse },
    },
    handler: async (request) => {
      const { data, name } = await uploadedFile(request);
      await assertWorkbookSize(data, name);
      return hotspotsService.importBulletins(actorOf(request), data, name);
    },
  });

  app.post('/api/hotspots/bulletins', {
    config: { access: 'hotspots:write' },
    schema: {
      operationId: 'createBulletinHotspot',
      tags: ['hotspots'],
      summary: 'Enter one hotspot of a bulletin by hand; 3 pixels or more opens a forest-fire incident',
      body: CreateBulletinHotspotBody,
      response: { 201: z.object({ hotspot: Hotspot, summary: ImportSummary }), ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => reply.status(201).send(await hotspotsService.createBulletin(actorOf(request), request.body)),
  });

  app.get('/api/hotspots/:id', {
    config: { access: 'hotspots:read' },
    schema: {
      operationId: 'getHotspot',
      tags: ['hotspots'],
      summary: 'One hotspot with its ground check',
      params: HotspotIdParams,
      response: { 200: Hotspot, ...errorResponses },
    },
    handler: (request) => hotspotsService.get(actorOf(request), request.params.id),
  });

  app.post('/api/hotspots/:id/check/assign', {
    config: { access: 'hotspots:check' },
    schema: {
      operationId: 'assignHotspotCheck',
      tags: ['hotspots'],
      summary: 'Assign the ground check (核查) of a hotspot to an account or unit, with a deadline',
      params: HotspotIdParams,
      body: AssignCheckBody,
      response: { 200: Hotspot, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => hotspotsService.assignCheck(actorOf(request), request.params.id, request.body),
  });

  app.post('/api/hotspots/:id/check/result', {
    config: { access: 'hotspots:check' },
    schema: {
      operationId: 'recordHotspotCheck',
      tags: ['hotspots'],
      summary: 'Record what the ground check found (林火, 农事用火, 工业热源, 其他, 误报), when, and whether the fire is out',
      params: HotspotIdParams,
      body: RecordCheckBody,
      response: { 200: Hotspot, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => hotspotsService.recordCheck(actorOf(request), request.params.id, request.body),
  });
}
