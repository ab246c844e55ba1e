// What `npm ci` (prepare) and `npm start` build: the server compiled to server/dist (plain
// JavaScript, so a start needs no TypeScript transpiler) and the web client in web/dist. Each is
// rebuilt only when its sources are newer than the last build.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const server = path.join(root, 'server');
const web = path.join(root, 'web');
/** Written last by a server build: its time is the build's. */
const serverStamp = path.join(server, 'dist', '.built');
const webStamp = path.join(web, 'dist', 'index.html');

function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const newest = (paths) => Math.max(0, ...paths.map((p) => fs.statSync(p).mtimeMs));
const builtAt = (stamp) => (fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : -1);

export const serverIsStale = () => builtAt(serverStamp) < newest([...files(path.join(server, 'src')), path.join(server, 'package.json')]);
export const webIsStale = () => builtAt(webStamp) < newest([...files(path.join(web, 'src')), path.join(web, 'index.html')]);

/** Compiles server/src to server/dist file by file (types are checked by `npm run check`, not here), data files copied. */
export async function buildServer() {
  const { build } = await import('esbuild');
  const src = path.join(server, 'src');
  const sources = files(src).filter((f) => /\.(ts|js)$/.test(f) && !/\.(test|factories)\.ts$/.test(f) && !/\.d\.ts$/.test(f));
  fs.rmSync(path.join(server, 'dist'), { recursive: true, force: true });
  await build({
    entryPoints: sources,
    outdir: path.join(server, 'dist'),
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  // Data files beside the code (word lists, JSON) are read relative to it: copy them along.
  for (const file of files(src).filter((f) => !/\.(ts|js)$/.test(f))) {
    const target = path.join(server, 'dist', path.relative(src, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  fs.writeFileSync(serverStamp, new Date().toISOString());
}

/** Builds the web client with Vite (a child process; its output is shown only when it fails). */
export function buildWeb() {
  return new Promise((resolve, reject) => {
    const vite = path.join(path.dirname(createRequire(path.join(web, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: web,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      if (code === 0) resolve();
      else reject(new Error(`building the web client failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** Runs `work` and prints one line with what it did and how long it took. */
export async function phase(label, work) {
  const started = Date.now();
  const result = await work();
  console.log(`SafeForest: ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}
