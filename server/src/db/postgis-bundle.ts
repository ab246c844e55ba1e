import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';

/**
 * The PostGIS files the embedded database loads at every start. PGlite's PostGIS package ships one
 * 95 MB bundle (20 MB compressed) with three extensions, their install and upgrade scripts and the
 * PROJ data; PGlite unpacks all of it and compiles every shared library in it on every start,
 * although SafeForest creates only `postgis`. The runtime bundle keeps what `postgis` needs —
 * its library, control file and install script, and the PROJ data — and is a third of the work.
 * It is made once from the package's own bundle (at `npm ci`, or at the first start) and kept
 * beside the prepared databases, named by the package version.
 */

/** The extensions the runtime bundle can create and load: the migrations create only these. */
export const RUNTIME_EXTENSIONS = ['postgis'] as const;

const serverDir = fileURLToPath(new URL('../../', import.meta.url));
/** Prepared files of the embedded database: npm's usual cache folder, emptied by every `npm ci`. */
export const EMBEDDED_CACHE_DIR = path.resolve(serverDir, '..', 'node_modules', '.cache', 'safeforest');

const require = createRequire(import.meta.url);

function packageBundle(): { file: string; version: string } {
  const dist = path.dirname(require.resolve('@electric-sql/pglite-postgis'));
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, '..', 'package.json'), 'utf8')) as { version: string };
  return { file: path.join(dist, 'postgis.tar.gz'), version: manifest.version };
}

/** Whether a file of the package bundle belongs in the runtime bundle. */
export function isRuntimeFile(name: string): boolean {
  if (name.startsWith('share/proj/')) return true;
  const base = path.posix.basename(name);
  return RUNTIME_EXTENSIONS.some(
    (ext) =>
      name === `lib/postgresql/${ext}-3.so` ||
      (name.startsWith('share/postgresql/extension/') && (base === `${ext}.control` || new RegExp(`^${ext}--[\\d.]+\\.sql$`).test(base))),
  );
}

/** The runtime bundle for the installed PostGIS package, made now when it is not there yet. */
export async function postgisRuntimeBundle(): Promise<string> {
  const source = packageBundle();
  const target = path.join(EMBEDDED_CACHE_DIR, `postgis-runtime-${source.version}.tar.gz`);
  if (fs.existsSync(target)) return target;
  fs.mkdirSync(EMBEDDED_CACHE_DIR, { recursive: true });
  // Made aside and renamed into place: a reader never sees half of one, two makers do not collide.
  const partial = `${target}.${process.pid}.${Date.now()}.partial`;
  try {
    const extract = tar.extract();
    const pack = tar.pack();
    const packed = pipeline(pack, createGzip({ level: 1 }), fs.createWriteStream(partial));
    extract.on('entry', (header, stream, next) => {
      if (header.type === 'directory' || !isRuntimeFile(header.name)) {
        stream.resume();
        stream.on('end', next);
        return;
      }
      stream.pipe(pack.entry(header, (error) => next(error)));
    });
    extract.on('finish', () => pack.finalize());
    await pipeline(fs.createReadStream(source.file), createGunzip(), extract);
    await packed;
    fs.renameSync(partial, target);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  for (const entry of fs.readdirSync(EMBEDDED_CACHE_DIR)) {
    const version = /^postgis-runtime-(.+)\.tar\.gz$/.exec(entry)?.[1];
    if (version && version !== source.version) fs.rmSync(path.join(EMBEDDED_CACHE_DIR, entry), { force: true });
  }
  return target;
}
