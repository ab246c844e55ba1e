import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded.js';

export type Db = NodePgDatabase;
/** A transaction or the database itself: repos accept either, so a service decides the boundary. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

/** Where connection failures that belong to no query are reported. */
export type DatabaseErrorReporter = (error: Error) => void;

export type DatabaseHandle = {
  db: Db;
  pool: pg.Pool;
  mode: 'embedded' | 'postgres';
  url: string;
  /** Sends connection errors to the app's log (until called: standard error). */
  reportErrorsTo(reporter: DatabaseErrorReporter): void;
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
  let report: DatabaseErrorReporter = (error) => console.error(`database connection error: ${error.message}`);
  const reportErrorsTo = (reporter: DatabaseErrorReporter) => {
    report = reporter;
  };
  if (options.databaseUrl) {
    const pool = guardedPool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 }, (e) => report(e));
    return { db: drizzle(pool), pool, mode: 'postgres', url: options.databaseUrl, reportErrorsTo, close: () => pool.end() };
  }
  const embedded = await startEmbeddedPostgres(options.dataDir, (line) => report(new Error(line)), options.template);
  // PGlite runs one statement at a time; every query of the process goes through one connection in turn.
  const pool = guardedPool({ connectionString: embedded.url, max: 1 }, (e) => report(e));
  return {
    db: drizzle(pool),
    pool,
    mode: 'embedded',
    url: embedded.url,
    reportErrorsTo,
    async close() {
      await pool.end();
      await embedded.stop();
    },
  };
}

/**
 * A pool whose connection errors are reported, never thrown at the process. `pg` emits 'error' on
 * a client when its connection breaks or the server's answers stop making sense; on an idle client
 * the pool forwards it, but on a checked-out client nobody listens, and an unheard 'error' event
 * ends the process. Such a connection cannot be trusted again, so it is closed: its query fails,
 * and the pool opens a new connection for the next one.
 */
function guardedPool(config: pg.PoolConfig, report: DatabaseErrorReporter): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', () => {}); // an idle client's error: already reported by its own listener below
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      report(error);
      void client.end().catch(() => {});
    });
  });
  return pool;
}
