import { z } from 'zod';
import { badRequest } from '../errors.js';
import { type App, actorOf, ErrorResponse, errorResponses } from '../http.js';
import { Basemap, BasemapIdParams, BasemapSetting, BasemapSettingState, MAX_PACKAGE_BYTES, TileParams } from './basemaps.schema.js';
import type { BasemapsService } from './basemaps.service.js';

/** A package's tiles never change (a new upload is a new basemap), so browsers keep them a week. */
const TILE_CACHE = 'private, max-age=604800, immutable';

const presentBasemap = ({ fileName: _, vectorLayers: __, attribution: ___, ...basemap }: Basemap & Record<string, unknown>) => basemap;

export function registerBasemapRoutes(app: App, { basemapsService }: { basemapsService: BasemapsService }) {
  app.post('/api/basemaps', {
    config: { access: 'basemaps:write' },
    schema: {
      operationId: 'uploadBasemap',
      tags: ['basemaps'],
      summary: 'Upload an offline basemap: an MBTiles or PMTiles tile package (PNG, JPEG, WebP or vector tiles) as multipart field `file`',
      consumes: ['multipart/form-data'],
      response: { 201: Basemap, ...errorResponses, 413: ErrorResponse },
    },
    handler: async (request, reply) => {
      if (!request.isMultipart())
        throw badRequest('Send the tile package as multipart/form-data', [{ path: 'body.file', message: 'required' }]);
      const part = await request.file({ limits: { fileSize: MAX_PACKAGE_BYTES, files: 1 } });
      if (part?.fieldname !== 'file') throw badRequest('No file in the upload', [{ path: 'body.file', message: 'required' }]);
      const stored = await basemapsService.upload(actorOf(request), {
        fileName: part.filename,
        stream: part.file,
        truncated: () => part.file.truncated,
      });
      return reply.status(201).send(presentBasemap(stored));
    },
  });

  app.get('/api/basemaps', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listBasemaps',
      tags: ['basemaps'],
      summary: 'The uploaded offline basemaps, newest first',
      response: { 200: z.object({ items: z.array(Basemap) }), ...errorResponses },
    },
    handler: async () => ({ items: (await basemapsService.list()).map(presentBasemap) }),
  });

  app.delete('/api/basemaps/:id', {
    config: { access: 'basemaps:write' },
    schema: {
      operationId: 'deleteBasemap',
      tags: ['basemaps'],
      summary: 'Remove an offline basemap and its file (409 while it is the basemap in use)',
      params: BasemapIdParams,
      response: { 204: z.null(), ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => {
      await basemapsService.remove(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/basemaps/:id/tiles/:z/:x/:y', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getBasemapTile',
      tags: ['basemaps'],
      summary:
        'One tile of an offline basemap in XYZ order (y counted from the north), with its content type; 404 where the package has none',
      params: TileParams,
      produces: ['image/png', 'image/jpeg', 'image/webp', 'application/x-protobuf'],
      response: { 200: z.any().describe('the tile'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const { id, z: zoom, x, y } = request.params;
      const tile = await basemapsService.tile(id, zoom, x, y);
      if (tile.gzipped) reply.header('Content-Encoding', 'gzip');
      return reply.header('Content-Type', tile.contentType).header('Cache-Control', TILE_CACHE).send(tile.data);
    },
  });

  app.get('/api/settings/basemap', {
    config: { access: 'basemaps:write' },
    schema: {
      operationId: 'getBasemapSetting',
      tags: ['basemaps'],
      summary: 'The basemap every map draws, and whether it was saved here or comes from TILE_URL',
      response: { 200: BasemapSettingState, ...errorResponses },
    },
    handler: async () => basemapsService.setting(),
  });

  app.put('/api/settings/basemap', {
    config: { access: 'basemaps:write' },
    schema: {
      operationId: 'updateBasemapSetting',
      tags: ['basemaps'],
      summary: 'Choose the basemap: none, Tianditu with a key, an XYZ/WMTS template, or an uploaded offline basemap (applies at once)',
      body: BasemapSetting,
      response: { 200: BasemapSettingState, ...errorResponses },
    },
    handler: (request) => basemapsService.updateSetting(actorOf(request), request.body),
  });
}
