import { z } from 'zod';
import { validationFailed } from '../platform/errors.js';
import { type App, ErrorResponse } from '../platform/http.js';
import { parseBatch } from './batch.js';
import { type IngestService, keyFromAuthorization, parseOr400 } from './ingest.service.js';
import { handleOsmAnd } from './osmand.js';
import { parseOwnTracks } from './owntracks.js';

const Stored = z.object({ stored: z.number().int(), duplicates: z.number().int() });
const deviceErrors = { 400: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse };

export function registerIngestRoutes(app: App, { ingest }: { ingest: IngestService }) {
  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/api/ingest/osmand',
      // Unknown parameters are kept as attributes: stray text in one is cleaned, not a reason to lose the fix.
      config: { access: 'public', cleansText: true },
      schema: {
        operationId: method === 'GET' ? 'ingestOsmAndQuery' : 'ingestOsmAnd',
        tags: ['ingest'],
        summary:
          'OsmAnd / Traccar Client: `id`, `lat`, `lon`, `timestamp`, `speed` (knots)… in the query or form body, or the Traccar Client 9+ JSON body. Answers after the fix is stored.',
        response: { 200: Stored, ...deviceErrors },
      },
      handler: (request) => handleOsmAnd(ingest, request),
    });
  }

  app.post('/api/ingest/owntracks', {
    config: { access: 'public', cleansText: true },
    schema: {
      operationId: 'ingestOwnTracks',
      tags: ['ingest'],
      summary: 'OwnTracks HTTP mode: a `location` or `transition` message; the device is the X-Limit-D header, else `tid`. Answers `[]`.',
      body: z.unknown(),
      response: { 200: z.array(z.unknown()), ...deviceErrors },
    },
    handler: async (request) => {
      const deviceHeader = request.headers['x-limit-d'];
      const device = typeof deviceHeader === 'string' && deviceHeader.trim() ? deviceHeader.trim() : null;
      const fix = parseOr400('body', () => parseOwnTracks(request.body, device));
      if (fix) await ingest.ingestDevice([fix], 404, keyFromAuthorization(request.headers.authorization));
      return [];
    },
  });

  app.post('/api/ingest/positions', {
    config: { access: 'public', cleansText: true },
    bodyLimit: 8 * 1024 * 1024,
    schema: {
      operationId: 'ingestPositions',
      tags: ['ingest'],
      summary:
        'Gateway batch: up to 10,000 `{ uniqueId, fixTime, lon, lat, … }`. A malformed item refuses the batch (400 with its index); fixes of unknown devices (or with a wrong key) are listed in `rejected`, the others stored.',
      body: z.unknown(),
      response: {
        200: Stored.extend({ rejected: z.array(z.object({ index: z.number().int(), uniqueId: z.string(), reason: z.string() })) }),
        ...deviceErrors,
      },
    },
    handler: async (request) => {
      const { fixes, problems } = parseBatch(request.body);
      if (problems.length) {
        throw validationFailed(
          problems.map((p) => ({ path: p.field ? `body${p.field.startsWith('[') ? '' : '.'}${p.field}` : 'body', message: p.message })),
        );
      }
      return ingest.ingestMany(fixes, keyFromAuthorization(request.headers.authorization));
    },
  });
}
