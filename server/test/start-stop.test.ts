import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` as a newcomer and a service manager use it: the README's command in the repository
// root, a taken port, and SIGTERM to the process that was started.

const root = path.resolve(import.meta.dirname, '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-start-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Holds a port the way another program would. */
async function holdPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return { port: (server.address() as net.AddressInfo).port, release: () => new Promise((r) => server.close(() => r())) };
}

/** `npm start` in its own process group (as a service manager starts it), output collected. */
function npmStart(env: Record<string, string>) {
  // The README's default: the embedded database (also when the suite itself runs on DATABASE_URL).
  const { DATABASE_URL: _server, TEST_DATABASE: _mode, ...inherited } = process.env;
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    env: { ...inherited, HOST: '127.0.0.1', SIMULATE: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => {
    output.stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output.stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

/** Processes still alive in the process group `pgid`. */
function processesInGroup(pgid: number): string[] {
  const alive: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …; comm may hold spaces, so read after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z')
        alive.push(fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // the process ended while we looked
    }
  }
  return alive;
}

async function waitForHealth(url: string, child: ChildProcess, output: { stdout: string; stderr: string }) {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}: ${output.stdout}${output.stderr}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer from ${url}: ${output.stdout}${output.stderr}`);
}

describe('npm start', () => {
  it.each([
    ['PORT', 'OSMAND_PORT'],
    ['OSMAND_PORT', 'PORT'],
  ])('stops at once with one sentence naming %s when its port is taken', async (taken, other) => {
    const held = await holdPort();
    const dataDir = path.join(scratch, `taken-${taken}`);
    try {
      const started = Date.now();
      const run = npmStart({ [taken]: String(held.port), [other]: String(await freePort()), DATA_DIR: dataDir });
      expect(await run.exited).toBe(1);
      expect(Date.now() - started).toBeLessThan(30_000);
      const lines = run.output.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('npm error'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${held.port}`);
      expect(lines[0]).toContain(`set ${taken} to a free port`);
      expect(run.output.stderr).not.toMatch(/^\s+at /m);
      expect(fs.existsSync(dataDir)).toBe(false); // nothing slow happened
    } finally {
      await held.release();
    }
  });

  it('stops every process it started on SIGTERM to the npm process, releasing the port and the data directory', async () => {
    const port = await freePort();
    const dataDir = path.join(scratch, 'data');
    const run = npmStart({ PORT: String(port), OSMAND_PORT: String(await freePort()), DATA_DIR: dataDir });
    const pgid = run.child.pid as number;
    try {
      await waitForHealth(`http://127.0.0.1:${port}/api/health`, run.child, run.output);
      expect(fs.existsSync(path.join(dataDir, 'safeforest.lock'))).toBe(true);
      process.kill(pgid, 'SIGTERM'); // the group leader only, as a service manager's main-process stop
      await Promise.race([run.exited, new Promise((r) => setTimeout(r, 30_000))]);
      const deadline = Date.now() + 15_000;
      while (processesInGroup(pgid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(processesInGroup(pgid)).toEqual([]);
      expect(fs.existsSync(path.join(dataDir, 'safeforest.lock'))).toBe(false);
      const listener = await holdPortAt(port);
      await listener.release();
    } finally {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone, as it should be
      }
    }
  }, 400_000);
});

/** Listens on a given port: fails when something still holds it. */
async function holdPortAt(port: number): Promise<{ release(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return { release: () => new Promise((r) => server.close(() => r())) };
}
