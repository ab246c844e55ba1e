/**
 * The basemap under every map: none, Tianditu (vector or imagery, each with its annotation layer)
 * with an office's key, any XYZ/WMTS template (an intranet map service), or an offline tile
 * package (MBTiles or PMTiles) uploaded here and served tile by tile. Without a saved choice the
 * map follows TILE_URL. The hosts of the basemap in force are the only foreign hosts the
 * Content-Security-Policy lets the browser load images and data from.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../../db/connection.js';
import type { Actor } from '../actor.js';
import type { RunChange } from '../change.js';
import { AppError, conflict, found, notFound, validationFailed } from '../errors.js';
import type { EventBus } from '../events.js';
import { cleanFileName } from '../files/files.service.js';
import type { SettingsRepo } from '../settings/settings.repo.js';
import type { BasemapsRepo, StoredBasemap } from './basemaps.repo.js';
import { BasemapSetting, MAX_PACKAGE_BYTES, type MapBasemap, xyzTemplate } from './basemaps.schema.js';
import { NotATilePackage, openTilePackage, type PackageFormat, sniffPackageFormat, type Tile, type TilePackage } from './tile-packages.js';

const SETTING_KEY = 'basemap';
const RECENT_MS = 60_000;

type Deps = {
  db: Db;
  basemapsRepo: BasemapsRepo;
  settingsRepo: Pick<SettingsRepo, 'get' | 'put'>;
  runChange: RunChange;
  events: Pick<EventBus, 'subscribe'>;
  /** Folder of the file store that holds the packages (created when the first one arrives). */
  storeDir: string;
  /** TILE_URL: the basemap while none is saved. */
  envTileUrl: string | undefined;
};

const TIANDITU_LAYERS = { vector: ['vec', 'cva'], imagery: ['img', 'cia'] } as const;
const TIANDITU_SUBDOMAINS = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];

/** The WMTS GetTile addresses of one Tianditu layer in Web Mercator (`_w`), over its eight hosts. */
export function tiandituTiles(layer: string, key: string): string[] {
  return TIANDITU_SUBDOMAINS.map(
    (host) =>
      `https://${host}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default` +
      `&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
  );
}

/** The path of an offline basemap's tiles, as the map requests them. */
export const offlineTilesUrl = (id: string) => `/api/basemaps/${id}/tiles/{z}/{x}/{y}`;

/** The origin (`https://host:port`) of an absolute tile template, or null for our own paths. */
function originOf(template: string): string | null {
  if (!/^https?:\/\//i.test(template)) return null;
  try {
    return new URL(template.replace(/\{[^}]*\}/g, '0')).origin;
  } catch {
    return null;
  }
}

const packageProblem = (message: string) => validationFailed([{ path: 'body.file', message }]);

export function createBasemapsService({ db, basemapsRepo, settingsRepo, runChange, events, storeDir, envTileUrl }: Deps) {
  /** The saved setting, or null while none is saved. */
  let saved: BasemapSetting | null = null;
  /** The offline basemap the saved setting names (kept so the map description needs no query). */
  let savedOffline: StoredBasemap | null = null;
  let mapBasemap: MapBasemap = { layers: [], attribution: null };
  let origins: string[] = [];
  const open = new Map<string, Promise<TilePackage>>();
  /** Basemaps found recently: a map view asks for dozens of tiles at once, and they need not each query the database. */
  const recentlyFound = new Map<string, { basemap: StoredBasemap; at: number }>();

  function describeMap(): MapBasemap {
    const raster = (id: string, tiles: string[], maxzoom = 18) => ({
      id,
      type: 'raster' as const,
      tiles,
      tileSize: 256,
      minzoom: 0,
      maxzoom,
    });
    if (!saved) return { layers: envTileUrl ? [raster('basemap', [envTileUrl])] : [], attribution: null };
    switch (saved.kind) {
      case 'none':
        return { layers: [], attribution: null };
      case 'tianditu': {
        const [base, labels] = TIANDITU_LAYERS[saved.layer];
        return {
          layers: [raster('basemap', tiandituTiles(base, saved.key)), raster('basemap-labels', tiandituTiles(labels, saved.key))],
          attribution: '© 天地图 Tianditu',
        };
      }
      case 'url':
        return { layers: [raster('basemap', [saved.url], saved.maxzoom)], attribution: saved.attribution ?? null };
      case 'offline': {
        const b = savedOffline;
        if (!b) return { layers: [], attribution: null };
        return {
          layers: [
            {
              id: 'basemap',
              type: b.tileType === 'pbf' ? 'vector' : 'raster',
              tiles: [offlineTilesUrl(b.id)],
              tileSize: b.tileType === 'pbf' ? 512 : 256,
              minzoom: b.minzoom,
              maxzoom: b.maxzoom,
              bounds: b.bounds,
              ...(b.tileType === 'pbf' ? { vectorLayers: b.vectorLayers } : {}),
            },
          ],
          attribution: b.attribution,
        };
      }
    }
  }

  async function apply(setting: BasemapSetting | null) {
    saved = setting;
    savedOffline = setting?.kind === 'offline' ? await basemapsRepo.find(db, setting.basemapId) : null;
    mapBasemap = describeMap();
    origins = [...new Set(mapBasemap.layers.flatMap((l) => l.tiles.map(originOf)).filter((o): o is string => o !== null))];
  }

  /** Reads the saved setting again (at start, and when another instance changed it). */
  async function loadSetting() {
    const stored = await settingsRepo.get(db, SETTING_KEY);
    const parsed = stored === undefined ? null : BasemapSetting.safeParse(stored);
    await apply(parsed?.success ? parsed.data : null);
  }

  events.subscribe((event) => {
    if (event.topic === 'settings' && event.payload.key === SETTING_KEY && event.origin) void loadSetting().catch(() => undefined);
  });

  const fileOf = (b: Pick<StoredBasemap, 'fileName'>) => path.join(storeDir, b.fileName);

  function packageOf(b: StoredBasemap): Promise<TilePackage> {
    let opened = open.get(b.id);
    if (!opened) {
      opened = (async () => {
        const pkg = openTilePackage(fileOf(b), b.format);
        await pkg.describe();
        return pkg;
      })();
      open.set(b.id, opened);
      opened.catch(() => open.delete(b.id));
    }
    return opened;
  }

  async function mustFind(id: string) {
    return found(await basemapsRepo.find(db, id), 'Basemap');
  }

  /** Like `mustFind`, from memory for a minute (a basemap removed on another instance is seen within it). */
  async function mustFindRecent(id: string) {
    const recent = recentlyFound.get(id);
    if (recent && Date.now() - recent.at < RECENT_MS) return recent.basemap;
    const basemap = await mustFind(id);
    recentlyFound.set(id, { basemap, at: Date.now() });
    return basemap;
  }

  return {
    loadSetting,

    /** What every map draws under its layers. */
    mapBasemap: () => mapBasemap,

    /** Origins of the basemap in force: the foreign hosts the browser may fetch tiles from. */
    tileOrigins: () => origins,

    /** The setting as the administrator sees it, with where it comes from. */
    setting() {
      if (saved) return { source: 'saved' as const, setting: saved, envTileUrl: envTileUrl ?? null };
      if (envTileUrl) return { source: 'env' as const, setting: { kind: 'url' as const, url: envTileUrl, maxzoom: 18 }, envTileUrl };
      return { source: 'default' as const, setting: { kind: 'none' as const }, envTileUrl: null };
    },

    /** Saves the basemap every map uses (audited); it applies at once, the CSP included. */
    async updateSetting(actor: Actor, setting: BasemapSetting) {
      if (setting.kind === 'url') setting = { ...setting, url: xyzTemplate(setting.url) };
      if (setting.kind === 'offline' && !(await basemapsRepo.find(db, setting.basemapId))) {
        throw validationFailed([{ path: 'body.basemapId', message: 'no such offline basemap' }]);
      }
      const before = saved;
      await runChange(actor, async ({ tx, audit, emit }) => {
        await settingsRepo.put(tx, SETTING_KEY, setting, actor.username);
        // The key is the office's secret with Tianditu: the audit trail records that it changed, not its value.
        const redact = (s: BasemapSetting | null) => (s?.kind === 'tianditu' ? { ...s, key: '…' } : s);
        audit({
          action: 'settings.update',
          entity: 'settings',
          entityId: SETTING_KEY,
          orgUnitId: actor.orgUnitId,
          before: redact(before),
          after: redact(setting),
        });
        emit({ topic: 'settings', type: 'settings.changed', orgPath: actor.orgPath, payload: { key: SETTING_KEY } });
      });
      await apply(setting);
      return this.setting();
    },

    list: () => basemapsRepo.list(db),

    /**
     * Stores an uploaded tile package: written to the file store while its SHA-256 is taken, then
     * opened and checked (format, tile type, zoom levels); anything unreadable is a 400 on `file`.
     */
    async upload(actor: Actor, upload: { fileName: string | undefined; stream: Readable; truncated: () => boolean }) {
      await fs.mkdir(storeDir, { recursive: true });
      const id = randomUUID();
      const partial = path.join(storeDir, `${id}.part`);
      const hash = createHash('sha256');
      let size = 0;
      let pkg: TilePackage | null = null;
      try {
        await pipeline(
          upload.stream,
          async function* measure(source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              hash.update(chunk);
              size += chunk.length;
              yield chunk;
            }
          },
          createWriteStream(partial),
        );
        if (upload.truncated()) throw packageTooLarge();
        if (size === 0) throw packageProblem('the file is empty');
        const format = await sniffPackageFormat(partial);
        if (!format) throw packageProblem('only MBTiles or PMTiles tile packages are accepted');
        const fileName = `${id}.${format}`;
        await fs.rename(partial, path.join(storeDir, fileName));
        pkg = openTilePackage(path.join(storeDir, fileName), format);
        const description = await pkg.describe();
        const name = description.name ?? packageName(upload.fileName, format);
        return await runChange(actor, async ({ tx, audit }) => {
          const stored = await basemapsRepo.insert(tx, {
            ...description,
            id,
            name,
            fileName,
            size,
            sha256: hash.digest('hex'),
            orgUnitId: actor.orgUnitId,
            uploadedBy: actor.userId,
          });
          const { fileName: _, ...shown } = stored;
          audit({ action: 'basemap.upload', entity: 'basemap', entityId: id, orgUnitId: actor.orgUnitId, after: shown });
          return stored;
        });
      } catch (error) {
        pkg?.close();
        pkg = null;
        await Promise.all(
          [partial, ...(['mbtiles', 'pmtiles'] as PackageFormat[]).map((f) => path.join(storeDir, `${id}.${f}`))].map((f) =>
            fs.rm(f, { force: true }),
          ),
        );
        if (error instanceof NotATilePackage) throw packageProblem(error.message);
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw packageTooLarge();
        throw error;
      } finally {
        pkg?.close();
      }
    },

    /** Removes an offline basemap and its file; refused (409) while it is the basemap in force. */
    async remove(actor: Actor, id: string) {
      const found = await mustFind(id);
      if (saved?.kind === 'offline' && saved.basemapId === id) throw conflict('This basemap is in use; choose another basemap first');
      await runChange(actor, async ({ tx, audit }) => {
        await basemapsRepo.remove(tx, id);
        const { fileName: _, ...shown } = found;
        audit({ action: 'basemap.delete', entity: 'basemap', entityId: id, orgUnitId: actor.orgUnitId, before: shown });
      });
      recentlyFound.delete(id);
      const opened = open.get(id);
      open.delete(id);
      if (opened) (await opened.catch(() => null))?.close();
      await fs.rm(fileOf(found), { force: true });
    },

    /** One tile in XYZ order, or 404 when the basemap or the tile does not exist. */
    async tile(id: string, z: number, x: number, y: number): Promise<Tile> {
      const basemap = await mustFindRecent(id);
      if (x >= 2 ** z || y >= 2 ** z || z < basemap.minzoom || z > basemap.maxzoom) throw notFound('Tile');
      return found(await (await packageOf(basemap)).tile(z, x, y), 'Tile');
    },

    /** Closes the open packages (when the app stops). */
    async close() {
      const all = [...open.values()];
      open.clear();
      for (const opened of all) (await opened.catch(() => null))?.close();
    },
  };
}
export type BasemapsService = ReturnType<typeof createBasemapsService>;

const MAX_GB = MAX_PACKAGE_BYTES / 1024 ** 3;

export const packageTooLarge = () =>
  new AppError(413, 'too_large', `Tile packages are at most ${MAX_GB} GB`, [{ path: 'body.file', message: `at most ${MAX_GB} GB` }]);

/** A name for a package whose metadata has none: its file name without the extension. */
function packageName(fileName: string | undefined, format: PackageFormat) {
  return (
    cleanFileName(fileName)
      .replace(/\.(mbtiles|pmtiles)$/i, '')
      .trim() || format
  );
}
