/**
 * `npm run bench:ingest`: how many position fixes the ingest pipeline stores per second, on the
 * embedded database and on PostgreSQL, against a raw COPY of the same rows, one fix per OsmAnd
 * request, and the SOS → WebSocket alert latency under load. Everything runs on this machine over
 * loopback: the real app (buildApp) listening on a port, the load from a worker thread. See
 * bench/README.md; the figures and their reading are in docs/performance.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline as pipe } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { type AppConfig, buildApp } from '../server/src/app.js';
import { type DatabaseHandle, openDatabase } from '../server/src/db/connection.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { startOsmAndServer } from '../server/src/ingest/osmand-server.js';
import { DEMO_PASSWORD, seedDatabase } from '../server/src/seed/seed.js';
import { RangerWalk, type SimulatedDevice } from '../server/src/seed/simulate.js';
import { simulatedDevicesFromDatabase } from '../server/src/seed/simulate-commands.js';
import type { BatchJob, FixPlan, Job, LoadResult, SingleJob, SosJob, SosResult } from './load-worker.js';
import { type CpuUse, cpuBetween, cpuSnapshot, instrumentPipeline, profileMainThread, type StageTimes } from './probes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3) * 1000;
const BATCH_SIZE = Number(process.env.BENCH_BATCH ?? 2_500);
const BATCH_CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const SINGLE_CLIENTS = Number(process.env.BENCH_SINGLE_CLIENTS ?? 256);
const SOS_SAMPLES = Number(process.env.BENCH_SOS_SAMPLES ?? 120);
const PACED_FIXES_PER_SEC = 5_000;
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Which measurements run: a (embedded), b (PostgreSQL batches + COPY), c (single fixes), d (SOS latency). */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'a,b,c,d').split(','));

const TARGETS = { embeddedPerSec: 20_000, postgresPerSec: 50_000, postgresCopyRatio: 0.3, singleFixPerSec: 5_000, alertP99Ms: 250 };

const APP_CONFIG: AppConfig = {
  logLevel: (process.env.BENCH_LOG_LEVEL as AppConfig['logLevel']) ?? 'warn',
  cookieSecure: 'auto',
  sessionHours: 12,
  trustProxy: false,
  tileUrl: undefined,
  dataDir: path.join(os.tmpdir(), 'safeforest-bench'),
  webDist: '/nonexistent',
  analyzerIntervalMs: 0,
};

const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
const pct = (v: number) => `${Math.round(v * 100)}%`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

function log(line = '') {
  console.log(line);
}

/** A seeded random source, so every run walks the same tracks. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 256 walking points per device inside its grid (the simulator's walk, 30 s apart). */
function tracksOf(devices: SimulatedDevice[]): FixPlan['tracks'] {
  const random = mulberry32(2026);
  return devices.map((d) => {
    const walk = new RangerWalk(d.uniqueId, d.gridArea, random);
    const points: [number, number][] = [];
    for (let i = 0; i < 256; i++) {
      const fix = walk.step(i * 30_000, 30, false);
      points.push([Number(fix.lon.toFixed(7)), Number(fix.lat.toFixed(7))]);
    }
    return { uniqueId: d.uniqueId, key: d.key ?? null, points };
  });
}

type Server = Awaited<ReturnType<typeof startServer>>;

/** Migrates and seeds the demo data, builds the app and listens on loopback ports (HTTP and OsmAnd). */
async function startServer(database: DatabaseHandle) {
  const setupStarted = Date.now();
  await migrateDatabase(database.db, database.pool);
  await seedDatabase(database, { demo: true });
  const built = await buildApp(APP_CONFIG, database);
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const osmand = await startOsmAndServer(built.network.ingest, { port: 0, host: '127.0.0.1', logger: false });
  const devices = await simulatedDevicesFromDatabase(database.db);
  const tracks = tracksOf(devices);
  const stages = instrumentPipeline(built.network.pipeline);
  return {
    ...built,
    database,
    port,
    osmandPort: osmand.port,
    devices,
    tracks,
    stages,
    setupSeconds: (Date.now() - setupStarted) / 1000,
    /** The PostgreSQL backends serving this app's database (none for the embedded one). */
    async backendPids(): Promise<number[]> {
      if (database.mode !== 'postgres') return [];
      const name = new URL(database.url).pathname.slice(1);
      const { rows } = await adminQuery(`SELECT pid FROM pg_stat_activity WHERE datname = '${name}'`);
      return rows.map((r: { pid: number }) => r.pid);
    },
    async count() {
      const { rows } = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM positions');
      return rows[0].n;
    },
    async close() {
      await osmand.server.close();
      await built.app.close();
      await database.close();
    },
  };
}

/** Runs one job in a fresh load worker (its own event loop and thread). */
function runJob<T extends LoadResult | SosResult>(job: Job): Promise<T> {
  const file = new URL('./load-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`,
    { eval: true },
  );
  return new Promise<T>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { ok: boolean; result?: T; error?: string }) => {
      void worker.terminate();
      if (message.ok) resolve(message.result as T);
      else reject(new Error(`load worker: ${message.error}`));
    });
    // The worker's module loads asynchronously; the job waits in its port until it listens.
    worker.postMessage(job);
  });
}

let baseTime = Date.now() - 20 * 3600_000;
/** A fresh stretch of fix times for each phase (250 ms per fix and device), so no fix repeats an earlier one. */
function plan(server: Server): FixPlan {
  const start = baseTime;
  baseTime += 3 * 3600_000;
  return { tracks: server.tracks, baseTime: start, stepMs: 250 };
}

type Measured = {
  perSec: number;
  stored: number;
  seconds: number;
  result: LoadResult;
  cpu: CpuUse;
  stages: ReturnType<StageTimes['snapshot']>;
  counted: number;
};

/** Runs a measurement and the CPU it used: the server's main thread, the process, the bench database's backends, others. */
async function withCpu<T>(server: Server, work: () => Promise<T>): Promise<[T, CpuUse]> {
  const pids = await server.backendPids();
  const start = cpuSnapshot(pids);
  const result = await work();
  const end = cpuSnapshot([...new Set([...pids, ...(await server.backendPids())])]);
  return [result, cpuBetween(start, end)];
}

/** Closed-loop gateway batches for the window; fixes/s from the answers, checked against the table. */
async function measureBatches(server: Server, label: string): Promise<Measured> {
  const before = await server.count();
  server.stages.reset();
  const job: BatchJob = {
    kind: 'batch',
    host: '127.0.0.1',
    port: server.port,
    path: '/api/ingest/positions',
    warmupMs: WARMUP_MS,
    durationMs: SECONDS * 1000,
    plan: plan(server),
    connections: BATCH_CLIENTS,
    batchSize: BATCH_SIZE,
  };
  const [result, cpu] = await withCpu(server, () => profileMainThread(`batches-${server.database.mode}`, () => runJob<LoadResult>(job)));
  const counted = (await server.count()) - before;
  const seconds = result.windowMs / 1000;
  const perSec = result.stored / seconds;
  log(
    `${label}: ${BATCH_CLIENTS} clients × ${n0(BATCH_SIZE)}-fix batches for ${seconds.toFixed(1)} s (after ${WARMUP_MS / 1000} s warm-up): ` +
      `${n0(result.stored)} fixes stored → ${n0(perSec)} fixes/s`,
  );
  log(
    `    ${result.requests} batches answered, statuses ${JSON.stringify(result.statuses)}; table grew by ${n0(counted)} (answers said ${n0(result.storedTotal)})`,
  );
  if (result.errors.length) log(`    errors: ${result.errors.join(' | ')}`);
  describeCpu(cpu, result.clientBusy, server.database.mode, result.storedTotal);
  describeStages(server.stages);
  return { perSec, stored: result.stored, seconds, result, cpu, stages: server.stages.snapshot(), counted };
}

function describeCpu(cpu: CpuUse, clientBusy: number, mode: DatabaseHandle['mode'], fixes?: number) {
  const w = cpu.wallSeconds;
  log(
    `    CPU over ${w.toFixed(1)} s, in % of one core (the machine has 200%): server main thread ${pct(cpu.mainSeconds / w)}, ` +
      `whole process ${pct(cpu.processSeconds / w)} (busiest other threads ${cpu.threadSeconds.map((t) => pct(t / w)).join(', ')}: ` +
      `${mode === 'embedded' ? 'the embedded database, ' : ''}the load worker with its event loop busy ${pct(clientBusy)}, GC), ` +
      `${mode === 'postgres' ? `PostgreSQL backends ${pct(cpu.postgresSeconds / w)}, ` : ''}other processes on the machine ${pct(cpu.otherSeconds / w)}`,
  );
  // CPU per fix hardly depends on what else runs on the machine; throughput does.
  if (fixes)
    log(
      `    CPU per 1,000 fixes: server main thread ${((cpu.mainSeconds / fixes) * 1e6).toFixed(1)} ms` +
        `${mode === 'postgres' ? `, PostgreSQL backends ${((cpu.postgresSeconds / fixes) * 1e6).toFixed(1)} ms` : `, whole process ${((cpu.processSeconds / fixes) * 1e6).toFixed(1)} ms`}`,
    );
}

function describeStages(stages: StageTimes) {
  const s = stages.snapshot();
  const commit = s['commit (one transaction)'];
  if (!commit || commit.calls === 0) return;
  const per1k = (ms: number) => ((ms / Math.max(1, commit.rows)) * 1000).toFixed(1);
  const parts = Object.entries(s)
    .filter(([, v]) => v.calls > 0)
    .map(([name, v]) => `${name} ${per1k(v.ms)}`);
  log(`    pipeline, ms per 1,000 fixes: ${parts.join('; ')}`);
  log(
    `    ${commit.calls} commits of ${n0(commit.rows / commit.calls)} fixes on average, ${(commit.ms / commit.calls).toFixed(1)} ms each`,
  );
}

/** The same rows, copied out of `positions`, truncated, and COPYed back in one stream: the database's own ceiling. */
async function copyBaseline(url: string): Promise<{ rows: number; perSec: number; seconds: number }> {
  const columns =
    'device_id, fix_time, ranger_id, county_code, township_id, grid_id, in_assigned_area, outside_territory, lon, lat, accuracy, altitude, speed, course, battery, valid, alarm, attributes';
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const chunks: Buffer[] = [];
    await pipe(client.query(copyTo(`COPY (SELECT ${columns} FROM positions) TO STDOUT`)), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) chunks.push(chunk);
    });
    const rows = Number((await client.query('SELECT count(*) AS n FROM positions')).rows[0].n);
    await client.query('TRUNCATE positions');
    await client.query('CHECKPOINT');
    const started = performance.now();
    await pipe(Readable.from(chunks), client.query(copyFrom(`COPY positions (${columns}) FROM STDIN`)));
    const seconds = (performance.now() - started) / 1000;
    return { rows, perSec: rows / seconds, seconds };
  } finally {
    await client.end();
  }
}

async function measureSingle(server: Server, label: string, port: number, pathName: string) {
  server.stages.reset();
  const job: SingleJob = {
    kind: 'single',
    host: '127.0.0.1',
    port,
    path: pathName,
    warmupMs: WARMUP_MS,
    durationMs: Math.max(5, Math.round(SECONDS * 0.7)) * 1000,
    plan: plan(server),
    connections: SINGLE_CLIENTS,
  };
  const [result, cpu] = await withCpu(server, () => profileMainThread(`single-port-${port}`, () => runJob<LoadResult>(job)));
  const seconds = result.windowMs / 1000;
  const perSec = result.ok / seconds;
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  log(
    `${label}: ${SINGLE_CLIENTS} keep-alive clients, one GET per fix, ${seconds.toFixed(1)} s: ${n0(result.ok)} answered 200 → ${n0(perSec)} requests/s ` +
      `(latency p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p99 ${quantile(sorted, 0.99).toFixed(1)} ms; statuses ${JSON.stringify(result.statuses)})`,
  );
  if (result.errors.length) log(`    errors: ${result.errors.join(' | ')}`);
  describeCpu(cpu, result.clientBusy, server.database.mode, result.storedTotal);
  describeStages(server.stages);
  return { perSec, result };
}

async function signIn(port: number, username: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in as ${username}: ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function measureAlertLatency(server: Server) {
  const cookie = await signIn(server.port, 'duty');
  // One device per ranger, each pressing SOS once: every press raises a new alert.
  const seen = new Set<string>();
  const devices = server.devices
    .filter((d) => d.rangerId && !seen.has(d.rangerId) && seen.add(d.rangerId))
    .map((d) => {
      const track = server.tracks.find((t) => t.uniqueId === d.uniqueId);
      const [lon, lat] = track?.points[0] ?? [0, 0];
      return { uniqueId: d.uniqueId, key: d.key ?? null, lon, lat };
    });
  server.stages.reset();
  const job: SosJob = {
    kind: 'sos',
    load: {
      kind: 'batch',
      host: '127.0.0.1',
      port: server.port,
      path: '/api/ingest/positions',
      warmupMs: WARMUP_MS,
      durationMs: 0,
      plan: plan(server),
      connections: 4,
      batchSize: 500,
      paceFixesPerSec: PACED_FIXES_PER_SEC,
    },
    osmand: { host: '127.0.0.1', port: server.osmandPort, path: '/' },
    live: { url: `ws://127.0.0.1:${server.port}/api/live`, cookie },
    devices,
    everyMs: 200,
    samples: Math.min(SOS_SAMPLES, devices.length),
    timeoutMs: 5_000,
  };
  const [result, cpu] = await withCpu(server, () => profileMainThread('sos', () => runJob<SosResult>(job)));
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const p99 = quantile(sorted, 0.99);
  const loadPerSec = result.load.stored / (result.load.windowMs / 1000);
  log(
    `(d) SOS → WebSocket alert, PostgreSQL, under ${n0(loadPerSec)} fixes/s of paced batches (500 every 100 ms): ${sorted.length} SOS, ` +
      `${result.missed} missed; p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p90 ${quantile(sorted, 0.9).toFixed(1)} ms, ` +
      `p99 ${p99.toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`,
  );
  if (result.load.late) log(`    the paced load fell behind ${result.load.late} times`);
  describeCpu(cpu, result.load.clientBusy, server.database.mode, result.load.storedTotal);
  describeStages(server.stages);
  return { p99: result.missed ? Number.POSITIVE_INFINITY : p99, samples: sorted.length, missed: result.missed };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

async function describeMachine() {
  const cpus = os.cpus();
  let postgres = 'not reachable';
  try {
    const { rows } = await adminQuery(
      "SELECT current_setting('server_version') AS v, (SELECT default_version FROM pg_available_extensions WHERE name = 'postgis') AS g, current_setting('synchronous_commit') AS sc, current_setting('shared_buffers') AS sb",
    );
    postgres = `PostgreSQL ${rows[0].v} (PostGIS ${rows[0].g}; synchronous_commit ${rows[0].sc}, shared_buffers ${rows[0].sb})`;
  } catch (error) {
    postgres += ` (${(error as Error).message})`;
  }
  log(`SafeForest ingest benchmark, ${new Date().toISOString()}`);
  log(
    `machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; ` +
      `Node ${process.version}; ${postgres}; embedded PGlite 0.5.8 + PostGIS`,
  );
  log(
    `settings: window ${SECONDS} s after ${WARMUP_MS / 1000} s warm-up; batches ${BATCH_CLIENTS} × ${BATCH_SIZE}; single-fix clients ${SINGLE_CLIENTS}`,
  );
  log();
}

async function main() {
  await describeMachine();
  const figures: Record<keyof typeof TARGETS, number | null> = {
    embeddedPerSec: null,
    postgresPerSec: null,
    postgresCopyRatio: null,
    singleFixPerSec: null,
    alertP99Ms: null,
  };

  if (ONLY.has('a')) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-bench-'));
    let server: Server | null = null;
    try {
      server = await startServer(await openDatabase({ dataDir }));
      log(`embedded database: migrated and seeded in ${server.setupSeconds.toFixed(1)} s (${server.devices.length} demo devices)`);
      figures.embeddedPerSec = (await measureBatches(server, '(a) embedded, batch API')).perSec;
    } finally {
      await server?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    log();
  }

  if (ONLY.has('b') || ONLY.has('c') || ONLY.has('d')) {
    const name = `safeforest_bench_${process.pid}`;
    const drop = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    const onSignal = () => void drop().finally(() => process.exit(130));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let server: Server | null = null;
    try {
      await adminQuery(`CREATE DATABASE ${name}`);
      const url = withDatabase(POSTGRES_URL, name);
      server = await startServer(await openDatabase({ databaseUrl: url, dataDir: '' }));
      log(
        `PostgreSQL database ${name}: migrated and seeded in ${server.setupSeconds.toFixed(1)} s (${server.devices.length} demo devices)`,
      );
      if (ONLY.has('b')) {
        const batches = await measureBatches(server, '(b) PostgreSQL, batch API');
        figures.postgresPerSec = batches.perSec;
        const copy = await copyBaseline(url);
        figures.postgresCopyRatio = batches.perSec / copy.perSec;
        log(
          `    baseline: COPY of the same ${n0(copy.rows)} rows into positions in one stream: ${copy.seconds.toFixed(2)} s → ${n0(copy.perSec)} rows/s; ` +
            `batch API / COPY = ${figures.postgresCopyRatio.toFixed(2)}`,
        );
      }
      if (ONLY.has('c')) {
        const single = await measureSingle(server, '(c) PostgreSQL, OsmAnd port', server.osmandPort, '/');
        figures.singleFixPerSec = single.perSec;
        await measureSingle(server, '    the same on /api/ingest/osmand of the main port', server.port, '/api/ingest/osmand');
      }
      if (ONLY.has('d')) figures.alertP99Ms = (await measureAlertLatency(server)).p99;
    } finally {
      await server?.close();
      await drop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    log();
  }

  log('targets on this 2-core machine:');
  const rows: [keyof typeof TARGETS, string, (v: number) => boolean][] = [
    ['embeddedPerSec', 'embedded, fixes/s ≥ 20,000', (v) => v >= TARGETS.embeddedPerSec],
    ['postgresPerSec', 'PostgreSQL, fixes/s ≥ 50,000', (v) => v >= TARGETS.postgresPerSec],
    ['postgresCopyRatio', 'PostgreSQL / COPY ≥ 0.3', (v) => v >= TARGETS.postgresCopyRatio],
    ['singleFixPerSec', 'single-fix requests/s ≥ 5,000', (v) => v >= TARGETS.singleFixPerSec],
    ['alertP99Ms', 'SOS alert p99 ≤ 250 ms', (v) => v <= TARGETS.alertP99Ms],
  ];
  for (const [key, text, ok] of rows) {
    const v = figures[key];
    log(`  ${text.padEnd(34)} ${v === null ? 'not measured' : `${key === 'postgresCopyRatio' ? v.toFixed(2) : n0(v)}  ${verdict(ok(v))}`}`);
  }
  const round = (v: number | null, digits = 0) => (v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));
  console.log(
    JSON.stringify({
      bench: 'ingest',
      embeddedPerSec: round(figures.embeddedPerSec),
      postgresPerSec: round(figures.postgresPerSec),
      postgresCopyRatio: round(figures.postgresCopyRatio, 3),
      singleFixPerSec: round(figures.singleFixPerSec),
      alertP99Ms: round(figures.alertP99Ms, 1),
    }),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
