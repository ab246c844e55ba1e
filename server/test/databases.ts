import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Which database the suite runs on: the embedded PGlite (default) or the server at DATABASE_URL. */
export const testDatabaseMode = (): 'embedded' | 'postgres' => (process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'embedded');

export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('npm run test:pg needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres');
  return url;
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh copy of the migrated, seeded template: a data directory or a database made from the template. */
export async function cloneTemplate(template: string): Promise<{ dataDir?: string; databaseUrl?: string; drop(): Promise<void> }> {
  const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  if (testDatabaseMode() === 'embedded') {
    const dataDir = path.join(os.tmpdir(), `safeforest-test-${suffix}`);
    fs.cpSync(template, dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, 'safeforest.lock'), { force: true });
    return { dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `safeforest_test_${suffix}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return {
    databaseUrl: withDatabase(serverUrl(), name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
