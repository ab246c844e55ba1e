// `npm ci` / `npm install` (prepare): the work a first start would otherwise do. Compiles the
// server, builds the web client and, meanwhile, prepares the embedded database (PostGIS,
// migrations, the Yuxi territory, and a copy with the demo data) that a start on a new data
// directory copies. One line per phase.
import { buildServer, buildWeb, phase, serverIsStale, webIsStale } from './build.mjs';

const started = Date.now();
// A repeated `npm install` rebuilds only what changed.
if (serverIsStale()) await phase('compiled the server to server/dist', buildServer);
const web = webIsStale() ? phase('built the web client in web/dist', buildWeb) : Promise.resolve();
const database = process.env.DATABASE_URL
  ? Promise.resolve()
  : phase('prepared the embedded database (node_modules/.cache/safeforest)', async () => {
      const { buildTemplate } = await import('../server/dist/seed/template-build.js');
      await buildTemplate('demo', (line) => console.log(`SafeForest:   ${line}`));
    }).catch((error) => {
      // Not fatal: the first start then prepares it.
      console.warn(`SafeForest: could not prepare the embedded database now (${error?.message ?? error}); the first start will.`);
    });
await Promise.all([web, database]);
console.log(`SafeForest: ready for \`npm start\` (prepared in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
