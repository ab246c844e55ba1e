import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, QUIET_APP_CONFIG } from '../app.js';
import { type DatabaseHandle, openDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';

/**
 * The OpenAPI document of the current code, from the app built on `database`, or on a scratch
 * embedded database when none is given (the app loads its caches at start, so it needs one).
 */
export async function currentOpenApiDocument(database?: DatabaseHandle): Promise<unknown> {
  const scratch = database ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-openapi-'));
  const db = database ?? (await openDatabase({ dataDir: scratch as string }));
  try {
    if (scratch) await migrateDatabase(db.db, db.pool);
    const { app } = await buildApp(QUIET_APP_CONFIG, db);
    await app.ready();
    const document = app.swagger();
    await app.close();
    return document;
  } finally {
    if (scratch) {
      await db.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}
