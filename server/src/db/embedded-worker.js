// The embedded PostgreSQL: PGlite with PostGIS, served on a loopback port so the app talks to it
// with the same `pg` driver it uses for a real server. Runs in a worker thread so the WebAssembly
// database never blocks the main event loop. Plain JavaScript because worker threads do not
// inherit the TypeScript loader of the test runner or tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { serveEmbedded } from './embedded-socket.js';

const { dataDir, postgisBundle } = workerData;
// PostGIS from the runtime bundle (db/postgis-bundle.ts): the package's setup, a smaller bundle.
const postgisRuntime = { name: postgis.name, setup: async (...args) => ({ ...(await postgis.setup(...args)), bundlePath: postgisBundle }) };
try {
  const db = await PGlite.create({ dataDir, extensions: { postgis: postgisRuntime } });
  const server = await serveEmbedded(db, { log: (line) => parentPort.postMessage({ type: 'log', line }) });
  parentPort.postMessage({ type: 'ready', address: server.address });
  parentPort.on('message', async (message) => {
    if (message?.type !== 'stop') return;
    await server.stop();
    await db.close();
    parentPort.postMessage({ type: 'stopped' });
  });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: String(error?.stack ?? error) });
}
