/**
 * The org boundary layers of the map (counties, townships, grids, nature reserves, forest farms):
 * their look, the zoom from which they show, and loading that follows the zoom. The server
 * simplifies outlines for the zoom it is asked for, so a layer is fetched again when the zoom
 * moves by a whole level or more; grids are fetched for the visible area only.
 */
import type { FilterSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { type FeatureCollection, fetchOrgLayer, type MapLayerName } from '@/api/org';
import { viewBbox } from './maplibre';

export type BoundaryStyle = { fill: string; fillOpacity: number; line: string; lineWidth: number; dash?: number[]; minzoom: number };

export const BOUNDARY_STYLE: Record<MapLayerName, BoundaryStyle> = {
  counties: { fill: '#2f7d4f', fillOpacity: 0.06, line: '#1f5f3a', lineWidth: 2, minzoom: 0 },
  townships: { fill: '#000000', fillOpacity: 0, line: '#5b8a6d', lineWidth: 1, dash: [3, 2], minzoom: 8 },
  grids: { fill: '#000000', fillOpacity: 0, line: '#9aae9f', lineWidth: 0.8, dash: [1, 2], minzoom: 10 },
  reserves: { fill: '#65a30d', fillOpacity: 0.22, line: '#4d7c0f', lineWidth: 1.4, minzoom: 0 },
  forest_farms: { fill: '#0e7490', fillOpacity: 0.18, line: '#0e7490', lineWidth: 1.2, minzoom: 0 },
};

export const BOUNDARY_LAYERS: MapLayerName[] = ['counties', 'townships', 'grids', 'reserves', 'forest_farms'];

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const sourceId = (layer: MapLayerName) => `org-${layer}`;

/** Adds the source and its fill and outline layers (below `beforeId`, e.g. the sites). */
export function addBoundaryLayer(map: MapLibreMap, layer: MapLayerName, options: { beforeId?: string; filter?: FilterSpecification } = {}) {
  const style = BOUNDARY_STYLE[layer];
  const source = sourceId(layer);
  if (!map.getSource(source)) map.addSource(source, { type: 'geojson', data: EMPTY as GeoJSON.FeatureCollection });
  const common = { source, minzoom: style.minzoom, ...(options.filter ? { filter: options.filter } : {}) };
  map.addLayer(
    { id: `${source}-fill`, type: 'fill', ...common, paint: { 'fill-color': style.fill, 'fill-opacity': style.fillOpacity } },
    options.beforeId,
  );
  map.addLayer(
    {
      id: `${source}-line`,
      type: 'line',
      ...common,
      paint: { 'line-color': style.line, 'line-width': style.lineWidth, ...(style.dash ? { 'line-dasharray': style.dash } : {}) },
    },
    options.beforeId,
  );
}

export function setBoundaryVisible(map: MapLibreMap, layer: MapLayerName, visible: boolean) {
  for (const part of ['fill', 'line']) {
    const id = `${sourceId(layer)}-${part}`;
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }
}

export function setBoundaryData(map: MapLibreMap, layer: MapLayerName, data: FeatureCollection) {
  (map.getSource(sourceId(layer)) as GeoJSONSource | undefined)?.setData(data as GeoJSON.FeatureCollection);
}

/** The zoom level a layer is fetched for: whole levels, clamped to what the server takes. */
export const fetchZoom = (zoom: number) => Math.max(0, Math.min(18, Math.round(zoom)));

/**
 * Keeps a boundary layer loaded for the current view: refetches when the zoom changes by a whole
 * level (outlines are simplified per zoom) and, for bbox-limited layers, when the view leaves the
 * area fetched last. `onData` receives every new collection (for labels and fitting).
 */
export function followZoom(
  map: MapLibreMap,
  layer: MapLayerName,
  options: { byBbox?: boolean; isWanted: () => boolean; onData?: (data: FeatureCollection) => void; onError?: (error: unknown) => void },
) {
  let loadedZoom: number | null = null;
  let loadedBox: [number, number, number, number] | null = null;
  let request = 0;

  const inside = () => {
    if (!loadedBox) return false;
    const b = map.getBounds();
    return b.getWest() >= loadedBox[0] && b.getSouth() >= loadedBox[1] && b.getEast() <= loadedBox[2] && b.getNorth() <= loadedBox[3];
  };

  let pendingZoom: number | null = null;
  let stopped = false;

  async function refresh(force = false) {
    if (stopped || !options.isWanted() || map.getZoom() < BOUNDARY_STYLE[layer].minzoom) return;
    const zoom = fetchZoom(map.getZoom());
    if (!force && loadedZoom === zoom && (!options.byBbox || inside())) return;
    // The same zoom is already on its way (whole-layer fetches only; a bbox fetch follows the view).
    if (!force && !options.byBbox && pendingZoom === zoom) return;
    pendingZoom = zoom;
    const mine = ++request;
    const bbox = options.byBbox ? viewBbox(map, 0.5) : undefined;
    try {
      const data = await fetchOrgLayer(layer, zoom, bbox);
      // A newer request superseded this one, or the map was taken down (its page left) meanwhile.
      if (mine !== request || stopped) return;
      loadedZoom = zoom;
      loadedBox = bbox ? (bbox.split(',').map(Number) as [number, number, number, number]) : null;
      setBoundaryData(map, layer, data);
      options.onData?.(data);
    } catch (error) {
      if (!stopped) options.onError?.(error);
    } finally {
      if (mine === request) pendingZoom = null;
    }
  }

  const onMoveEnd = () => void refresh();
  map.on('moveend', onMoveEnd);
  return {
    refresh,
    stop: () => {
      stopped = true;
      map.off('moveend', onMoveEnd);
    },
  };
}
