/**
 * A ranger's day track on a map: the line (a new line after each long pause), its start and end
 * points, and optionally the replay's cursor.
 */
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { DayTrack } from '@/api/patrols';

const LINE_SOURCE = 'track';
const ENDS_SOURCE = 'track-ends';
const CURSOR_SOURCE = 'track-cursor';
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export function addTrackLayers(map: MapLibreMap, options: { cursor?: boolean } = {}) {
  map.addSource(LINE_SOURCE, { type: 'geojson', data: EMPTY });
  map.addSource(ENDS_SOURCE, { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'track-casing',
    type: 'line',
    source: LINE_SOURCE,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': '#ffffff', 'line-width': 6, 'line-opacity': 0.9 },
  });
  map.addLayer({
    id: 'track-line',
    type: 'line',
    source: LINE_SOURCE,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': '#7c3aed', 'line-width': 3 },
  });
  map.addLayer({
    id: 'track-ends',
    type: 'circle',
    source: ENDS_SOURCE,
    paint: {
      'circle-radius': 6,
      'circle-color': ['match', ['get', 'end'], 'start', '#16a34a', '#7c3aed'],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  });
  if (!options.cursor) return;
  map.addSource(CURSOR_SOURCE, { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'track-cursor-halo',
    type: 'circle',
    source: CURSOR_SOURCE,
    paint: { 'circle-radius': 16, 'circle-color': '#f97316', 'circle-opacity': 0.25 },
  });
  map.addLayer({
    id: 'track-cursor',
    type: 'circle',
    source: CURSOR_SOURCE,
    paint: { 'circle-radius': 8, 'circle-color': '#f97316', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 },
  });
}

/** Draws a day track (or clears it with null). */
export function setTrack(map: MapLibreMap, track: DayTrack | null) {
  const geometry = track?.geometry ?? null;
  const lines: number[][][] =
    geometry?.type === 'LineString' ? [geometry.coordinates] : geometry?.type === 'MultiLineString' ? geometry.coordinates : [];
  const points = geometry?.type === 'Point' ? [geometry.coordinates] : lines.flat();
  const line: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: lines.map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } })),
  };
  const ends: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
  if (points.length) {
    ends.features.push({ type: 'Feature', properties: { end: 'start' }, geometry: { type: 'Point', coordinates: points[0] } });
    if (points.length > 1)
      ends.features.push({
        type: 'Feature',
        properties: { end: 'end' },
        geometry: { type: 'Point', coordinates: points[points.length - 1] },
      });
  }
  (map.getSource(LINE_SOURCE) as GeoJSONSource | undefined)?.setData(line);
  (map.getSource(ENDS_SOURCE) as GeoJSONSource | undefined)?.setData(ends);
}

/** Moves the replay cursor (null hides it). */
export function setTrackCursor(map: MapLibreMap, at: [number, number] | null) {
  const data: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: at ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: at } }] : [],
  };
  (map.getSource(CURSOR_SOURCE) as GeoJSONSource | undefined)?.setData(data);
}
