/**
 * What the benchmarks that drive the real app share: the app on loopback ports (HTTP and OsmAnd)
 * over a migrated and seeded database, the load worker, CPU accounting, and the SOS probe.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { type AppConfig, buildApp } from '../server/src/app.js';
import { type DatabaseHandle, openDatabase } from '../server/src/db/connection.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { startOsmAndServer } from '../server/src/ingest/osmand-server.js';
import { DEMO_PASSWORD, seedDatabase } from '../server/src/seed/seed.js';
import { RangerWalk, type SimulatedDevice } from '../server/src/seed/simulate.js';
import { simulatedDevicesFromDatabase } from '../server/src/seed/simulate-commands.js';
import type { FixPlan, Job, LoadResult, SosJob, SosResult } from './load-worker.js';
import { type CpuUse, cpuBetween, cpuSnapshot, instrumentPipeline, profileMainThread, type StageTimes } from './probes.js';

export const WARMUP_MS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3) * 1000;
export const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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

export const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
export const pct = (v: number) => `${Math.round(v * 100)}%`;
export const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function log(line = '') {
  console.log(line);
}

/** A seeded random source, so every run walks the same tracks. */
export function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 256 walking points per device inside its grid (the simulator's walk, 30 s apart). */
export function tracksOf(devices: SimulatedDevice[]): FixPlan['tracks'] {
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

export type Server = Awaited<ReturnType<typeof startServer>>;

/** Migrates and seeds the demo data, builds the app and listens on loopback ports (HTTP and OsmAnd). */
export async function startServer(database: DatabaseHandle) {
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
export function runJob<T extends LoadResult | SosResult>(job: Job): Promise<T> {
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
export function plan(server: Server): FixPlan {
  const start = baseTime;
  baseTime += 3 * 3600_000;
  return { tracks: server.tracks, baseTime: start, stepMs: 250 };
}

/** Runs a measurement and the CPU it used: the server's main thread, the process, the bench database's backends, others. */
export async function withCpu<T>(server: Server, work: () => Promise<T>): Promise<[T, CpuUse]> {
  const pids = await server.backendPids();
  const start = cpuSnapshot(pids);
  const result = await work();
  const end = cpuSnapshot([...new Set([...pids, ...(await server.backendPids())])]);
  return [result, cpuBetween(start, end)];
}

export function describeCpu(cpu: CpuUse, clientBusy: number, mode: DatabaseHandle['mode'], fixes?: number) {
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

export function describeStages(stages: StageTimes) {
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

export async function signIn(port: number, username: string): Promise<string> {
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

/**
 * SOS presses under paced batch load: every `everyMs` another ranger's phone sends an SOS to the
 * OsmAnd port, and a WebSocket client signed in as `duty` takes the time to its alert, or to the
 * incident the SOS opens (`until`). A ranger has at most one open SOS, so each device presses once.
 */
export async function measureSosLatency(
  server: Server,
  {
    until,
    label,
    samples,
    skip = 0,
    paceFixesPerSec,
  }: {
    until: SosJob['until'];
    label: string;
    samples: number;
    /** Rangers already used by an earlier measurement on this server. */
    skip?: number;
    /** 0: no background load. */
    paceFixesPerSec: number;
  },
) {
  const cookie = await signIn(server.port, 'duty');
  // One device per ranger, each pressing SOS once: every press raises a new alert.
  const seen = new Set<string>();
  const devices = server.devices
    .filter((d) => d.rangerId && !seen.has(d.rangerId) && seen.add(d.rangerId))
    .map((d) => {
      const track = server.tracks.find((t) => t.uniqueId === d.uniqueId);
      const [lon, lat] = track?.points[0] ?? [0, 0];
      return { uniqueId: d.uniqueId, key: d.key ?? null, lon, lat };
    })
    .slice(skip);
  server.stages.reset();
  const job: SosJob = {
    kind: 'sos',
    until,
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
      paceFixesPerSec,
    },
    osmand: { host: '127.0.0.1', port: server.osmandPort, path: '/' },
    live: { url: `ws://127.0.0.1:${server.port}/api/live`, cookie },
    devices,
    everyMs: 200,
    samples: Math.min(samples, devices.length),
    timeoutMs: 5_000,
  };
  const [result, cpu] = await withCpu(server, () => profileMainThread(`sos-${until}`, () => runJob<SosResult>(job)));
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const p99 = quantile(sorted, 0.99);
  const loadPerSec = result.load.windowMs ? result.load.stored / (result.load.windowMs / 1000) : 0;
  log(
    `${label}, ${server.database.mode}, ${paceFixesPerSec ? `under ${n0(loadPerSec)} fixes/s of paced batches (500 every 100 ms)` : 'no other load'}: ${sorted.length} SOS, ` +
      `${result.missed} missed; p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p90 ${quantile(sorted, 0.9).toFixed(1)} ms, ` +
      `p99 ${p99.toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`,
  );
  if (result.load.late) log(`    the paced load fell behind ${result.load.late} times`);
  describeCpu(cpu, result.load.clientBusy, server.database.mode, result.load.storedTotal || undefined);
  describeStages(server.stages);
  return { p99: result.missed ? Number.POSITIVE_INFINITY : p99, samples: sorted.length, missed: result.missed };
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one measurement: an embedded one in a temp folder, or
 * `safeforest_bench_<label>_<pid>` created on `POSTGRES_URL`'s server. `cleanup`, called once the
 * database is closed, deletes it (the PostgreSQL one is also dropped on Ctrl-C).
 */
export async function openBenchDatabase(
  mode: DatabaseHandle['mode'],
  label: string,
): Promise<{ database: DatabaseHandle; cleanup: () => Promise<void> }> {
  if (mode === 'embedded') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `safeforest-bench-${label}-`));
    const database = await openDatabase({ dataDir: dir });
    return {
      database,
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `safeforest_bench_${label}_${process.pid}`;
  const drop = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => {});
  const onSignal = () => void drop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await adminQuery(`CREATE DATABASE ${name}`);
  const database = await openDatabase({ databaseUrl: withDatabase(POSTGRES_URL, name), dataDir: '' });
  return {
    database,
    cleanup: async () => {
      await drop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
