/**
 * Dispatch suggestions at scale (issue 9, section 7), part of `npm run bench:incidents`: with
 * 10,000 rangers online and 2,000 sites, the p95 of `GET /api/incidents/:id/suggestions` must
 * stay within 50 ms. On a fresh database (embedded, or one created on the PostgreSQL server) it
 * adds the rangers (a live state each, heard within the last 5 minutes, a third on patrol) and the
 * sites at random points of Yuxi, opens incidents at random points, and asks for suggestions as
 * the duty officer (the whole city: every unit is a candidate) and as a county's police. The
 * baseline is the two nearest-unit queries themselves, as the repos issue them (captured through a
 * query logger), run straight on the pool: the ratio is what the route, scope and service add.
 * Their query plans are printed, so the KNN index scans can be seen.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { buildApp, QUIET_APP_CONFIG } from '../server/src/app.js';
import type { DatabaseHandle } from '../server/src/db/connection.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { DISPATCHABLE_SITE_KINDS } from '../server/src/modules/dispatch/dispatch.schema.js';
import { createPositionsRepo } from '../server/src/modules/positions/positions.repo.js';
import { createSitesRepo } from '../server/src/modules/sites/sites.repo.js';
import type { Actor } from '../server/src/platform/actor.js';
import { DEMO_PASSWORD, seedDatabase } from '../server/src/seed/seed.js';
import { log, openBenchDatabase, quantile } from './harness.js';

const RANGERS = Number(process.env.BENCH_RANGERS ?? 10_000);
const SITES = Number(process.env.BENCH_SITES ?? 2_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const INCIDENTS = 20;

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

type Captured = { query: string; params: unknown[] };

/** The two nearest-unit queries as the repos issue them for this actor and point. */
async function nearestQueries(pool: pg.Pool, actor: Actor, at: [number, number]): Promise<Captured[]> {
  const captured: Captured[] = [];
  const logged = drizzle(pool, { logger: { logQuery: (query, params) => captured.push({ query, params }) } });
  await createPositionsRepo().nearestOnline(logged, actor, at, { limit: 10, onlineMinutes: 10 });
  await createSitesRepo().nearest(logged, actor, at, DISPATCHABLE_SITE_KINDS, 10);
  return captured;
}

async function plans(pool: pg.Pool, queries: Captured[]) {
  const out: string[] = [];
  for (const { query, params } of queries) {
    const { rows } = await pool.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${query}`, params);
    out.push(rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
  }
  return out;
}

const summary = (times: number[]) => {
  const warm = times.slice(Math.min(20, times.length / 10)).sort((a, b) => a - b);
  return { p50: quantile(warm, 0.5), p95: quantile(warm, 0.95), max: warm[warm.length - 1] };
};

export async function measureSuggestions(mode: DatabaseHandle['mode']) {
  const { database, cleanup } = await openBenchDatabase(mode, 'dispatch');
  try {
    log(`(b) dispatch suggestions, ${database.mode}: migrating and seeding…`);
    await migrateDatabase(database.db, database.pool);
    await seedDatabase(database, { demo: true });
    log(`    adding ${RANGERS} rangers online and ${SITES} sites…`);
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
      return summary(times);
    };
    const city = await measure(duty);
    const county = await measure(police);
    const { rows: unit } = await database.pool.query<{ id: number; path: string }>("SELECT id, path FROM org_units WHERE code = '530400'");
    const cityActor = { orgPath: unit[0].path, orgUnitId: unit[0].id } as Actor;
    // The baseline: the same two queries for the city, straight on the pool, at the same incidents.
    const rawTimes: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const p = points[i % points.length];
      const queries = await nearestQueries(database.pool, cityActor, [p.lon, p.lat]);
      const started = performance.now();
      for (const { query, params } of queries) await database.pool.query(query, params);
      rawTimes.push(performance.now() - started);
    }
    const raw = summary(rawTimes);
    const shown = await plans(database.pool, await nearestQueries(database.pool, cityActor, [points[0].lon, points[0].lat]));
    log(`    nearest rangers (positions.nearestOnline):\n${indent(shown[0])}`);
    log(`    nearest sites (sites.nearest):\n${indent(shown[1])}`);
    const f = (x: number) => x.toFixed(1);
    log(`    suggestions, ${RANGERS} rangers online, ${SITES} sites, ${REQUESTS} requests each (${database.mode}):`);
    log(`      city (duty):      p50 ${f(city.p50)} ms  p95 ${f(city.p95)} ms  max ${f(city.max)} ms`);
    log(`      county (police1): p50 ${f(county.p50)} ms  p95 ${f(county.p95)} ms  max ${f(county.max)} ms`);
    log(
      `      baseline, the two KNN queries alone: p50 ${f(raw.p50)} ms  p95 ${f(raw.p95)} ms; route / queries (p95) = ${(city.p95 / raw.p95).toFixed(2)}`,
    );
    const knn = /Index Scan using device_states_point_gist/.test(shown[0]) && shown[0].includes('Order By');
    log(`      KNN index scan of the live positions: ${knn ? 'yes' : 'NO'}`);
    await built.app.close();
    return {
      cityP95Ms: +f(city.p95),
      countyP95Ms: +f(county.p95),
      rawP95Ms: +f(raw.p95),
      ratio: +(city.p95 / raw.p95).toFixed(2),
      knnIndexUsed: knn,
    };
  } finally {
    await database.close();
    await cleanup();
  }
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
