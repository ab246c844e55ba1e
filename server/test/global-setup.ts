import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/connection.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { seedDatabase } from '../src/seed/seed.js';
import { findTemplate } from '../src/seed/template.js';
import { adminQuery, serverUrl, testDatabaseMode, withDatabase } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    template: string;
  }
}

/**
 * Migrates and seeds one template per run (creating PostGIS and the Yuxi data takes a while);
 * each test file then works on its own copy of it.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  if (testDatabaseMode() === 'embedded') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-template-'));
    // Starts from the demo database `npm ci` prepared when it matches this checkout (else builds it all).
    const database = await openDatabase({ dataDir: dir, template: findTemplate('demo') });
    await migrateDatabase(database.db, database.pool);
    await seedDatabase(database, { demo: true });
    await database.close();
    project.provide('template', dir);
    console.log(`embedded test template ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const name = `safeforest_template_${process.pid}`;
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${name}`);
  const database = await openDatabase({ databaseUrl: withDatabase(serverUrl(), name), dataDir: '' });
  await migrateDatabase(database.db, database.pool);
  await seedDatabase(database, { demo: true });
  await database.close();
  project.provide('template', name);
  console.log(`postgres test template ${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
