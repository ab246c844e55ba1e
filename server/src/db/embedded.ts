import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { postgisRuntimeBundle } from './postgis-bundle.js';

export type EmbeddedServer = { url: string; stop(): Promise<void> };

/**
 * Starts PGlite + PostGIS on `dataDir` in a worker thread and returns a connection URL for it.
 * A lock file keeps a second process from opening the same data directory, which would corrupt it.
 * A new data directory starts as a copy of `template` when one is given (a prepared database).
 * What the worker has to report after it started (a connection it had to drop) goes to `log`.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void,
  template?: string | null,
): Promise<EmbeddedServer> {
  const postgisBundle = await postgisRuntimeBundle();
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = takeLock(path.join(dataDir, 'safeforest.lock'));
  if (template && !isDataDirectory(dataDir)) {
    try {
      fs.cpSync(template, dataDir, { recursive: true });
    } catch (error) {
      releaseLock();
      throw error;
    }
  }
  const worker = new Worker(new URL('./embedded-worker.js', import.meta.url), { workerData: { dataDir, postgisBundle } });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`embedded database exited with code ${code}`)));
      worker.once('message', (m: { type: string; address?: string; message?: string }) => {
        if (m.type === 'ready' && m.address) resolve(m.address);
        else reject(new Error(`embedded database failed to start: ${m.message}`));
      });
    });
    worker.on('message', (m: { type: string; line?: string }) => {
      if (m.type === 'log' && m.line) log(m.line);
    });
    worker.removeAllListeners('exit');
    worker.removeAllListeners('error');
    worker.unref();
    return {
      url: `postgres://postgres@${address}/postgres?sslmode=disable`,
      async stop() {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => resolve(), 10_000);
          worker.on('message', (m: { type: string }) => {
            if (m.type === 'stopped') {
              clearTimeout(timer);
              resolve();
            }
          });
          worker.postMessage({ type: 'stop' });
        });
        await worker.terminate();
        releaseLock();
      },
    };
  } catch (error) {
    await worker.terminate();
    releaseLock();
    throw error;
  }
}

/** Whether `dir` already holds a PostgreSQL data directory. */
export function isDataDirectory(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'PG_VERSION'));
}

function takeLock(file: string): () => void {
  try {
    const fd = fs.openSync(file, 'wx');
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(fs.readFileSync(file, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(`The data directory ${path.dirname(file)} is in use by process ${holder}; stop it first.`);
    }
    fs.writeFileSync(file, String(process.pid));
  }
  return () => fs.rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
