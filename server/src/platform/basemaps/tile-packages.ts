/**
 * Reading tile packages from the file store: MBTiles (an SQLite database, rows in TMS order) and
 * PMTiles (one file: header, directories, tiles), both answered in XYZ order. A package is opened
 * once and kept open; tiles are read one at a time, never the whole file. SQLite is the WebAssembly
 * build with file access (node-sqlite3-wasm): nothing to compile at install.
 */
import fs from 'node:fs/promises';
import sqlite from 'node-sqlite3-wasm';
import { PMTiles, type Source, TileType } from 'pmtiles';

export const TILE_TYPES = ['png', 'jpg', 'webp', 'pbf'] as const;
export type TileFormat = (typeof TILE_TYPES)[number];
export type PackageFormat = 'mbtiles' | 'pmtiles';

/** What a package says about itself, checked: enough to list it and to put it on a map. */
export type PackageDescription = {
  format: PackageFormat;
  name: string | null;
  tileType: TileFormat;
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number];
  vectorLayers: string[];
  attribution: string | null;
};

export type Tile = { data: Buffer; contentType: string; gzipped: boolean };

/** A package that cannot be read as tiles; the message says why, for the uploader. */
export class NotATilePackage extends Error {}

const WORLD: [number, number, number, number] = [-180, -85.0511, 180, 85.0511];

const CONTENT_TYPES: Record<TileFormat, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  pbf: 'application/x-protobuf',
};

const isGzip = (data: Buffer) => data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;

/** The tile type the bytes of one tile declare, for packages whose metadata does not say. */
function sniffTileType(data: Buffer): TileFormat | null {
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) return 'png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (isGzip(data)) return 'pbf';
  return null;
}

/** The container format from the first bytes of a file, or null when it is neither. */
export async function sniffPackageFormat(file: string): Promise<PackageFormat | null> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    if (bytesRead >= 16 && head.toString('latin1', 0, 16) === 'SQLite format 3\0') return 'mbtiles';
    if (bytesRead >= 8 && head.toString('latin1', 0, 7) === 'PMTiles') return 'pmtiles';
    return null;
  } finally {
    await handle.close();
  }
}

function checkZoom(minzoom: number, maxzoom: number) {
  if (!(Number.isInteger(minzoom) && Number.isInteger(maxzoom) && minzoom >= 0 && maxzoom <= 30 && minzoom <= maxzoom)) {
    throw new NotATilePackage(`zoom levels ${minzoom}–${maxzoom} are not valid`);
  }
}

function checkBounds(bounds: number[]): [number, number, number, number] {
  const [w, s, e, n] = bounds;
  const valid = bounds.length === 4 && bounds.every(Number.isFinite) && w >= -180 && e <= 180 && s >= -90 && n <= 90 && w < e && s < n;
  return valid ? [w, s, e, n] : WORLD;
}

/** An open package: its description and its tiles by XYZ address. */
export type TilePackage = {
  describe(): Promise<PackageDescription>;
  /** The tile at z/x/y (XYZ, y down from the north), or null when the package has none there. */
  tile(z: number, x: number, y: number): Promise<Tile | null>;
  close(): void;
};

/** Opens an MBTiles file read-only; throws `NotATilePackage` when it is not one. */
export function openMbtiles(file: string): TilePackage {
  let db: sqlite.Database;
  let tileQuery: sqlite.Statement;
  try {
    db = new sqlite.Database(file, { readOnly: true, fileMustExist: true });
    tileQuery = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
  } catch (error) {
    throw new NotATilePackage(`not an MBTiles database (${(error as Error).message})`);
  }
  let declaredType: TileFormat | null = null;

  return {
    async describe() {
      try {
        const metadata = new Map(db.all('SELECT name, value FROM metadata').map((r) => [String(r.name), String(r.value ?? '')]));
        const first = db.get('SELECT tile_data FROM tiles LIMIT 1');
        if (!(first?.tile_data instanceof Uint8Array)) throw new NotATilePackage('the package holds no tiles');
        const format = metadata.get('format')?.toLowerCase();
        const tileType =
          format === 'jpeg' ? 'jpg' : (TILE_TYPES as readonly string[]).includes(format ?? '') ? (format as TileFormat) : null;
        declaredType = tileType ?? sniffTileType(Buffer.from(first.tile_data));
        if (!declaredType) throw new NotATilePackage('its tiles are neither PNG, JPEG, WebP nor vector tiles');
        const zooms = db.get('SELECT MIN(zoom_level) AS min, MAX(zoom_level) AS max FROM tiles') as { min: number; max: number };
        const minzoom = metadata.has('minzoom') ? Number(metadata.get('minzoom')) : zooms.min;
        const maxzoom = metadata.has('maxzoom') ? Number(metadata.get('maxzoom')) : zooms.max;
        checkZoom(minzoom, maxzoom);
        const json = parseJson(metadata.get('json'));
        return {
          format: 'mbtiles',
          name: metadata.get('name') || null,
          tileType: declaredType,
          minzoom,
          maxzoom,
          bounds: checkBounds((metadata.get('bounds') ?? '').split(',').map(Number)),
          vectorLayers: vectorLayerIds(json?.vector_layers),
          attribution: metadata.get('attribution') || null,
        };
      } catch (error) {
        if (error instanceof NotATilePackage) throw error;
        throw new NotATilePackage(`not an MBTiles package (${(error as Error).message})`);
      }
    },

    async tile(z, x, y) {
      // MBTiles counts rows from the south (TMS): row = 2^z − 1 − y.
      const row = tileQuery.get([z, x, 2 ** z - 1 - y]);
      if (!(row?.tile_data instanceof Uint8Array)) return null;
      const data = Buffer.from(row.tile_data);
      const type = declaredType ?? sniffTileType(data) ?? 'png';
      return { data, contentType: CONTENT_TYPES[type], gzipped: type === 'pbf' && isGzip(data) };
    },

    close() {
      // A statement holds WebAssembly memory until it is finalized.
      tileQuery.finalize();
      db.close();
    },
  };
}

/** Byte ranges of a PMTiles file, read with the file system (the pmtiles library only knows URLs and browser files). */
class FileRangeSource implements Source {
  private handle: Promise<fs.FileHandle>;

  constructor(private readonly file: string) {
    this.handle = fs.open(file, 'r');
    // An open failure surfaces on the first read, not as an unhandled rejection.
    this.handle.catch(() => undefined);
  }

  getKey() {
    return this.file;
  }

  async getBytes(offset: number, length: number) {
    const handle = await this.handle;
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + bytesRead) as ArrayBuffer };
  }

  close() {
    void this.handle.then((h) => h.close()).catch(() => undefined);
  }
}

const PMTILES_TYPES: Partial<Record<TileType, TileFormat>> = {
  [TileType.Png]: 'png',
  [TileType.Jpeg]: 'jpg',
  [TileType.Webp]: 'webp',
  [TileType.Mvt]: 'pbf',
};

/** Opens a PMTiles (spec version 3) file; `describe` throws `NotATilePackage` when it is not one. */
export function openPmtiles(file: string): TilePackage {
  const source = new FileRangeSource(file);
  const archive = new PMTiles(source);
  return {
    async describe() {
      try {
        const header = await archive.getHeader();
        const tileType = PMTILES_TYPES[header.tileType];
        if (!tileType) throw new NotATilePackage('its tiles are neither PNG, JPEG, WebP nor vector tiles');
        checkZoom(header.minZoom, header.maxZoom);
        if (header.numAddressedTiles === 0) throw new NotATilePackage('the package holds no tiles');
        const metadata = ((await archive.getMetadata().catch(() => null)) ?? {}) as Record<string, unknown>;
        return {
          format: 'pmtiles',
          name: typeof metadata.name === 'string' && metadata.name ? metadata.name : null,
          tileType,
          minzoom: header.minZoom,
          maxzoom: header.maxZoom,
          bounds: checkBounds([header.minLon, header.minLat, header.maxLon, header.maxLat]),
          vectorLayers: vectorLayerIds(metadata.vector_layers),
          attribution: typeof metadata.attribution === 'string' && metadata.attribution ? metadata.attribution : null,
        };
      } catch (error) {
        if (error instanceof NotATilePackage) throw error;
        throw new NotATilePackage(`not a PMTiles package (${(error as Error).message})`);
      }
    },

    async tile(z, x, y) {
      const header = await archive.getHeader();
      const tileType = PMTILES_TYPES[header.tileType] ?? 'png';
      // The library returns tiles decompressed, so vector tiles leave as plain protobuf.
      const found = await archive.getZxy(z, x, y);
      if (!found) return null;
      return { data: Buffer.from(found.data), contentType: CONTENT_TYPES[tileType], gzipped: false };
    },

    close: () => source.close(),
  };
}

/** Opens a package of either format. */
export const openTilePackage = (file: string, format: PackageFormat): TilePackage =>
  format === 'mbtiles' ? openMbtiles(file) : openPmtiles(file);

function parseJson(text: string | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

function vectorLayerIds(layers: unknown): string[] {
  if (!Array.isArray(layers)) return [];
  return layers
    .map((l) => (l && typeof l === 'object' ? (l as { id?: unknown }).id : null))
    .filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 100)
    .slice(0, 100);
}
