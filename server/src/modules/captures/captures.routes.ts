import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import {
  CaptureFilterQuery,
  CaptureIdParams,
  CaptureList,
  CaptureSettings,
  IngestCapturesBody,
  IngestResult,
  ListCapturesQuery,
  PassageQuery,
  PassageTrack,
  PurgeResult,
} from './captures.schema.js';
import type { CapturesService } from './captures.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerCaptureRoutes(app: App, { capturesService }: { capturesService: CapturesService }) {
  app.post('/api/ingest/captures', {
    config: { access: 'captures:ingest' },
    // A batch of a few thousand captures with their snapshots.
    bodyLimit: 64 * 1024 * 1024,
    schema: {
      operationId: 'ingestCaptures',
      tags: ['captures'],
      summary:
        'A checkpoint platform pushes vehicle captures (signed in as an account of its area with captures:ingest): one or a batch; a capture already stored (same checkpoint, time and plate) is counted in duplicates. A malformed item or a checkpoint outside the area refuses the whole batch.',
      body: IngestCapturesBody,
      response: { 200: IngestResult, ...errorResponses, 413: ErrorResponse },
    },
    handler: (request) => capturesService.ingest(actorOf(request), request.body),
  });

  app.get('/api/captures', {
    config: { access: 'captures:read' },
    schema: {
      operationId: 'listCaptures',
      tags: ['captures'],
      summary:
        'Search captures at the checkpoints of your area: plate exact, as a prefix (match=prefix, or a trailing *) or with ? for unknown characters; time window, checkpoint, colour, vehicle type, direction. Newest first.',
      querystring: ListCapturesQuery,
      response: { 200: CaptureList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return capturesService.search(actorOf(request), filter, { page, pageSize });
    },
  });

  app.get('/api/captures/export', {
    config: { access: 'captures:read' },
    schema: {
      operationId: 'exportCaptures',
      tags: ['captures'],
      summary: 'The search as an Excel workbook (at most 10,000 captures, newest first)',
      querystring: CaptureFilterQuery,
      produces: [XLSX],
      response: { 200: z.any().describe('xlsx workbook'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const workbook = await capturesService.exportWorkbook(actorOf(request), request.query);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('Content-Type', XLSX)
        .header(
          'Content-Disposition',
          `attachment; filename="captures-${day}.xlsx"; filename*=UTF-8''${encodeURIComponent(`卡口过车-${day}.xlsx`)}`,
        )
        .send(workbook);
    },
  });

  app.get('/api/captures/passages', {
    config: { access: 'captures:read' },
    schema: {
      operationId: 'getCapturePassages',
      tags: ['captures'],
      summary: 'A vehicle’s passages through the checkpoints of your area in time order, and its path as GeoJSON',
      querystring: PassageQuery,
      response: { 200: PassageTrack, ...errorResponses },
    },
    handler: (request) => {
      const { plate, from, to, page, pageSize } = request.query;
      return capturesService.passages(actorOf(request), plate, { from, to }, { page, pageSize });
    },
  });

  app.get('/api/captures/:id/snapshot', {
    config: { access: 'captures:read' },
    schema: {
      operationId: 'getCaptureSnapshot',
      tags: ['captures'],
      summary: 'The snapshot of a capture (JPEG), while it is kept',
      params: CaptureIdParams,
      produces: ['image/jpeg'],
      response: { 200: z.any().describe('JPEG image'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const data = await capturesService.snapshot(actorOf(request), request.params.id);
      return reply.header('Content-Type', 'image/jpeg').header('Cache-Control', 'private, max-age=86400').send(data);
    },
  });

  app.get('/api/settings/captures', {
    config: { access: 'captures:read' },
    schema: {
      operationId: 'getCaptureSettings',
      tags: ['captures'],
      summary: 'How long captures and their snapshots are kept',
      response: { 200: CaptureSettings, ...errorResponses },
    },
    handler: () => capturesService.settings(),
  });

  app.put('/api/settings/captures', {
    config: { access: 'settings:write' },
    schema: {
      operationId: 'updateCaptureSettings',
      tags: ['captures'],
      summary: 'Change how long captures and snapshots are kept (the next purge applies it)',
      body: CaptureSettings,
      response: { 200: CaptureSettings, ...errorResponses },
    },
    handler: (request) => capturesService.updateSettings(actorOf(request), request.body),
  });

  app.post('/api/captures/purge', {
    config: { access: 'settings:write' },
    schema: {
      operationId: 'purgeCaptures',
      tags: ['captures'],
      summary: 'Apply the retention now (it also runs by itself every six hours): drop expired months and snapshots',
      response: { 200: PurgeResult, ...errorResponses },
    },
    handler: (request) => capturesService.purge(actorOf(request)),
  });
}
