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
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openDatabase } from '../server/src/db/connection.js';
import {
  adminQuery,
  describeCpu,
  describeStages,
  log,
  measureSosLatency,
  n0,
  POSTGRES_URL,
  plan,
  quantile,
  runJob,
  type Server,
  startServer,
  verdict,
  WARMUP_MS,
  withCpu,
  withDatabase,
} from './harness.js';
import type { BatchJob, LoadResult, SingleJob } from './load-worker.js';
import type { CpuUse, StageTimes } from './probes.js';
import { profileMainThread } from './probes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const BATCH_SIZE = Number(process.env.BENCH_BATCH ?? 2_500);
const BATCH_CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const SINGLE_CLIENTS = Number(process.env.BENCH_SINGLE_CLIENTS ?? 256);
const SOS_SAMPLES = Number(process.env.BENCH_SOS_SAMPLES ?? 120);
const PACED_FIXES_PER_SEC = 5_000;
/** Which measurements run: a (embedded), b (PostgreSQL batches + COPY), c (single fixes), d (SOS latency). */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'a,b,c,d').split(','));

const TARGETS = { embeddedPerSec: 20_000, postgresPerSec: 50_000, postgresCopyRatio: 0.3, singleFixPerSec: 5_000, alertP99Ms: 250 };

type Measured = {
  perSec: number;
  stored: number;
  seconds: number;
  result: LoadResult;
  cpu: CpuUse;
  stages: ReturnType<StageTimes['snapshot']>;
  counted: number;
};

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
      if (ONLY.has('d'))
        figures.alertP99Ms = (
          await measureSosLatency(server, {
            until: 'alert',
            label: '(d) SOS → WebSocket alert',
            samples: SOS_SAMPLES,
            paceFixesPerSec: PACED_FIXES_PER_SEC,
          })
        ).p99;
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
