/**
 * MapLibre set-up for a bundled build. MapLibre runs its tile and GeoJSON work in a Web Worker
 * loaded from its own file; Vite must emit that file and MapLibre must be told its URL, or the
 * map "renders" an empty canvas with a worker error in the console.
 */
import {
  type LayerSpecification,
  type LngLatBoundsLike,
  type Map as MapLibreMap,
  type StyleSpecification,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-csp-worker.js?url';

setWorkerUrl(workerUrl);

/** 玉溪市 with a margin: where the map opens before it knows the user's scope. */
export const YUXI_BOUNDS: [number, number, number, number] = [101.1, 23.2, 103.3, 25.1];

export const BACKGROUND_COLOUR = '#eef2ec';

/** The basemap as the server describes it (`GET /api/settings/public`). */
export type BasemapSpec = { layers: BasemapLayerSpec[]; attribution: string | null };
type BasemapLayerSpec = {
  id: string;
  type: 'raster' | 'vector';
  tiles: string[];
  tileSize: number;
  minzoom: number;
  maxzoom: number;
  bounds?: number[];
  vectorLayers?: string[];
};

/** Our own tile paths (`/api/basemaps/…`) made absolute: the tile requests run in a worker, where a bare path has no base. */
const absoluteTiles = (tiles: string[]) => tiles.map((t) => (t.startsWith('/') ? `${window.location.origin}${t}` : t));

/** Colours of a vector basemap's layers, by what their names say (any schema: OpenMapTiles, Protomaps, an office's own). */
function vectorColour(layer: string): { fill: string; line: string } {
  const name = layer.toLowerCase();
  if (/water|river|lake|ocean|sea/.test(name)) return { fill: '#b5d0e6', line: '#8fb6d8' };
  if (/road|transport|street|highway|rail/.test(name)) return { fill: '#f4f1ea', line: '#c9bfae' };
  if (/building|house/.test(name)) return { fill: '#ddd6cc', line: '#c8bfb2' };
  if (/boundary|admin|border/.test(name)) return { fill: 'rgba(0,0,0,0)', line: '#a08fb0' };
  if (/forest|wood|park|green|landcover|vegetation/.test(name)) return { fill: '#cfe3c4', line: '#b3d1a5' };
  return { fill: '#e7e3d8', line: '#cbc4b4' };
}

/** The MapLibre sources and layers of a basemap, bottom first; layer ids all start with `basemap`. */
function basemapParts(basemap: BasemapSpec) {
  const sources: StyleSpecification['sources'] = {};
  const layers: LayerSpecification[] = [];
  for (const layer of basemap.layers) {
    const source = {
      tiles: absoluteTiles(layer.tiles),
      minzoom: layer.minzoom,
      maxzoom: layer.maxzoom,
      ...(layer.bounds?.length === 4 ? { bounds: layer.bounds as [number, number, number, number] } : {}),
      ...(basemap.attribution ? { attribution: basemap.attribution } : {}),
    };
    if (layer.type === 'raster') {
      sources[layer.id] = { type: 'raster', tileSize: layer.tileSize, ...source };
      layers.push({ id: layer.id, type: 'raster', source: layer.id });
      continue;
    }
    sources[layer.id] = { type: 'vector', ...source };
    for (const sourceLayer of layer.vectorLayers ?? []) {
      const colour = vectorColour(sourceLayer);
      layers.push({
        id: `${layer.id}-${sourceLayer}-fill`,
        type: 'fill',
        source: layer.id,
        'source-layer': sourceLayer,
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': colour.fill },
      });
      layers.push({
        id: `${layer.id}-${sourceLayer}-line`,
        type: 'line',
        source: layer.id,
        'source-layer': sourceLayer,
        filter: ['==', ['geometry-type'], 'LineString'],
        paint: { 'line-color': colour.line, 'line-width': 1 },
      });
    }
  }
  return { sources, layers };
}

/**
 * The base style: a plain background (works offline, no glyphs, no sprites) and the basemap the
 * administrator chose (none, Tianditu, an XYZ/WMTS service or an offline package) underneath our layers.
 */
export function baseStyle(basemap: BasemapSpec): StyleSpecification {
  const { sources, layers } = basemapParts(basemap);
  return {
    version: 8,
    sources,
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOUR } }, ...layers],
  };
}

/** Replaces the basemap of a loaded map, below every other layer. */
export function setBasemap(map: MapLibreMap, basemap: BasemapSpec) {
  const style = map.getStyle();
  for (const layer of style.layers) if (layer.id.startsWith('basemap')) map.removeLayer(layer.id);
  for (const id of Object.keys(style.sources)) if (id.startsWith('basemap')) map.removeSource(id);
  const { sources, layers } = basemapParts(basemap);
  const firstOverlay = map.getStyle().layers.find((l) => l.id !== 'background')?.id;
  for (const [id, source] of Object.entries(sources)) map.addSource(id, source);
  for (const layer of layers) map.addLayer(layer, firstOverlay);
}

type Position = number[];
type Geometry = { type: string; coordinates?: unknown; geometries?: Geometry[] };

function eachPosition(geometry: Geometry | null | undefined, visit: (p: Position) => void) {
  if (!geometry) return;
  if (geometry.type === 'GeometryCollection') {
    for (const g of geometry.geometries ?? []) eachPosition(g, visit);
    return;
  }
  const walk = (c: unknown) => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') visit(c as Position);
    else for (const inner of c) walk(inner);
  };
  walk(geometry.coordinates);
}

/** The bounding box `[w, s, e, n]` of GeoJSON features, or null when there are none. */
export function boundsOf(features: { geometry: unknown }[]): [number, number, number, number] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const f of features) {
    eachPosition(f.geometry as Geometry, ([x, y]) => {
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    });
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

/**
 * Fits the view to a box; a point-sized box gets a sensible zoom instead of the maximum. The
 * zoom stays at most `maxZoom` (14: an area; a walked track may come closer).
 */
type Padding = number | { top: number; bottom: number; left: number; right: number };

export function fitTo(
  map: MapLibreMap,
  bounds: [number, number, number, number] | null,
  options: { padding?: Padding; animate?: boolean; maxZoom?: number } = {},
) {
  const box = bounds ?? YUXI_BOUNDS;
  const [w, s, e, n] = box;
  if (e - w < 1e-4 && n - s < 1e-4) {
    map.jumpTo({ center: [w, s], zoom: Math.min(options.maxZoom ?? 13, 16) });
    return;
  }
  map.fitBounds(box as LngLatBoundsLike, {
    padding: options.padding ?? 30,
    animate: options.animate ?? false,
    maxZoom: options.maxZoom ?? 14,
  });
}

/** `w,s,e,n` of the current view, for the API's `bbox` parameters. */
export function viewBbox(map: MapLibreMap, padRatio = 0): string {
  const b = map.getBounds();
  const padX = (b.getEast() - b.getWest()) * padRatio;
  const padY = (b.getNorth() - b.getSouth()) * padRatio;
  const w = Math.max(-180, b.getWest() - padX);
  const e = Math.min(180, b.getEast() + padX);
  const s = Math.max(-90, b.getSouth() - padY);
  const n = Math.min(90, b.getNorth() + padY);
  return [w, s, e, n].map((v) => v.toFixed(5)).join(',');
}

/**
 * A point to hang a polygon's label on: the centroid of its largest ring's vertices, which is
 * good enough for the compact shapes of counties, townships and reserves.
 */
export function labelPoint(geometry: unknown): [number, number] | null {
  const g = geometry as Geometry | null;
  if (!g) return null;
  let rings: number[][][] = [];
  if (g.type === 'Polygon') rings = [(g.coordinates as number[][][])[0]];
  else if (g.type === 'MultiPolygon') rings = (g.coordinates as number[][][][]).map((p) => p[0]);
  else if (g.type === 'Point') return g.coordinates as [number, number];
  if (!rings.length) return null;
  const ringArea = (r: number[][]) => {
    let a = 0;
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] + r[i][0]) * (r[j][1] - r[i][1]);
    return Math.abs(a / 2);
  };
  const largest = rings.reduce((best, r) => (ringArea(r) > ringArea(best) ? r : best), rings[0]);
  // Area-weighted centroid of the ring (falls back to the vertex mean for degenerate rings).
  let cx = 0;
  let cy = 0;
  let a = 0;
  for (let i = 0, j = largest.length - 1; i < largest.length; j = i++) {
    const f = largest[j][0] * largest[i][1] - largest[i][0] * largest[j][1];
    cx += (largest[j][0] + largest[i][0]) * f;
    cy += (largest[j][1] + largest[i][1]) * f;
    a += f;
  }
  if (Math.abs(a) < 1e-12) {
    const n = largest.length;
    return [largest.reduce((s, p) => s + p[0], 0) / n, largest.reduce((s, p) => s + p[1], 0) / n];
  }
  return [cx / (3 * a), cy / (3 * a)];
}
