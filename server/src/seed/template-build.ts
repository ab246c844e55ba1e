import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedDatabase, seedTerritory } from './seed.js';
import { findTemplate, TEMPLATE_CACHE_DIR, type TemplateVariant, templateDir, templateKey } from './template.js';

/**
 * Builds the prepared data directory of `variant` unless it exists, and answers where it is: the
 * territory one from scratch, the demo one as a copy of it plus the demo data. Built aside and
 * renamed into place, so a reader never sees half of one and two builders do not collide;
 * prepared databases of other keys are removed (each is ~70 MB).
 */
export async function buildTemplate(variant: TemplateVariant, onProgress: (line: string) => void = () => {}): Promise<string> {
  const existing = findTemplate(variant);
  if (existing) return existing;
  const key = templateKey();
  const base = variant === 'demo' ? await buildTemplate('territory', onProgress) : null;
  fs.mkdirSync(TEMPLATE_CACHE_DIR, { recursive: true });
  const building = fs.mkdtempSync(path.join(TEMPLATE_CACHE_DIR, `building-${variant}-`));
  try {
    let started = Date.now();
    const database = await openDatabase({ dataDir: building, template: base });
    try {
      if (!base) onProgress(`created the embedded PostgreSQL + PostGIS in ${seconds(started)}`);
      started = Date.now();
      await migrateDatabase(database.db, database.pool);
      if (!base) onProgress(`applied the migrations in ${seconds(started)}`);
      started = Date.now();
      if (variant === 'demo') {
        await seedDatabase(database, { demo: true });
        onProgress(`loaded the demo data in ${seconds(started)}`);
      } else {
        await seedTerritory(database.db);
        onProgress(`loaded the Yuxi territory in ${seconds(started)}`);
      }
    } finally {
      await database.close();
    }
    fs.rmSync(path.join(building, 'safeforest.lock'), { force: true });
    const target = templateDir(variant, key);
    try {
      fs.renameSync(building, target);
    } catch (error) {
      if (!findTemplate(variant)) throw error; // another builder finished first: use theirs
    }
    for (const entry of fs.readdirSync(TEMPLATE_CACHE_DIR)) {
      if (entry.startsWith('db-') && !entry.endsWith(`-${key}`))
        fs.rmSync(path.join(TEMPLATE_CACHE_DIR, entry), { recursive: true, force: true });
    }
    return target;
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
