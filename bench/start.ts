/**
 * `npm run bench:start`: how long a newcomer waits. In a fresh `git clone` of this repository's
 * HEAD in the temp folder: `npm ci` (which compiles the server, builds the web client and prepares
 * the embedded database), then `npm start` on a new data directory until `/api/health` answers
 * 200 (the first start), then `npm start` again on the same directory (a restart). Prints each
 * figure with its ratio to the target (first start 20 s, restart 5 s, `npm ci && npm start`
 * 180 s), the CPU other processes used meanwhile, and one JSON line.
 *
 * BENCH_CLONE=0 measures the two starts in this checkout instead (no clone, no `npm ci`).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGETS = { firstStart: 20, restart: 5, ciAndStart: 180 };
const TICKS_PER_SECOND = 100;
const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const useClone = process.env.BENCH_CLONE !== '0';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-bench-start-'));

function machineBusySeconds(): number {
  const [, user, nice, system, , , irq, softirq, steal] = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** CPU seconds of every live process in a process group (children reaped inside it included). */
function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // ended meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type Measured = { seconds: number; ownCpuSeconds: number; otherCpuSeconds: number; load: number };

/** Runs a command to completion in its own process group; its output goes to `log`. */
function run(command: string, args: string[], cwd: string, log: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const machine = machineBusySeconds();
    const out = fs.openSync(log, 'a');
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', out, out] });
    let own = 0;
    const sampler = setInterval(() => {
      own = Math.max(own, groupCpuSeconds(child.pid as number));
    }, 200);
    child.on('exit', (code) => {
      clearInterval(sampler);
      fs.closeSync(out);
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} failed with ${code}; see ${log}`));
      const seconds = (performance.now() - started) / 1000;
      resolve({ seconds, ownCpuSeconds: own, otherCpuSeconds: Math.max(0, machineBusySeconds() - machine - own), load: os.loadavg()[0] });
    });
  });
}

/** `npm start` until /api/health answers 200; then SIGTERM to npm and wait until it has ended. */
async function timeStart(cwd: string, dataDir: string, log: string): Promise<Measured> {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), OSMAND_PORT: String(await freePort()), DATA_DIR: dataDir };
  const out = fs.openSync(log, 'a');
  const started = performance.now();
  const machine = machineBusySeconds();
  const child = spawn('npm', ['start'], { cwd, env, detached: true, stdio: ['ignore', out, out] });
  const pgid = child.pid as number;
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}; see ${log}`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 600_000) throw new Error(`no answer in 10 minutes; see ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const own = groupCpuSeconds(pgid);
    const other = Math.max(0, machineBusySeconds() - machine - own);
    return { seconds, ownCpuSeconds: own, otherCpuSeconds: other, load: os.loadavg()[0] };
  } finally {
    process.kill(pgid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // everything had stopped
    }
    fs.closeSync(out);
  }
}

const fmt = (m: Measured, target: number) =>
  `${m.seconds.toFixed(1).padStart(6)} s  (target ${target} s, ratio ${(m.seconds / target).toFixed(2)})  its CPU ${m.ownCpuSeconds.toFixed(1)} s, other processes ${m.otherCpuSeconds.toFixed(1)} s, load ${m.load.toFixed(1)}`;

async function main() {
  const log = path.join(os.tmpdir(), `safeforest-bench-start-${process.pid}.log`);
  console.log(
    `bench:start on ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; output in ${log}`,
  );
  let checkout = here;
  let ci: Measured | null = null;
  if (useClone) {
    checkout = path.join(scratch, 'clone');
    const cloned = spawnSync('git', ['clone', '--quiet', here, checkout], { stdio: 'inherit' });
    if (cloned.status !== 0) throw new Error('git clone failed');
    ci = await run('npm', ['ci', '--no-audit', '--no-fund'], checkout, log);
    console.log(`npm ci (install, compile, web build, prepared database) ${ci.seconds.toFixed(1)} s`);
  }
  const dataDir = path.join(scratch, 'data');
  const first = await timeStart(checkout, dataDir, log);
  console.log(`first start, new data directory ${fmt(first, TARGETS.firstStart)}`);
  const restart = await timeStart(checkout, dataDir, log);
  console.log(`restart                         ${fmt(restart, TARGETS.restart)}`);
  const total = ci
    ? {
        ...first,
        seconds: ci.seconds + first.seconds,
        ownCpuSeconds: ci.ownCpuSeconds + first.ownCpuSeconds,
        otherCpuSeconds: ci.otherCpuSeconds + first.otherCpuSeconds,
      }
    : null;
  if (total) console.log(`npm ci && npm start              ${fmt(total, TARGETS.ciAndStart)}`);
  console.log(
    JSON.stringify({
      bench: 'start',
      cores: os.cpus().length,
      firstStartSeconds: +first.seconds.toFixed(1),
      restartSeconds: +restart.seconds.toFixed(1),
      npmCiSeconds: ci ? +ci.seconds.toFixed(1) : null,
      ciAndStartSeconds: total ? +total.seconds.toFixed(1) : null,
      ratios: {
        firstStart: +(first.seconds / TARGETS.firstStart).toFixed(2),
        restart: +(restart.seconds / TARGETS.restart).toFixed(2),
        ciAndStart: total ? +(total.seconds / TARGETS.ciAndStart).toFixed(2) : null,
      },
      otherCpuSeconds: {
        firstStart: +first.otherCpuSeconds.toFixed(1),
        restart: +restart.otherCpuSeconds.toFixed(1),
        npmCi: ci ? +ci.otherCpuSeconds.toFixed(1) : null,
      },
      load1: +os.loadavg()[0].toFixed(1),
    }),
  );
}

try {
  await main();
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
