/**
 * Dispatch suggestions at scale (issue 9, section 7): with 10,000 rangers online and 2,000 sites,
 * the p95 of `GET /api/incidents/:id/suggestions` must stay within 50 ms. The bench migrates and
 * seeds a fresh database (embedded in a temp folder, or `BENCH_DATABASE_URL`'s server, where it
 * creates and drops `safeforest_bench_dispatch_<pid>`), adds the rangers (a live state each, heard
 * within the last 5 minutes, a third on patrol) and the sites at random points of Yuxi, opens
 * incidents at random points, and asks for suggestions as the duty officer (the whole city: every
 * unit is a candidate) and as a county's police. It prints the query plans of the two nearest-unit
 * queries, run by the repos themselves (captured through a query logger), so the KNN index scans
 * can be seen, and ends with one JSON line.
 *
 *   npx tsx bench/dispatch.ts                       # embedded
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/dispatch.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { buildApp, QUIET_APP_CONFIG } from '../server/src/app.js';
import { type DatabaseHandle, openDatabase } from '../server/src/db/connection.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { DISPATCHABLE_SITE_KINDS } from '../server/src/modules/dispatch/dispatch.schema.js';
import { createPositionsRepo } from '../server/src/modules/positions/positions.repo.js';
import { createSitesRepo } from '../server/src/modules/sites/sites.repo.js';
import type { Actor } from '../server/src/platform/actor.js';
import { DEMO_PASSWORD, seedDatabase } from '../server/src/seed/seed.js';

const RANGERS = Number(process.env.BENCH_RANGERS ?? 10_000);
const SITES = Number(process.env.BENCH_SITES ?? 2_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const INCIDENTS = 20;

async function open(): Promise<{ database: DatabaseHandle; cleanup: () => Promise<void> }> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-bench-dispatch-'));
    const database = await openDatabase({ dataDir: dir });
    return { database, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `safeforest_bench_dispatch_${process.pid}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  return { database, cleanup: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Rangers with a live state each, at random points of the city's bounding box; a third on patrol. Sites likewise. */
async function populate(pool: pg.Pool) {
  await pool.query(`
    WITH box AS (SELECT ST_XMin(area) x0, ST_XMax(area) x1, ST_YMin(area) y0, ST_YMax(area) y1 FROM org_units WHERE code = '530400'),
    grids AS (SELECT array_agg(id) ids FROM org_units WHERE kind = 'grid'),
    made AS (
      INSERT INTO rangers (name, kind, org_unit_id, status)
      SELECT '压测护林员' || n, 'full_time', (SELECT ids[1 + (n % array_length(ids, 1))] FROM grids), 'active'
      FROM generate_series(1, ${RANGERS}) n
      RETURNING id, org_unit_id)
    INSERT INTO device_states (device_id, ranger_id, fix_time, server_time, lon, lat, anchor_lon, anchor_lat, moved_at)
    SELECT gen_random_uuid(), m.id, now() - random() * interval '5 minutes', now() - random() * interval '5 minutes',
           p.lon, p.lat, p.lon, p.lat, now()
    FROM made m, box, LATERAL (SELECT x0 + random() * (x1 - x0) + 0 * length(m.id::text) AS lon, y0 + random() * (y1 - y0) AS lat) p`);
  await pool.query(`
    INSERT INTO patrols (ranger_id, org_unit_id, started_at, opened_by)
    SELECT r.id, r.org_unit_id, now() - interval '1 hour', 'ranger' FROM rangers r
    WHERE r.name LIKE '压测护林员%' AND substring(r.name from 6)::int % 3 = 0`);
  await pool.query(
    `WITH box AS (SELECT ST_XMin(area) x0, ST_XMax(area) x1, ST_YMin(area) y0, ST_YMax(area) y1 FROM org_units WHERE code = '530400'),
     counties AS (SELECT array_agg(id) ids FROM org_units WHERE kind = 'county')
     INSERT INTO sites (name, kind, org_unit_id, location)
     SELECT '压测站点' || n, ($1::text[])[1 + n % array_length($1::text[], 1)], (SELECT ids[1 + n % array_length(ids, 1)] FROM counties),
            ST_SetSRID(ST_MakePoint(x0 + random() * (x1 - x0), y0 + random() * (y1 - y0)), 4326)
     FROM generate_series(1, ${SITES}) n, box`,
    [[...DISPATCHABLE_SITE_KINDS, 'scenic_area', 'timber_market']],
  );
  await pool.query('ANALYZE device_states; ANALYZE rangers; ANALYZE sites; ANALYZE patrols');
}

/** The plans of the two nearest-unit queries as the repos issue them for this actor and point. */
async function plans(pool: pg.Pool, actor: Actor, at: [number, number]) {
  const captured: { query: string; params: unknown[] }[] = [];
  const logged = drizzle(pool, { logger: { logQuery: (query, params) => captured.push({ query, params }) } });
  await createPositionsRepo().nearestOnline(logged, actor, at, { limit: 10, onlineMinutes: 10, onDutyOnly: false });
  await createSitesRepo().nearest(logged, actor, at, DISPATCHABLE_SITE_KINDS, 10);
  const out: string[] = [];
  for (const { query, params } of captured) {
    const { rows } = await pool.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${query}`, params);
    out.push(rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
  }
  return out;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function main() {
  const { database, cleanup } = await open();
  try {
    console.log(`migrating and seeding (${database.mode})…`);
    await migrateDatabase(database.db, database.pool);
    await seedDatabase(database, { demo: true });
    console.log(`adding ${RANGERS} rangers online and ${SITES} sites…`);
    await populate(database.pool);
    const built = await buildApp(
      { ...QUIET_APP_CONFIG, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-bench-app-')) },
      database,
    );
    await built.app.ready();
    const login = async (username: string) => {
      const res = await built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`sign-in of ${username}: ${res.statusCode} ${res.body}`);
      const session = res.cookies.find((c) => c.name === 'sf_session');
      if (!session) throw new Error('no session cookie');
      const cookie = `sf_session=${session.value}`;
      const csrf = (await built.app.inject({ method: 'GET', url: '/api/auth/csrf', headers: { cookie } })).json().token as
        | string
        | undefined;
      return { cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}) };
    };
    const duty = await login('duty');
    const police = await login('police1');
    // Incidents at random points of 红塔区 (police1's county), so both accounts may ask.
    const { rows: points } = await database.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) lon, ST_Y(p) lat FROM (SELECT (ST_Dump(ST_GeneratePoints(area, ${INCIDENTS}))).geom p FROM org_units WHERE code = '530402') q`,
    );
    const ids: string[] = [];
    for (const [i, p] of points.entries()) {
      const res = await built.app.inject({
        method: 'POST',
        url: '/api/incidents',
        headers: duty,
        payload: {
          category: i % 2 ? 'forest_fire' : 'illegal_logging',
          title: `压测警情${i}`,
          location: { type: 'Point', coordinates: [p.lon, p.lat] },
          source: 'phone',
        },
      });
      if (res.statusCode !== 201) throw new Error(`incident: ${res.statusCode} ${res.body}`);
      ids.push(res.json().id);
    }
    const measure = async (headers: Record<string, string>) => {
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const started = performance.now();
        const res = await built.app.inject({ method: 'GET', url: `/api/incidents/${ids[i % ids.length]}/suggestions`, headers });
        times.push(performance.now() - started);
        if (res.statusCode !== 200) throw new Error(`suggestions: ${res.statusCode} ${res.body}`);
      }
      const warm = times.slice(Math.min(20, times.length / 10)).sort((a, b) => a - b);
      return { p50: percentile(warm, 0.5), p95: percentile(warm, 0.95), max: warm[warm.length - 1] };
    };
    const city = await measure(duty);
    const county = await measure(police);
    const { rows: unit } = await database.pool.query<{ id: number; path: string }>("SELECT id, path FROM org_units WHERE code = '530400'");
    const cityActor = { orgPath: unit[0].path, orgUnitId: unit[0].id } as Actor;
    const shown = await plans(database.pool, cityActor, [points[0].lon, points[0].lat]);
    console.log('\nnearest rangers (positions.nearestOnline):\n' + shown[0]);
    console.log('\nnearest sites (sites.nearest):\n' + shown[1]);
    const f = (x: number) => x.toFixed(1);
    console.log(`\nsuggestions, ${RANGERS} rangers online, ${SITES} sites, ${REQUESTS} requests each (${database.mode}):`);
    console.log(`  city (duty):      p50 ${f(city.p50)} ms  p95 ${f(city.p95)} ms  max ${f(city.max)} ms`);
    console.log(`  county (police1): p50 ${f(county.p50)} ms  p95 ${f(county.p95)} ms  max ${f(county.max)} ms`);
    const knn = shown.every(
      (plan) => /Index Scan using (device_states_point_gist|sites_location_geog_gist)/.test(plan) && plan.includes('Order By'),
    );
    console.log(
      JSON.stringify({
        mode: database.mode,
        rangers: RANGERS,
        sites: SITES,
        cityP95Ms: +f(city.p95),
        countyP95Ms: +f(county.p95),
        knnIndexUsed: knn,
      }),
    );
    await built.app.close();
  } finally {
    await database.close();
    await cleanup();
  }
}

await main();
