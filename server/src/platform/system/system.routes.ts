import { z } from 'zod';
import type { DatabaseHandle } from '../../db/connection.js';
import { MapBasemap } from '../basemaps/basemaps.schema.js';
import type { BasemapsService } from '../basemaps/basemaps.service.js';
import { type App, ErrorResponse } from '../http.js';

type Deps = {
  database: Pick<DatabaseHandle, 'pool' | 'mode'>;
  version: string;
  basemapsService: Pick<BasemapsService, 'mapBasemap'>;
};

/** What anyone may ask before signing in: liveness, the public settings, and the API document. */
export function registerSystemRoutes(app: App, { database, version, basemapsService }: Deps) {
  app.get('/api/health', {
    config: { access: 'public' },
    schema: {
      operationId: 'getHealth',
      tags: ['system'],
      summary: 'Liveness and which database the server runs on',
      response: {
        200: z.object({ status: z.literal('ok'), database: z.enum(['embedded', 'postgres']), version: z.string(), postgis: z.string() }),
        503: ErrorResponse,
      },
    },
    handler: async () => {
      const { rows } = await database.pool.query<{ v: string }>('SELECT postgis_lib_version() AS v');
      return { status: 'ok' as const, database: database.mode, version, postgis: rows[0].v };
    },
  });

  app.get('/api/settings/public', {
    config: { access: 'public' },
    schema: {
      operationId: 'getPublicSettings',
      tags: ['system'],
      summary: 'Settings the web client needs before sign-in (the basemap every map draws)',
      response: { 200: z.object({ basemap: MapBasemap }) },
    },
    handler: async () => ({ basemap: basemapsService.mapBasemap() }),
  });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
