import { z } from 'zod';
import type { DatabaseHandle } from '../../db/connection.js';
import { MapBasemap } from '../basemaps/basemaps.schema.js';
import type { BasemapsService } from '../basemaps/basemaps.service.js';
import { type App, ErrorResponse } from '../http.js';
import type { SystemRepo } from './system.repo.js';

type Deps = {
  database: Pick<DatabaseHandle, 'db' | 'mode'>;
  systemRepo: SystemRepo;
  version: string;
  basemapsService: Pick<BasemapsService, 'mapBasemap'>;
};

/** What anyone may ask before signing in: liveness, the public settings, and the API document. */
export function registerSystemRoutes(app: App, { database, systemRepo, version, basemapsService }: Deps) {
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
      return { status: 'ok' as const, database: database.mode, version, postgis: await systemRepo.postgisVersion(database.db) };
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
