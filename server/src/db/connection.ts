import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded.js';
import * as schema from './schema.js';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction or the database itself: repos accept either, so a service decides the boundary. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export type DatabaseHandle = {
  db: Db;
  pool: pg.Pool;
  mode: 'embedded' | 'postgres';
  url: string;
  close(): Promise<void>;
};

// Timestamps and bigint counts come back as JS values the API can serialise directly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/**
 * Opens the database: a real PostgreSQL server when `databaseUrl` is given, else the embedded
 * PGlite + PostGIS on `dataDir`. Both are reached through the same `pg` driver.
 */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** A prepared data directory a new embedded database starts from (seed/template.ts). */
  template?: string | null;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    pool.on('error', () => {}); // an idle client's lost connection is replaced on next checkout
    return { db: drizzle(pool, { schema }), pool, mode: 'postgres', url: options.databaseUrl, close: () => pool.end() };
  }
  const embedded = await startEmbeddedPostgres(options.dataDir, options.template);
  // PGlite serves one connection; every query of the process goes through it in turn.
  const pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
  pool.on('error', () => {});
  return {
    db: drizzle(pool, { schema }),
    pool,
    mode: 'embedded',
    url: embedded.url,
    async close() {
      await pool.end();
      await embedded.stop();
    },
  };
}
