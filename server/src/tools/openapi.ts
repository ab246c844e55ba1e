import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/connection.js';

/**
 * The OpenAPI document of the current code. Building routes touches no database, so the app is
 * built on a pool that is never connected.
 */
export async function currentOpenApiDocument(): Promise<unknown> {
  const pool = new pg.Pool({ max: 1 });
  const database = { db: drizzle(pool), pool, mode: 'embedded', url: '', close: async () => {} } as unknown as DatabaseHandle;
  const { app } = await buildApp(
    { logLevel: 'silent', cookieSecure: 'auto', sessionHours: 12, trustProxy: false, tileUrl: undefined, webDist: '/nonexistent' },
    database,
  );
  await app.ready();
  const document = app.swagger();
  await app.close();
  await pool.end();
  return document;
}
