/**
 * `npm run bench:captures`: road-checkpoint captures and watchlists (issue 11, section 5), on
 * PostgreSQL (`BENCH_DATABASE_URL`, default the local server), on a fresh database it creates and
 * drops. See bench/README.md; results in docs/performance.md.
 *
 *   (a) batched ingest with watchlist matching (1,000 entries in force, a tenth of them patterns):
 *       captures/s over the window, target ≥ 5,000; baseline: the same rows COPYed back into the
 *       table in one stream (the database's own ceiling).
 *   (b) a capture hitting a watchlist → the `watchlist_hit` alert on the duty officer's socket,
 *       while 5,000 captures/s arrive: p99, target ≤ 1 s; baseline: the same probe with no load.
 *   (c) plate search over 10 million captures (bulk-loaded with generate_series over the last 12
 *       months): p95 of GET /api/captures for an exact plate and for a 5-character prefix, target
 *       ≤ 200 ms, and (no target) for a plate with its third character unknown (`云A?1234`);
 *       baseline: the plate condition alone (no scope, no count) run directly, without HTTP.
 */

import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { monthPartition } from '../server/src/modules/captures/captures.partitions.js';
import { createCapturesRepo } from '../server/src/modules/captures/captures.repo.js';
import { likePatternOf } from '../server/src/modules/watchlists/plates.js';
import { cstMonth } from '../server/src/platform/dates.js';
import type { CaptureLoadJob, CaptureLoadResult } from './captures-worker.js';
import { log, n0, openBenchDatabase, quantile, type Server, signIn, startServer, verdict, WARMUP_MS } from './harness.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ROWS = Number(process.env.BENCH_CAPTURE_ROWS ?? 10_000_000);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'a,b,c').split(','));
const SEARCH_SAMPLES = Number(process.env.BENCH_SEARCH_SAMPLES ?? 200);
const PROBES_IDLE = 30;
const PROBES_LOADED = 100;
const TARGETS = { capturesPerSec: 5_000, hitP99Ms: 1_000, searchP95Ms: 200 };
const LETTERS = 'ABCDEFGHJKLMNPQRSTUV';

function runLoad(job: CaptureLoadJob): Promise<CaptureLoadResult> {
  const file = new URL('./captures-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`,
    { eval: true },
  );
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { ok: boolean; result?: CaptureLoadResult; error?: string }) => {
      void worker.terminate();
      if (m.ok) resolve(m.result as CaptureLoadResult);
      else reject(new Error(`capture load worker: ${m.error}`));
    });
    worker.postMessage(job);
  });
}

/** An approved city watchlist of 900 plates and 100 patterns (贵 plates: the load's 云 plates never hit). */
async function watchlistInForce(server: Server, cityCookie: string, dutyCookie: string) {
  const entries = [
    ...Array.from({ length: 900 }, (_, i) => ({ plate: `贵A${String(i).padStart(5, '0')}` })),
    ...Array.from({ length: 100 }, (_, i) => ({ plate: `贵B?${String(i).padStart(4, '0')}` })),
  ];
  const post = (path: string, body: unknown, cookie: string) =>
    fetch(`http://127.0.0.1:${server.port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
  const now = Date.now();
  const created = await post(
    '/api/watchlists',
    {
      name: '压测布控',
      reason: '压测',
      validFrom: new Date(now - 86_400_000).toISOString(),
      validTo: new Date(now + 86_400_000).toISOString(),
      entries,
    },
    dutyCookie,
  );
  if (created.status !== 201) throw new Error(`watchlist: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const approved = await post(`/api/watchlists/${id}/approve`, {}, cityCookie);
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${await approved.text()}`);
}

async function checkpointIds(server: Server): Promise<string[]> {
  const { rows } = await server.database.pool.query<{ id: string }>(
    "SELECT id FROM sites WHERE kind IN ('timber_checkpoint', 'temporary_checkpoint', 'mobile_checkpoint') AND deleted_at IS NULL ORDER BY id",
  );
  return rows.map((r) => r.id);
}

async function measureIngest(server: Server, cookie: string, checkpoints: string[]) {
  const result = await runLoad({
    host: '127.0.0.1',
    port: server.port,
    cookie,
    checkpoints,
    warmupMs: WARMUP_MS,
    durationMs: SECONDS * 1000,
    connections: 4,
    batchSize: 500,
    baseTime: Date.now() - 3 * 3600_000,
  });
  if (result.failed.length) log(`    failures: ${result.failed.join(' | ')}`);
  const perSec = result.stored / (result.windowMs / 1000);
  log(
    `(a) batched ingest with watchlist matching: ${n0(perSec)} captures/s (${n0(result.stored)} in ${(result.windowMs / 1000).toFixed(1)} s, ${result.requests} batches of 500, ${result.duplicates} duplicates)`,
  );

  // Baseline: the same table's rows out and COPYed back in one stream.
  const client = await server.database.pool.connect();
  try {
    const buffer: Buffer[] = [];
    const out = client.query(copyTo('COPY (SELECT * FROM captures) TO STDOUT'));
    for await (const chunk of out) buffer.push(chunk as Buffer);
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM captures');
    await client.query('TRUNCATE captures');
    const started = performance.now();
    const stream = new PassThrough();
    const copying = pipeline(stream, client.query(copyFrom('COPY captures FROM STDIN')));
    for (const chunk of buffer) stream.write(chunk);
    stream.end();
    await copying;
    const copyPerSec = rows[0].n / ((performance.now() - started) / 1000);
    log(
      `    baseline: COPY of the same ${n0(rows[0].n)} rows into captures: ${n0(copyPerSec)} rows/s; ingest / COPY = ${(perSec / copyPerSec).toFixed(2)}`,
    );
    return { perSec, copyPerSec };
  } finally {
    client.release();
  }
}

async function measureHits(server: Server, cookie: string, dutyCookie: string, checkpoints: string[], loaded: boolean, offset: number) {
  const samples = loaded ? PROBES_LOADED : PROBES_IDLE;
  const plates = Array.from({ length: samples }, (_, i) => `贵A${String(offset + i).padStart(5, '0')}`);
  const result = await runLoad({
    host: '127.0.0.1',
    port: server.port,
    cookie,
    checkpoints,
    warmupMs: WARMUP_MS,
    durationMs: loaded ? samples * 200 + 2_000 : 0,
    connections: loaded ? 4 : 0,
    batchSize: 500,
    pacePerSec: TARGETS.capturesPerSec,
    baseTime: Date.now() - (loaded ? 2 : 1) * 3600_000,
    probe: { wsUrl: `ws://127.0.0.1:${server.port}/api/live`, dutyCookie, plates, everyMs: 200, timeoutMs: 5_000 },
  });
  if (result.failed.length) log(`    failures: ${result.failed.join(' | ')}`);
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const p99 = result.missed ? Number.POSITIVE_INFINITY : quantile(sorted, 0.99);
  const load = loaded ? `under ${n0(result.stored / (result.windowMs / 1000))} captures/s of paced batches` : 'no other load';
  log(
    `(b) ${loaded ? '' : 'baseline, '}capture → watchlist_hit alert on the duty officer's socket, ${load}: ${sorted.length} probes, ${result.missed} missed; ` +
      `p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`,
  );
  return p99;
}

/** 10 million captures over the last 12 months at the demo checkpoints, 1,000,000 vehicles, loaded in SQL. */
async function bulkLoad(server: Server, rows: number) {
  const { pool } = server.database;
  const repo = createCapturesRepo();
  const month = cstMonth(new Date());
  for (let i = -12; i <= 0; i++) await server.database.db.transaction((tx) => repo.createMonthPartition(tx, monthPartition(month, i)));
  const started = performance.now();
  // Indexes are built after the load, as a bulk import would: the same definitions as the migration's.
  await pool.query('TRUNCATE captures');
  await pool.query(
    'DROP INDEX captures_plate_idx, captures_plate_reversed_idx, captures_org_unit_idx, captures_captured_at_idx, captures_passage_idx',
  );
  const chunk = 1_000_000;
  for (let from = 0; from < rows; from += chunk) {
    await pool.query(
      `WITH cp AS (SELECT row_number() OVER (ORDER BY s.id) - 1 AS k, s.id, s.org_unit_id,
                     (SELECT c.code FROM org_units c WHERE c.kind = 'county' AND o.path LIKE c.path || '%') AS county
                   FROM sites s JOIN org_units o ON o.id = s.org_unit_id
                   WHERE s.kind IN ('timber_checkpoint', 'temporary_checkpoint', 'mobile_checkpoint')),
            n AS (SELECT count(*) AS c FROM cp)
       INSERT INTO captures (checkpoint_id, org_unit_id, county_code, plate, plate_color, vehicle_type, direction, captured_at)
       SELECT cp.id, cp.org_unit_id, cp.county,
              '云' || substr($3, (v % 20)::int + 1, 1) || lpad((v / 20)::text, 5, '0'),
              (ARRAY['blue','blue','blue','yellow','green'])[(g % 5) + 1], '小型轿车', CASE WHEN g % 2 = 0 THEN 'in' ELSE 'out' END,
              now() - ((g::float8 / $4) * interval '360 days')
       FROM generate_series($1::bigint, $2::bigint) AS g
       CROSS JOIN LATERAL (SELECT (g * 7919) % 1000000 AS v) vv
       JOIN cp ON cp.k = g % (SELECT c FROM n)`,
      [from, Math.min(rows, from + chunk) - 1, LETTERS, rows],
    );
  }
  const loaded = performance.now();
  await pool.query('CREATE UNIQUE INDEX captures_passage_idx ON captures (checkpoint_id, captured_at, plate)');
  await pool.query('CREATE INDEX captures_plate_idx ON captures (plate text_pattern_ops, captured_at)');
  await pool.query('CREATE INDEX captures_plate_reversed_idx ON captures (reverse(plate) text_pattern_ops, captured_at)');
  await pool.query('CREATE INDEX captures_org_unit_idx ON captures (org_unit_id, captured_at)');
  await pool.query('CREATE INDEX captures_captured_at_idx ON captures (captured_at)');
  await pool.query('ANALYZE captures');
  log(
    `(c) loaded ${n0(rows)} captures in ${((loaded - started) / 1000).toFixed(0)} s and indexed them in ${((performance.now() - loaded) / 1000).toFixed(0)} s`,
  );
}

async function measureSearch(server: Server, cookie: string) {
  const { pool } = server.database;
  const repoSql = (where: string) =>
    `SELECT id, plate, captured_at FROM captures WHERE ${where} ORDER BY captured_at DESC, id DESC LIMIT 20`;
  const plateOf = (v: number) => `云${LETTERS[v % 20]}${String(Math.floor(v / 20)).padStart(5, '0')}`;
  const results: Record<string, number> = {};
  for (const kind of ['exact', 'prefix', 'unknown'] as const) {
    const api: number[] = [];
    const direct: number[] = [];
    let found = 0;
    for (let i = 0; i < SEARCH_SAMPLES; i++) {
      const v = (i * 104_729 + 17) % 1_000_000;
      const plate = plateOf(v);
      // A prefix of five characters (云A123…): about a hundred vehicles, a thousand captures. An
      // unknown third character (云A?234…, a misread first digit): about ten vehicles.
      const chars = [...plate];
      const query =
        kind === 'exact'
          ? plate
          : kind === 'prefix'
            ? `${chars.slice(0, 5).join('')}*`
            : `${chars.slice(0, 2).join('')}?${chars.slice(3).join('')}`;
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${server.port}/api/captures?plate=${encodeURIComponent(query)}`, { headers: { cookie } });
      const body = (await res.json()) as { total: number };
      api.push(performance.now() - started);
      found += body.total;
      const t0 = performance.now();
      const condition = { exact: 'plate = $1', prefix: 'plate LIKE $1', unknown: 'plate LIKE $1 AND reverse(plate) LIKE reverse($1)' }[
        kind
      ];
      await pool.query(repoSql(condition), [likePatternOf(query, false) ?? plate]);
      direct.push(performance.now() - t0);
    }
    api.sort((a, b) => a - b);
    direct.sort((a, b) => a - b);
    results[kind] = quantile(api, 0.95);
    log(
      `    ${kind} plate search over GET /api/captures as the city: p50 ${quantile(api, 0.5).toFixed(1)} ms, p95 ${quantile(api, 0.95).toFixed(1)} ms ` +
        `(${n0(found / SEARCH_SAMPLES)} captures found on average); baseline, the query alone: p95 ${quantile(direct, 0.95).toFixed(1)} ms; ` +
        `API / query = ${(quantile(api, 0.95) / quantile(direct, 0.95)).toFixed(1)}`,
    );
  }
  const plan = await pool.query(`EXPLAIN ${repoSql(`plate = '${plateOf(17)}'`)}`);
  log(
    `    plan of the exact search: ${plan.rows
      .map((r: Record<string, string>) => r['QUERY PLAN'].trim())
      .slice(0, 4)
      .join(' / ')}`,
  );
  return results;
}

async function main() {
  const { database, cleanup } = await openBenchDatabase('postgres', 'captures');
  let server: Server | null = null;
  const summary: Record<string, number> = {};
  try {
    server = await startServer(database);
    log(`captures bench on PostgreSQL: migrated and seeded in ${server.setupSeconds.toFixed(1)} s`);
    const [kakou, duty, city] = await Promise.all([signIn(server.port, 'kakou'), signIn(server.port, 'duty'), signIn(server.port, 'city')]);
    const checkpoints = await checkpointIds(server);
    await watchlistInForce(server, city, duty);
    if (ONLY.has('a')) {
      const a = await measureIngest(server, kakou, checkpoints);
      summary.capturesPerSec = a.perSec;
      summary.copyRowsPerSec = a.copyPerSec;
      log(`    target ≥ ${n0(TARGETS.capturesPerSec)} captures/s: ${verdict(a.perSec >= TARGETS.capturesPerSec)}`);
    }
    if (ONLY.has('b')) {
      summary.hitIdleP99Ms = await measureHits(server, kakou, duty, checkpoints, false, 0);
      summary.hitP99Ms = await measureHits(server, kakou, duty, checkpoints, true, PROBES_IDLE);
      log(
        `    under load / idle (p99) = ${(summary.hitP99Ms / summary.hitIdleP99Ms).toFixed(2)}; target p99 ≤ ${TARGETS.hitP99Ms} ms: ${verdict(summary.hitP99Ms <= TARGETS.hitP99Ms)}`,
      );
    }
    if (ONLY.has('c')) {
      await bulkLoad(server, ROWS);
      const c = await measureSearch(server, city);
      summary.exactP95Ms = c.exact;
      summary.prefixP95Ms = c.prefix;
      summary.unknownP95Ms = c.unknown;
      log(
        `    target p95 ≤ ${TARGETS.searchP95Ms} ms: exact ${verdict(c.exact <= TARGETS.searchP95Ms)}, prefix ${verdict(c.prefix <= TARGETS.searchP95Ms)}`,
      );
    }
  } finally {
    await server?.close();
    await cleanup();
  }
  console.log(JSON.stringify({ bench: 'captures', rows: ROWS, ...summary }));
}

await main();
