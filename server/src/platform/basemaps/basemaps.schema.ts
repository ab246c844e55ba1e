import { z } from 'zod';
import { TILE_TYPES } from './tile-packages.js';

/** Largest tile package an upload takes: the imagery of a county at working zoom fits well inside. */
export const MAX_PACKAGE_BYTES = 4 * 1024 * 1024 * 1024;

const Bounds = z.array(z.number()).length(4).describe('west, south, east, north in degrees');

export const Basemap = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    format: z.enum(['mbtiles', 'pmtiles']),
    tileType: z.enum(TILE_TYPES),
    minzoom: z.number().int(),
    maxzoom: z.number().int(),
    bounds: Bounds,
    size: z.number().int(),
    createdAt: z.date(),
  })
  .meta({ id: 'Basemap' });
export type Basemap = z.infer<typeof Basemap>;

export const BasemapIdParams = z.object({ id: z.string().uuid() });

export const TileParams = z.object({
  id: z.string().uuid(),
  z: z.coerce.number().int().min(0).max(30),
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
});

/** A WMTS RESTful template's placeholders as the XYZ ones MapLibre fills in. */
export const xyzTemplate = (url: string) =>
  url
    .replace(/\{TileMatrix\}/gi, '{z}')
    .replace(/\{TileCol\}/gi, '{x}')
    .replace(/\{TileRow\}/gi, '{y}');

/** An XYZ template: `{z}`, `{x}` and `{y}` (or WMTS `{TileMatrix}`, `{TileCol}`, `{TileRow}`) on http(s). */
const TileUrlTemplate = z
  .string()
  .trim()
  .max(2000)
  .refine((url) => /^https?:\/\/[^/{}\s]+(\/|\?|$)/i.test(url), 'an http(s) address whose host has no placeholder')
  .refine(
    (url) => ['{z}', '{x}', '{y}'].every((p) => xyzTemplate(url).includes(p)),
    'must contain {z}, {x} and {y} (or {TileMatrix}, {TileCol}, {TileRow})',
  );

/** The basemap every map of SafeForest draws under its layers; saved by an administrator. */
export const BasemapSetting = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({
      kind: z.literal('tianditu'),
      layer: z.enum(['vector', 'imagery']).describe('vector: vec_w + cva_w; imagery: img_w + cia_w'),
      key: z
        .string()
        .trim()
        .regex(/^[0-9a-zA-Z]{8,64}$/, 'a Tianditu key is 8–64 letters and digits'),
    }),
    z.object({
      kind: z.literal('url'),
      url: TileUrlTemplate,
      maxzoom: z.number().int().min(0).max(24).default(18),
      attribution: z.string().trim().max(200).optional(),
    }),
    z.object({ kind: z.literal('offline'), basemapId: z.string().uuid() }),
  ])
  .meta({ id: 'BasemapSetting' });
export type BasemapSetting = z.infer<typeof BasemapSetting>;

/** The saved setting, or `env` when none is saved and the map follows the server's TILE_URL. */
export const BasemapSettingState = z.object({
  source: z.enum(['saved', 'env', 'default']).describe('saved: chosen in the UI; env: TILE_URL; default: no basemap'),
  setting: BasemapSetting,
  envTileUrl: z.string().nullable(),
});

/** One tile layer of the map's basemap, ready for a MapLibre source. */
export const MapBasemapLayer = z.object({
  id: z.string(),
  type: z.enum(['raster', 'vector']),
  tiles: z.array(z.string()),
  tileSize: z.number().int(),
  minzoom: z.number().int(),
  maxzoom: z.number().int(),
  bounds: Bounds.optional(),
  vectorLayers: z.array(z.string()).optional().describe('source layers of a vector basemap, drawn with a generic style'),
});

/** What every map needs to draw the basemap: its layers, bottom first. */
export const MapBasemap = z
  .object({
    layers: z.array(MapBasemapLayer),
    attribution: z.string().nullable(),
  })
  .meta({ id: 'MapBasemap' });
export type MapBasemap = z.infer<typeof MapBasemap>;
