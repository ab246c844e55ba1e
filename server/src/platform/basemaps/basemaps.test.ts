import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { multipart, solidPng, type TileAt, writeMbtiles, writePmtiles } from '../../../test/tile-packages.js';
import { buildApp, QUIET_APP_CONFIG } from '../../app.js';

let t: TestApp;
let scratch: string;
beforeAll(async () => {
  t = await createTestApp();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-basemap-test-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const RED = solidPng([200, 30, 30]);
const GREEN = solidPng([30, 160, 60]);
const BLUE = solidPng([30, 60, 200]);
const YUXI: [number, number, number, number] = [101.1, 23.2, 103.3, 25.1];

/**
 * Zoom 1 holds one tile only, at XYZ 1/1/0 (the north-east quarter); zoom 2 two tiles in one
 * column. If rows were not flipped between XYZ and TMS, 1/1/0 would be missing and 1/1/1 found.
 */
const TILES: TileAt[] = [
  { z: 1, x: 1, y: 0, data: RED },
  { z: 2, x: 3, y: 1, data: GREEN },
  { z: 2, x: 3, y: 2, data: BLUE },
];

function mbtilesFile(name: string, tiles = TILES, metadata: Record<string, string> = {}) {
  const file = path.join(scratch, name);
  writeMbtiles(file, tiles, { name: '玉溪离线影像', format: 'png', minzoom: '1', maxzoom: '2', bounds: YUXI.join(','), ...metadata });
  return fs.readFileSync(file);
}

function pmtilesFile(tiles = TILES) {
  const file = path.join(scratch, 'area.pmtiles');
  writePmtiles(file, tiles, { bounds: YUXI, metadata: { name: '玉溪 PMTiles' } });
  return fs.readFileSync(file);
}

const upload = (as: string | null, data: Buffer, fileName: string, field = 'file') =>
  t.request(as, { method: 'POST', url: '/api/basemaps', ...multipart(data, fileName, field) });

const storedFiles = () => {
  const dir = path.join(t.dataDir, 'basemaps');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

const cspOf = async () => {
  const header = (await t.get(null, '/api/settings/public')).headers['content-security-policy'] as string;
  const directive = (name: string) => header.split(';').find((d) => d.trim().startsWith(`${name} `));
  return { img: directive('img-src'), connect: directive('connect-src') };
};

describe('uploading an offline basemap', () => {
  it('an administrator uploads an MBTiles package: 201 with its metadata; the file goes to the file store, not a table row', async () => {
    const data = mbtilesFile('yuxi.mbtiles');
    const res = await upload('admin', data, 'yuxi.mbtiles');
    expect(res.statusCode).toBe(201);
    const basemap = res.json();
    expect(basemap).toMatchObject({
      name: '玉溪离线影像',
      format: 'mbtiles',
      tileType: 'png',
      minzoom: 1,
      maxzoom: 2,
      bounds: YUXI,
      size: data.length,
    });
    expect(storedFiles()).toContain(`${basemap.id}.mbtiles`);
    expect(fs.readFileSync(path.join(t.dataDir, 'basemaps', `${basemap.id}.mbtiles`)).equals(data)).toBe(true);
    const { rows } = await t.database.pool.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'basemaps' AND data_type = 'bytea'`,
    );
    expect(rows).toEqual([]);
    const audit = await t.database.pool.query('SELECT actor_name, action FROM audit_log WHERE entity = $1 AND entity_id = $2', [
      'basemap',
      basemap.id,
    ]);
    expect(audit.rows).toEqual([{ actor_name: 'admin', action: 'basemap.upload' }]);
  });

  it('reads zoom levels from the tiles and names the package after its file when its metadata does not', async () => {
    const file = path.join(scratch, 'bare.mbtiles');
    writeMbtiles(file, TILES, {});
    const res = await upload('admin', fs.readFileSync(file), '红塔区 影像.mbtiles');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: '红塔区 影像',
      tileType: 'png',
      minzoom: 1,
      maxzoom: 2,
      bounds: [-180, -85.0511, 180, 85.0511],
    });
  });

  it('an administrator uploads a PMTiles package: 201 with the metadata of its header', async () => {
    const res = await upload('admin', pmtilesFile(), 'area.pmtiles');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '玉溪 PMTiles', format: 'pmtiles', tileType: 'png', minzoom: 1, maxzoom: 2, bounds: YUXI });
  });

  it('takes a package far larger than the 10 MB limit of photos', async () => {
    const big = Buffer.concat([RED, Buffer.alloc(24 * 1024 * 1024, 'tile')]);
    const res = await upload('admin', mbtilesFile('big.mbtiles', [{ z: 1, x: 0, y: 0, data: big }]), 'big.mbtiles');
    expect(res.statusCode).toBe(201);
    expect(res.json().size).toBeGreaterThan(24 * 1024 * 1024);
  });

  it.each(['hongta', 'city', 'duty', 'ranger1'])('%s may not upload (403)', async (who) => {
    const res = await upload(who, mbtilesFile('x.mbtiles'), 'x.mbtiles');
    expect(res.statusCode).toBe(403);
  });

  it('an anonymous upload is 401', async () => {
    expect((await upload(null, mbtilesFile('x.mbtiles'), 'x.mbtiles')).statusCode).toBe(401);
  });

  it.each([
    ['a photo', solidPng([1, 2, 3]), 'only MBTiles or PMTiles tile packages are accepted'],
    ['an empty file', Buffer.alloc(0), 'the file is empty'],
    ['a cut-off SQLite file', Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(200, 7)]), /not an MBTiles/],
    ['a PMTiles header with nothing after it', Buffer.concat([Buffer.from('PMTiles\x03', 'latin1'), Buffer.alloc(40)]), /not a PMTiles/],
  ])('refuses %s with a 400 on file, and keeps nothing', async (_, data, message) => {
    const before = storedFiles();
    const res = await upload('admin', data, 'broken.mbtiles');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'body.file', message: expect.stringMatching(message) }]);
    expect(storedFiles()).toEqual(before);
  });

  it('refuses an SQLite database that is not a tile package, and one without tiles', async () => {
    const notTiles = path.join(scratch, 'other.sqlite');
    fs.rmSync(notTiles, { force: true });
    const sqlite = (await import('node-sqlite3-wasm')).default;
    const db = new sqlite.Database(notTiles);
    db.exec('CREATE TABLE people (name text)');
    db.close();
    const res = await upload('admin', fs.readFileSync(notTiles), 'other.mbtiles');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.file');
    const empty = await upload('admin', mbtilesFile('empty.mbtiles', []), 'empty.mbtiles');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details).toEqual([{ path: 'body.file', message: 'the package holds no tiles' }]);
  });

  it('refuses an upload without the file field', async () => {
    const res = await upload('admin', mbtilesFile('x.mbtiles'), 'x.mbtiles', 'package');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.file');
  });
});

describe('serving tiles', () => {
  let mbtilesId: string;
  let pmtilesId: string;
  beforeAll(async () => {
    mbtilesId = (await upload('admin', mbtilesFile('serve.mbtiles'), 'serve.mbtiles')).json().id;
    pmtilesId = (await upload('admin', pmtilesFile(), 'serve.pmtiles')).json().id;
  });

  it.each(['mbtiles', 'pmtiles'])(
    'answers %s tiles in XYZ order with their content type and cache headers, to any signed-in user',
    async (format) => {
      const id = format === 'mbtiles' ? mbtilesId : pmtilesId;
      for (const { z, x, y, data } of TILES) {
        const res = await t.get('ranger1', `/api/basemaps/${id}/tiles/${z}/${x}/${y}`);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('image/png');
        expect(res.headers['cache-control']).toContain('max-age=');
        expect(res.rawPayload.equals(data)).toBe(true);
      }
      // The TMS row of 1/1/0 is 1: asked in XYZ it must not be found there.
      expect((await t.get('ranger1', `/api/basemaps/${id}/tiles/1/1/1`)).statusCode).toBe(404);
    },
  );

  it('answers 404 for a tile the package lacks, outside its zooms or outside the grid, and for an unknown basemap', async () => {
    for (const url of ['2/0/0', '3/6/2', '0/0/0', '1/2/0']) {
      const res = await t.get('hongta', `/api/basemaps/${mbtilesId}/tiles/${url}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await t.get('hongta', `/api/basemaps/${crypto.randomUUID()}/tiles/1/1/0`)).statusCode).toBe(404);
  });

  it('answers 401 without a session and 400 for a malformed address', async () => {
    expect((await t.get(null, `/api/basemaps/${mbtilesId}/tiles/1/1/0`)).statusCode).toBe(401);
    const res = await t.get('hongta', `/api/basemaps/${mbtilesId}/tiles/1/x/0`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('params.x');
  });

  it('serves JPEG and WebP tiles as such, and gzipped vector tiles as protobuf with Content-Encoding gzip', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
    const webp = Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1');
    const pbf = zlib.gzipSync(Buffer.from([0x1a, 0x02, 0x78, 0x01]));
    for (const [format, data, type] of [
      ['jpg', jpeg, 'image/jpeg'],
      ['webp', webp, 'image/webp'],
      ['pbf', pbf, 'application/x-protobuf'],
    ] as const) {
      const file = mbtilesFile(`${format}.mbtiles`, [{ z: 1, x: 0, y: 1, data }], { format });
      const created = await upload('admin', file, `${format}.mbtiles`);
      expect(created.json().tileType).toBe(format);
      const res = await t.get('hongta', `/api/basemaps/${created.json().id}/tiles/1/0/1`);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-encoding']).toBe(format === 'pbf' ? 'gzip' : undefined);
      expect(res.rawPayload.equals(data)).toBe(true);
    }
  });

  it('lists the basemaps to any signed-in user', async () => {
    const res = await t.get('ranger1', '/api/basemaps');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((b: { id: string }) => b.id)).toEqual(expect.arrayContaining([mbtilesId, pmtilesId]));
    expect(res.json().items[0]).not.toHaveProperty('fileName');
    expect((await t.get(null, '/api/basemaps')).statusCode).toBe(401);
  });
});

describe('choosing the basemap', () => {
  it('with nothing saved and no TILE_URL the map has no basemap and the CSP allows no foreign host', async () => {
    expect((await t.get(null, '/api/settings/public')).json()).toEqual({ basemap: { layers: [], attribution: null } });
    const csp = await cspOf();
    expect(csp.img?.trim()).toBe("img-src 'self' data: blob:");
    expect(csp.connect?.trim()).toBe("connect-src 'self' data: blob:");
  });

  it('Tianditu imagery with a key: imagery and its annotation over t0–t7, and the CSP allows those hosts only', async () => {
    const res = await t.request('admin', {
      method: 'PUT',
      url: '/api/settings/basemap',
      payload: { kind: 'tianditu', layer: 'imagery', key: 'abcdef0123456789' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ source: 'saved', setting: { kind: 'tianditu', layer: 'imagery' } });
    const { basemap } = (await t.get(null, '/api/settings/public')).json();
    expect(basemap.layers.map((l: { id: string }) => l.id)).toEqual(['basemap', 'basemap-labels']);
    const [imagery, labels] = basemap.layers;
    expect(imagery.tiles).toHaveLength(8);
    expect(imagery.tiles[0]).toBe(
      'https://t0.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=abcdef0123456789',
    );
    expect(labels.tiles[7]).toContain('https://t7.tianditu.gov.cn/cia_w/wmts?');
    expect(labels.tiles[7]).toContain('LAYER=cia');
    const csp = await cspOf();
    for (const directive of [csp.img, csp.connect]) {
      expect(directive).toContain('https://t0.tianditu.gov.cn');
      expect(directive).toContain('https://t7.tianditu.gov.cn');
      expect(directive?.split(' ')).not.toContain('https:');
      expect(directive?.split(' ')).not.toContain('http:');
    }
    const audit = await t.database.pool.query(
      `SELECT after FROM audit_log WHERE entity = 'settings' AND entity_id = 'basemap' ORDER BY at DESC LIMIT 1`,
    );
    expect(JSON.stringify(audit.rows[0].after)).not.toContain('abcdef0123456789');
  });

  it('Tianditu vector uses vec_w with cva_w', async () => {
    await t.request('admin', {
      method: 'PUT',
      url: '/api/settings/basemap',
      payload: { kind: 'tianditu', layer: 'vector', key: 'abcdef0123456789' },
    });
    const { basemap } = (await t.get(null, '/api/settings/public')).json();
    expect(basemap.layers[0].tiles[0]).toContain('/vec_w/wmts?');
    expect(basemap.layers[1].tiles[0]).toContain('/cva_w/wmts?');
  });

  it('an intranet WMTS template: its placeholders become {z}/{x}/{y} and its host is allowed', async () => {
    const res = await t.request('admin', {
      method: 'PUT',
      url: '/api/settings/basemap',
      payload: { kind: 'url', url: 'http://10.1.2.3:8080/wmts/yx/{TileMatrix}/{TileRow}/{TileCol}.png' },
    });
    expect(res.statusCode).toBe(200);
    const { basemap } = (await t.get(null, '/api/settings/public')).json();
    expect(basemap.layers).toEqual([
      { id: 'basemap', type: 'raster', tiles: ['http://10.1.2.3:8080/wmts/yx/{z}/{y}/{x}.png'], tileSize: 256, minzoom: 0, maxzoom: 18 },
    ]);
    expect((await cspOf()).img).toContain('http://10.1.2.3:8080');
  });

  it.each([
    [{ kind: 'url', url: 'javascript:alert(1)//{z}{x}{y}' }, 'body.url'],
    [{ kind: 'url', url: 'https://tiles.example.org/{z}/{x}.png' }, 'body.url'],
    [{ kind: 'url', url: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png' }, 'body.url'],
    [{ kind: 'tianditu', layer: 'imagery', key: 'a b;c' }, 'body.key'],
    [{ kind: 'tianditu', layer: 'terrain', key: 'abcdef0123456789' }, 'body.layer'],
    [{ kind: 'offline', basemapId: '00000000-0000-4000-8000-000000000000' }, 'body.basemapId'],
    [{ kind: 'satellite' }, 'body.kind'],
  ])('refuses %j with a 400 on the field', async (payload, field) => {
    const res = await t.request('admin', { method: 'PUT', url: '/api/settings/basemap', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('only an administrator may read or change the setting', async () => {
    for (const who of ['hongta', 'city', 'duty']) {
      expect((await t.get(who, '/api/settings/basemap')).statusCode).toBe(403);
      expect((await t.request(who, { method: 'PUT', url: '/api/settings/basemap', payload: { kind: 'none' } })).statusCode).toBe(403);
    }
  });

  it('an offline basemap: the map draws its tiles from this server; it cannot be deleted while in use', async () => {
    const { id } = (await upload('admin', mbtilesFile('use.mbtiles'), 'use.mbtiles')).json();
    const res = await t.request('admin', { method: 'PUT', url: '/api/settings/basemap', payload: { kind: 'offline', basemapId: id } });
    expect(res.statusCode).toBe(200);
    const { basemap } = (await t.get(null, '/api/settings/public')).json();
    expect(basemap.layers).toEqual([
      {
        id: 'basemap',
        type: 'raster',
        tiles: [`/api/basemaps/${id}/tiles/{z}/{x}/{y}`],
        tileSize: 256,
        minzoom: 1,
        maxzoom: 2,
        bounds: YUXI,
      },
    ]);
    const csp = await cspOf();
    expect(csp.img?.trim()).toBe("img-src 'self' data: blob:");

    expect((await t.del('hongta', `/api/basemaps/${id}`)).statusCode).toBe(403);
    expect((await t.del('admin', `/api/basemaps/${id}`)).statusCode).toBe(409);
    await t.request('admin', { method: 'PUT', url: '/api/settings/basemap', payload: { kind: 'none' } });
    expect((await t.get(null, '/api/settings/public')).json().basemap.layers).toEqual([]);
    expect((await t.del('admin', `/api/basemaps/${id}`)).statusCode).toBe(204);
    expect(storedFiles()).not.toContain(`${id}.mbtiles`);
    expect((await t.get('admin', `/api/basemaps/${id}/tiles/1/1/0`)).statusCode).toBe(404);
    expect((await t.del('admin', `/api/basemaps/${id}`)).statusCode).toBe(404);
  });
});

describe('a vector basemap', () => {
  it('is offered to the map as a vector source with the layer names of its metadata', async () => {
    const pbf = zlib.gzipSync(Buffer.from([0x1a, 0x02, 0x78, 0x01]));
    const json = JSON.stringify({ vector_layers: [{ id: 'water' }, { id: 'transportation' }] });
    const file = mbtilesFile('vector.mbtiles', [{ z: 1, x: 1, y: 0, data: pbf }], { format: 'pbf', json });
    const { id } = (await upload('admin', file, 'vector.mbtiles')).json();
    await t.request('admin', { method: 'PUT', url: '/api/settings/basemap', payload: { kind: 'offline', basemapId: id } });
    const { basemap } = (await t.get(null, '/api/settings/public')).json();
    expect(basemap.layers[0]).toMatchObject({
      type: 'vector',
      tiles: [`/api/basemaps/${id}/tiles/{z}/{x}/{y}`],
      vectorLayers: ['water', 'transportation'],
    });
    await t.request('admin', { method: 'PUT', url: '/api/settings/basemap', payload: { kind: 'none' } });
  });
});

describe('TILE_URL', () => {
  it('is the basemap while none is saved, and its host is allowed by the CSP', async () => {
    await t.database.pool.query(`DELETE FROM settings WHERE key = 'basemap'`);
    const built = await buildApp(
      { ...QUIET_APP_CONFIG, tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png', dataDir: t.dataDir },
      t.database,
    );
    try {
      const res = await built.app.inject({ method: 'GET', url: '/api/settings/public' });
      expect(res.json().basemap.layers[0].tiles).toEqual(['https://tiles.example.org/{z}/{x}/{y}.png']);
      expect(res.headers['content-security-policy']).toMatch(/img-src 'self' data: blob: https:\/\/tiles\.example\.org/);
    } finally {
      await built.app.close();
    }
  });
});
