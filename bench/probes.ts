/**
 * Where the time goes, without changing the server: CPU time of the server's main thread, of the
 * whole process and of the PostgreSQL processes (from /proc), and a stopwatch around each step
 * of the pipeline's commit (wrapping the module functions the pipeline was given).
 */
import fs from 'node:fs';
import type { PositionPipeline } from '../server/src/ingest/pipeline.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export type CpuSnapshot = {
  wall: number;
  main: number;
  process: number;
  /** Ticks per PostgreSQL backend serving the bench database. */
  backends: Map<number, number>;
  /** Busy ticks of the whole machine (every process, ours and others'). */
  machine: number;
  /** Ticks per thread of this process. */
  threads: Map<number, number>;
};
export type CpuUse = {
  wallSeconds: number;
  mainSeconds: number;
  processSeconds: number;
  postgresSeconds: number;
  /** CPU that other processes on the machine used meanwhile (other people's tests, say). */
  otherSeconds: number;
  /** The busiest threads of this process besides the main one, seconds each, largest first. */
  threadSeconds: number[];
};

/** utime + stime of a process or thread, or -1 when it is gone. */
function ticksOf(statFile: string): number {
  try {
    const stat = fs.readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return -1;
  }
}

function machineBusyTicks(): number {
  const [, user, nice, system, , , irq, softirq, steal] = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return user + nice + system + irq + softirq + steal;
}

/** CPU used so far by the server's main thread, this process, the given PostgreSQL backends and the machine. */
export function cpuSnapshot(backendPids: number[] = []): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    wall: performance.now() / 1000,
    main: ticksOf(`/proc/self/task/${process.pid}/stat`) / TICKS_PER_SECOND,
    process: (usage.user + usage.system) / 1e6,
    backends: new Map(backendPids.map((pid) => [pid, ticksOf(`/proc/${pid}/stat`)])),
    machine: machineBusyTicks() / TICKS_PER_SECOND,
    threads: new Map(
      fs
        .readdirSync('/proc/self/task')
        .filter((tid) => Number(tid) !== process.pid)
        .map((tid) => [Number(tid), ticksOf(`/proc/self/task/${tid}/stat`)]),
    ),
  };
}

/** What was used between two snapshots (a backend seen only at the end counts from zero). */
export function cpuBetween(start: CpuSnapshot, end: CpuSnapshot): CpuUse {
  let backendTicks = 0;
  for (const [pid, ticks] of end.backends) if (ticks >= 0) backendTicks += ticks - Math.max(0, start.backends.get(pid) ?? 0);
  const processSeconds = end.process - start.process;
  const postgresSeconds = backendTicks / TICKS_PER_SECOND;
  return {
    wallSeconds: end.wall - start.wall,
    mainSeconds: end.main - start.main,
    processSeconds,
    postgresSeconds,
    otherSeconds: Math.max(0, end.machine - start.machine - processSeconds - postgresSeconds),
    threadSeconds: [...end.threads]
      .filter(([, ticks]) => ticks >= 0)
      .map(([tid, ticks]) => (ticks - Math.max(0, start.threads.get(tid) ?? 0)) / TICKS_PER_SECOND)
      .sort((a, b) => b - a)
      .slice(0, 3),
  };
}

type Stage = { calls: number; ms: number; rows: number };
export type StageTimes = { reset(): void; snapshot(): Record<string, Stage> };

type Fn = (...args: never[]) => Promise<unknown>;

/**
 * Times the pipeline's steps by wrapping, on this app instance only, `prepare`, `commit` and the
 * module functions `commit` calls. "rest of commit" is the commit minus its statements: BEGIN and
 * COMMIT, waiting for the pooled connection, and the JavaScript between the statements.
 */
export function instrumentPipeline(pipeline: PositionPipeline): StageTimes {
  const stages = new Map<string, Stage>();
  const internals = pipeline as unknown as Record<string, Fn> & { deps: Record<string, Record<string, Fn>> };
  const wrap = (target: Record<string, Fn>, method: string, name: string, rowsOf: (args: unknown[]) => number = () => 0) => {
    const original = target[method].bind(target);
    stages.set(name, { calls: 0, ms: 0, rows: 0 });
    target[method] = (async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await (original as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        const stage = stages.get(name) as Stage;
        stage.calls++;
        stage.ms += performance.now() - started;
        stage.rows += rowsOf(args);
      }
    }) as Fn;
  };
  const { positions, alerts } = internals.deps;
  wrap(internals, 'prepare', 'prepare (match + locate)', (args) => (args[0] as unknown[]).length);
  wrap(internals, 'commit', 'commit (one transaction)', (args) => (args[0] as unknown[]).length);
  wrap(positions, 'storeIn', 'INSERT positions');
  wrap(positions, 'advanceStatesIn', 'upsert device_states');
  wrap(positions, 'onPatrolIn', 'patrol lookup');
  // Raising and resolving include their audit rows and the read of what they publish.
  wrap(alerts, 'raiseIn', 'raise alerts');
  wrap(alerts, 'resolveIn', 'resolve alerts');
  return {
    reset() {
      for (const stage of stages.values()) Object.assign(stage, { calls: 0, ms: 0, rows: 0 });
    },
    snapshot() {
      const copy = Object.fromEntries([...stages].map(([name, s]) => [name, { ...s }]));
      const commit = copy['commit (one transaction)'];
      const inner = ['INSERT positions', 'upsert device_states', 'patrol lookup', 'raise alerts', 'resolve alerts']
        .map((n) => copy[n].ms)
        .reduce((a, b) => a + b, 0);
      copy['rest of commit'] = { calls: commit.calls, ms: Math.max(0, commit.ms - inner), rows: commit.rows };
      return copy;
    },
  };
}

/**
 * With BENCH_CPU_PROFILE=<dir>, profiles the server's main thread during one measurement and
 * writes `<dir>/<label>.cpuprofile` (summarise it with bench/profile-summary.ts).
 */
export async function profileMainThread<T>(label: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return work();
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/${label}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}
