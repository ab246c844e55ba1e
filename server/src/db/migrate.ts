import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';
import type { Db } from './connection.js';

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Thrown when the server lacks PostGIS: the message says how to install it. */
export class PostgisMissingError extends Error {}

/** Applies the committed SQL migrations, after checking that PostGIS can be created. */
export async function migrateDatabase(db: Db, pool: pg.Pool): Promise<void> {
  // Installed already (every start after the first): skip the slower scan of available extensions.
  const installed = await pool.query("SELECT 1 FROM pg_extension WHERE extname = 'postgis'");
  const available = installed.rowCount ? installed : await pool.query("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'");
  if (available.rowCount === 0) {
    throw new PostgisMissingError(
      'This PostgreSQL server has no PostGIS extension; install it (on Debian: apt-get install postgresql-15-postgis-3, matching the server version) and start SafeForest again.',
    );
  }
  await migrate(db, { migrationsFolder });
}
