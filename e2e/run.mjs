#!/usr/bin/env node
/**
 * `npm run test:e2e` (after building the web client): starts the server on a free port with a
 * fresh embedded database and the demo data, runs the browser specs against it, stops it, and
 * exits with the specs' exit code. Server output goes to e2e/artifacts/server.log.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'e2e', 'artifacts');
const STARTUP_TIMEOUT_MS = 240_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The first of these executables that exists (vitest lives in the server workspace today). */
function bin(name) {
  for (const dir of ['node_modules/.bin', 'server/node_modules/.bin', 'web/node_modules/.bin']) {
    const candidate = path.join(root, dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`Cannot find ${name} in node_modules/.bin; run npm install`);
}

async function waitForHealth(baseUrl, server) {
  const started = Date.now();
  while (Date.now() - started < STARTUP_TIMEOUT_MS) {
    if (server.exitCode !== null) throw new Error(`The server exited with code ${server.exitCode} (see e2e/artifacts/server.log)`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The server did not answer /api/health within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main() {
  if (!fs.existsSync(path.join(root, 'web', 'dist', 'index.html'))) {
    console.error('web/dist is missing: run `npm run build --workspace web` first (npm run test:e2e does).');
    return 1;
  }
  fs.mkdirSync(artifacts, { recursive: true });
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = fs.createWriteStream(path.join(artifacts, 'server.log'));

  console.log(`e2e: starting the server on ${baseUrl} with a fresh database in ${dataDir} (first start seeds; ~30–60 s)`);
  const server = spawn(bin('tsx'), ['server/src/main.ts', 'serve'], {
    cwd: root,
    // The specs send their own fixes: no demo simulation walking (and patrolling) the same rangers,
    // and no OsmAnd port that another server on this machine may hold.
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_DATA: '1',
      SIMULATE: '0',
      OSMAND_PORT: 'off',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.pipe(log);
  server.stderr.pipe(log);

  let code = 1;
  try {
    const started = Date.now();
    await waitForHealth(baseUrl, server);
    console.log(`e2e: server ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    code = await new Promise((resolve) => {
      const vitest = spawn(bin('vitest'), ['run', '--config', 'e2e/vitest.config.ts', ...process.argv.slice(2)], {
        cwd: root,
        env: { ...process.env, E2E_BASE_URL: baseUrl },
        stdio: 'inherit',
      });
      vitest.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    });
  } catch (error) {
    console.error(`e2e: ${error instanceof Error ? error.message : error}`);
  } finally {
    await stop(server);
    log.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return code;
}

process.exit(await main());
