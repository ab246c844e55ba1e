/**
 * Small tile packages made on the spot for the tests: solid-colour PNG tiles, written as MBTiles
 * (SQLite, rows in TMS order) or as PMTiles (spec version 3: header, root directory, metadata,
 * tiles), so no test depends on a downloaded map.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import sqlite from 'node-sqlite3-wasm';
import { zxyToTileId } from 'pmtiles';

/** A 256×256 PNG of one colour (RGB). */
export function solidPng([r, g, b]: [number, number, number], size = 256): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.alloc(1 + size * 3);
  for (let i = 0; i < size; i++) row.set([r, g, b], 1 + i * 3);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export type TileAt = { z: number; x: number; y: number; data: Buffer };

/** The XYZ tiles covering a box at the given zooms. */
export function tilesCovering(
  [w, s, e, n]: [number, number, number, number],
  zooms: number[],
  data: (z: number, x: number, y: number) => Buffer,
): TileAt[] {
  const tileX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
  const tileY = (lat: number, z: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
  };
  const tiles: TileAt[] = [];
  for (const z of zooms) {
    for (let x = tileX(w, z); x <= tileX(e, z); x++) {
      for (let y = tileY(n, z); y <= tileY(s, z); y++) tiles.push({ z, x, y, data: data(z, x, y) });
    }
  }
  return tiles;
}

/** Writes an MBTiles file; `tiles` are given in XYZ order and stored with TMS rows as the format wants. */
export function writeMbtiles(file: string, tiles: TileAt[], metadata: Record<string, string>) {
  fs.rmSync(file, { force: true });
  const db = new sqlite.Database(file);
  db.exec(
    'CREATE TABLE metadata (name text, value text); CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);',
  );
  db.exec('CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)');
  const meta = db.prepare('INSERT INTO metadata (name, value) VALUES (?, ?)');
  for (const [name, value] of Object.entries(metadata)) meta.run([name, value]);
  const insert = db.prepare('INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)');
  db.exec('BEGIN');
  for (const t of tiles) insert.run([t.z, t.x, 2 ** t.z - 1 - t.y, t.data]);
  db.exec('COMMIT');
  insert.finalize();
  meta.finalize();
  db.close();
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** Writes a PMTiles v3 file with an uncompressed root directory and metadata; tile type 2 is PNG. */
export function writePmtiles(
  file: string,
  tiles: TileAt[],
  options: { tileType?: number; bounds: [number, number, number, number]; metadata?: Record<string, unknown> },
) {
  const entries = tiles.map((t) => ({ tileId: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.tileId - b.tileId);
  let offset = 0;
  const placed = entries.map((e) => {
    const at = { ...e, offset };
    offset += e.data.length;
    return at;
  });
  const directory: number[] = [...varint(placed.length)];
  let lastId = 0;
  for (const e of placed) {
    directory.push(...varint(e.tileId - lastId));
    lastId = e.tileId;
  }
  for (const _ of placed) directory.push(...varint(1));
  for (const e of placed) directory.push(...varint(e.data.length));
  // Offsets: 0 means "right after the previous tile", otherwise offset + 1.
  placed.forEach((e, i) => {
    const follows = i > 0 && e.offset === placed[i - 1].offset + placed[i - 1].data.length;
    directory.push(...varint(follows ? 0 : e.offset + 1));
  });
  const root = Buffer.from(directory);
  const metadata = Buffer.from(JSON.stringify(options.metadata ?? {}));
  const tileData = Buffer.concat(placed.map((e) => e.data));
  const zooms = tiles.map((t) => t.z);

  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header.writeUInt8(3, 7);
  const u64 = (value: number, at: number) => header.writeBigUInt64LE(BigInt(value), at);
  u64(127, 8);
  u64(root.length, 16);
  u64(127 + root.length, 24);
  u64(metadata.length, 32);
  u64(127 + root.length + metadata.length, 40);
  u64(0, 48);
  u64(127 + root.length + metadata.length, 56);
  u64(tileData.length, 64);
  u64(placed.length, 72);
  u64(placed.length, 80);
  u64(placed.length, 88);
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(options.tileType ?? 2, 99);
  header.writeUInt8(Math.min(...zooms), 100);
  header.writeUInt8(Math.max(...zooms), 101);
  const [w, s, e, n] = options.bounds.map((v) => Math.round(v * 1e7));
  header.writeInt32LE(w, 102);
  header.writeInt32LE(s, 106);
  header.writeInt32LE(e, 110);
  header.writeInt32LE(n, 114);
  header.writeUInt8(Math.min(...zooms), 118);
  header.writeInt32LE(Math.round((w + e) / 2), 119);
  header.writeInt32LE(Math.round((s + n) / 2), 123);
  fs.writeFileSync(file, Buffer.concat([header, root, metadata, tileData]));
}

/** A multipart body carrying one file in the field `field`. */
export function multipart(data: Buffer, fileName: string, field = 'file') {
  const boundary = '----safeforest-basemap';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
