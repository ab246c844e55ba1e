import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoDeviceKey } from '../src/seed/rangers.js';
import { cloneTemplate } from './databases.js';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const DEVICES = ['YX5304020001', 'YX5304020002', 'YX5304030001', 'YX5304230001'];

/** Resolves when the process has ended (at once if it already has). */
const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A real `safeforest serve` process on the copy of the template. */
async function startServer(copy: { dataDir?: string; databaseUrl?: string }, port: number): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    OSMAND_PORT: 'off',
    SIMULATE: '0',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  if (copy.databaseUrl) env.DATABASE_URL = copy.databaseUrl;
  if (copy.dataDir) env.DATA_DIR = copy.dataDir;
  const child = spawn(tsx, [main, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${errors}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start: ${errors}`);
}

describe('durability', () => {
  let copy: Awaited<ReturnType<typeof cloneTemplate>>;
  let server: ChildProcess | null = null;
  beforeAll(async () => {
    copy = await cloneTemplate(inject('template'));
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await copy.drop();
  });

  it('after kill -9 during sustained ingest and a restart, every acknowledged position is there', async () => {
    const port = await freePort();
    server = await startServer(copy, port);
    const acknowledged = new Set<string>();
    let sequence = 0;
    let stop = false;
    const base = Date.UTC(2026, 7, 1, 0, 0, 0);
    // Four clients send batches of 200 fixes with distinct times until the process dies.
    const client = async (c: number) => {
      while (!stop) {
        const batch = Array.from({ length: 200 }, () => {
          const n = sequence++;
          const uniqueId = DEVICES[(n + c) % DEVICES.length];
          return { uniqueId, key: demoDeviceKey(uniqueId), fixTime: new Date(base + n * 1000).toISOString(), lon: 102.55, lat: 24.35 };
        });
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/ingest/positions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(batch),
          });
          if (res.ok) for (const f of batch) acknowledged.add(`${f.uniqueId}|${f.fixTime}`);
        } catch {
          return; // the server is gone
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    // Killed in the middle of the ingest: once ten batches are acknowledged, with more in flight.
    await expect.poll(() => acknowledged.size, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(2_000);
    server.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    await exited(server);
    expect(acknowledged.size).toBeGreaterThan(1_000);

    server = await startServer(copy, port);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'SafeForest2026' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const stored = new Set<string>();
    for (const uniqueId of DEVICES) {
      const res = await fetch(
        `http://127.0.0.1:${port}/api/positions?uniqueId=${uniqueId}&from=2026-08-01T00:00:00Z&to=2026-09-01T00:00:00Z&limit=50000`,
        { headers: { cookie } },
      );
      for (const p of (await res.json()).items as { fixTime: string }[]) stored.add(`${uniqueId}|${p.fixTime}`);
    }
    const lost = [...acknowledged].filter((key) => !stored.has(key));
    expect(lost).toEqual([]);
    server.kill('SIGTERM');
    await exited(server);
    server = null;
  }, 240_000);
});
