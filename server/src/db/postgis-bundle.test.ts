import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { isRuntimeFile, postgisRuntimeBundle } from './postgis-bundle.js';

async function entries(file: string): Promise<string[]> {
  const names: string[] = [];
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    names.push(header.name);
    stream.resume();
    stream.on('end', next);
  });
  await pipeline(fs.createReadStream(file), createGunzip(), extract);
  return names;
}

describe('the PostGIS runtime bundle', () => {
  it('keeps the postgis library, its install script and the PROJ data, and leaves the other extensions out', async () => {
    const names = await entries(await postgisRuntimeBundle());
    expect(names).toEqual(
      expect.arrayContaining(['lib/postgresql/postgis-3.so', 'share/postgresql/extension/postgis.control', 'share/proj/proj.db']),
    );
    expect(names.some((n) => /^share\/postgresql\/extension\/postgis--[\d.]+\.sql$/.test(n))).toBe(true);
    expect(names.filter((n) => /raster|topology|tiger|--ANY--|unpackaged/.test(n))).toEqual([]);
  });

  it('selects files by extension name, not by prefix', () => {
    expect(isRuntimeFile('lib/postgresql/postgis-3.so')).toBe(true);
    expect(isRuntimeFile('lib/postgresql/postgis_raster-3.so')).toBe(false);
    expect(isRuntimeFile('share/postgresql/extension/postgis_topology.control')).toBe(false);
    expect(isRuntimeFile('share/postgresql/extension/postgis--3.6.2.sql')).toBe(true);
    expect(isRuntimeFile('share/postgresql/extension/postgis--3.5.0--3.6.2.sql')).toBe(false);
    expect(isRuntimeFile('share/postgresql/contrib/postgis-3.6/postgis.sql')).toBe(false);
  });
});
