/**
 * The rangers' devices on the command map. Two GeoJSON sources: every device that is not in SOS,
 * clustered at low zoom (MapLibre's own clustering in its worker, so 10,000 points stay smooth),
 * and the SOS devices, never clustered, drawn large, red and pulsing on top. Cluster counts are
 * HTML labels: text layers would need a glyph server, which an offline installation lacks.
 */
import {
  type ExpressionSpecification,
  type GeoJSONSource,
  type GeoJSONSourceDiff,
  type MapLayerMouseEvent,
  type Map as MapLibreMap,
  Marker,
} from 'maplibre-gl';
import type { DeviceState } from '@/api/positions';

export const DEVICE_SOURCE = 'devices';
export const SOS_SOURCE = 'devices-sos';
const CLUSTER_LAYER = 'devices-clusters';
const POINT_LAYER = 'devices-points';
const SELECTED_LAYER = 'devices-selected';
const SOS_PULSE_LAYER = 'devices-sos-pulse';
const SOS_LAYER = 'devices-sos-points';

/** The colour of each state, shared with the legend and the header strip. */
export const DEVICE_STATE_COLOUR: Record<DeviceState, string> = {
  patrolling: '#16a34a',
  idle: '#3b82f6',
  silent: '#f59e0b',
  sos: '#dc2626',
};

/** What each point carries (the map draws and picks by these). */
export type DeviceFeatureProperties = { deviceId: string; state: DeviceState; label: string };
export type DeviceFeatureCollection = GeoJSON.FeatureCollection<GeoJSON.Point, DeviceFeatureProperties>;
/** The changes of one source since the last frame (features are keyed by `deviceId`). */
export type DeviceSourceDiff = Pick<GeoJSONSourceDiff, 'add' | 'update' | 'remove'>;
type Counts = Record<DeviceState, number>;
/** What the command map draws in one batch: everything (after a load) or the changes. */
export type DeviceFrame =
  | { kind: 'full'; devices: DeviceFeatureCollection; sos: DeviceFeatureCollection; counts: Counts }
  | { kind: 'diff'; devices: DeviceSourceDiff; sos: DeviceSourceDiff; counts: Counts };

const EMPTY: DeviceFeatureCollection = { type: 'FeatureCollection', features: [] };
const countOf = (state: DeviceState): ExpressionSpecification => ['+', ['case', ['==', ['get', 'state'], state], 1, 0]];

/** A cluster is coloured by what most of its devices do. */
const CLUSTER_COLOUR: ExpressionSpecification = [
  'case',
  ['>=', ['*', ['get', 'patrolling'], 2], ['get', 'point_count']],
  DEVICE_STATE_COLOUR.patrolling,
  ['>=', ['*', ['get', 'silent'], 2], ['get', 'point_count']],
  DEVICE_STATE_COLOUR.silent,
  DEVICE_STATE_COLOUR.idle,
];

export function addDeviceLayers(map: MapLibreMap) {
  // Features are keyed by device, so a frame can send only what changed (updateData).
  map.addSource(DEVICE_SOURCE, {
    type: 'geojson',
    data: EMPTY,
    promoteId: 'deviceId',
    cluster: true,
    clusterRadius: 45,
    clusterMaxZoom: 13,
    clusterProperties: { patrolling: countOf('patrolling'), idle: countOf('idle'), silent: countOf('silent') },
  });
  map.addSource(SOS_SOURCE, { type: 'geojson', data: EMPTY, promoteId: 'deviceId' });
  map.addLayer({
    id: CLUSTER_LAYER,
    type: 'circle',
    source: DEVICE_SOURCE,
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': CLUSTER_COLOUR,
      'circle-opacity': 0.82,
      'circle-radius': ['step', ['get', 'point_count'], 13, 10, 16, 100, 21, 1000, 27],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: SELECTED_LAYER,
    type: 'circle',
    source: DEVICE_SOURCE,
    filter: ['==', ['get', 'deviceId'], ''],
    paint: {
      'circle-radius': 13,
      'circle-color': '#facc15',
      'circle-opacity': 0.5,
      'circle-stroke-color': '#ca8a04',
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: POINT_LAYER,
    type: 'circle',
    source: DEVICE_SOURCE,
    filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-color': [
        'match',
        ['get', 'state'],
        'patrolling',
        DEVICE_STATE_COLOUR.patrolling,
        'silent',
        DEVICE_STATE_COLOUR.silent,
        DEVICE_STATE_COLOUR.idle,
      ],
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 5, 14, 7],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  });
  map.addLayer({
    id: SOS_PULSE_LAYER,
    type: 'circle',
    source: SOS_SOURCE,
    paint: { 'circle-color': DEVICE_STATE_COLOUR.sos, 'circle-opacity': 0.35, 'circle-radius': 18 },
  });
  map.addLayer({
    id: SOS_LAYER,
    type: 'circle',
    source: SOS_SOURCE,
    paint: { 'circle-color': DEVICE_STATE_COLOUR.sos, 'circle-radius': 10, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 },
  });
}

const isEmpty = (diff: DeviceSourceDiff) => !diff.add?.length && !diff.update?.length && !diff.remove?.length;

/** Draws a frame of the command map's batched updates (never called per message). */
export function drawDeviceFrame(map: MapLibreMap, frame: DeviceFrame) {
  const devices = map.getSource(DEVICE_SOURCE) as GeoJSONSource | undefined;
  const sos = map.getSource(SOS_SOURCE) as GeoJSONSource | undefined;
  if (frame.kind === 'full') {
    devices?.setData(frame.devices);
    sos?.setData(frame.sos);
    return;
  }
  if (!isEmpty(frame.devices)) devices?.updateData(frame.devices);
  if (!isEmpty(frame.sos)) sos?.updateData(frame.sos);
}

export function highlightDevice(map: MapLibreMap, deviceId: string | null) {
  if (map.getLayer(SELECTED_LAYER)) map.setFilter(SELECTED_LAYER, ['==', ['get', 'deviceId'], deviceId ?? '']);
}

/** Clicking a device picks it; clicking a cluster zooms in until it splits. */
export function onDeviceClick(map: MapLibreMap, onPick: (deviceId: string) => void) {
  const pick = (event: MapLayerMouseEvent) => {
    const id = event.features?.[0]?.properties?.deviceId;
    if (typeof id === 'string') onPick(id);
  };
  map.on('click', POINT_LAYER, pick);
  map.on('click', SOS_LAYER, pick);
  map.on('click', CLUSTER_LAYER, async (event: MapLayerMouseEvent) => {
    const feature = event.features?.[0];
    const source = map.getSource(DEVICE_SOURCE) as GeoJSONSource | undefined;
    if (!feature || !source) return;
    const zoom = await source.getClusterExpansionZoom(feature.properties?.cluster_id as number);
    map.easeTo({ center: (feature.geometry as GeoJSON.Point).coordinates as [number, number], zoom });
  });
  for (const layer of [POINT_LAYER, SOS_LAYER, CLUSTER_LAYER]) {
    map.on('mouseenter', layer, () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('mouseleave', layer, () => {
      map.getCanvas().style.cursor = '';
    });
  }
}

/**
 * Makes the SOS devices pulse (a ring that grows and fades, about 25 frames a second) while there
 * are any; returns the function that stops it. Without SOS devices nothing is redrawn.
 */
export function animateSos(map: MapLibreMap, hasSos: () => boolean): () => void {
  let frame = 0;
  let last = 0;
  const tick = (time: number) => {
    frame = requestAnimationFrame(tick);
    if (time - last < 40 || !hasSos() || !map.getLayer(SOS_PULSE_LAYER)) return;
    last = time;
    const phase = (time % 1400) / 1400;
    map.setPaintProperty(SOS_PULSE_LAYER, 'circle-radius', 12 + phase * 22);
    map.setPaintProperty(SOS_PULSE_LAYER, 'circle-opacity', 0.5 * (1 - phase));
  };
  frame = requestAnimationFrame(tick);
  return () => cancelAnimationFrame(frame);
}

/**
 * The number on each cluster, as HTML markers over the cluster circles, re-placed when the data
 * or the view changed (at most once a frame); markers are reused by cluster id.
 */
export function installClusterCounts(map: MapLibreMap): () => void {
  const markers = new Map<number, Marker>();
  let scheduled = 0;
  let stopped = false;

  function update() {
    scheduled = 0;
    if (stopped) return;
    if (!map.getSource(DEVICE_SOURCE) || !map.isSourceLoaded(DEVICE_SOURCE)) return;
    const seen = new Set<number>();
    for (const feature of map.querySourceFeatures(DEVICE_SOURCE, { filter: ['has', 'point_count'] })) {
      const props = feature.properties as { cluster_id: number; point_count: number };
      if (seen.has(props.cluster_id)) continue;
      seen.add(props.cluster_id);
      const at = (feature.geometry as GeoJSON.Point).coordinates as [number, number];
      let marker = markers.get(props.cluster_id);
      if (!marker) {
        const element = document.createElement('div');
        element.className = 'sf-cluster-count';
        marker = new Marker({ element, anchor: 'center' }).setLngLat(at).addTo(map);
        markers.set(props.cluster_id, marker);
      } else marker.setLngLat(at);
      const text = props.point_count >= 1000 ? `${(props.point_count / 1000).toFixed(1)}k` : String(props.point_count);
      if (marker.getElement().textContent !== text) marker.getElement().textContent = text;
    }
    for (const [id, marker] of markers) {
      if (seen.has(id)) continue;
      marker.remove();
      markers.delete(id);
    }
  }

  // Clusters change with the data and the zoom; the markers follow panning by themselves.
  const schedule = () => {
    if (scheduled || stopped) return;
    scheduled = requestAnimationFrame(update);
  };
  const onSourceData = (event: { sourceId?: string; isSourceLoaded?: boolean }) => {
    if (event.sourceId === DEVICE_SOURCE && event.isSourceLoaded) schedule();
  };
  map.on('sourcedata', onSourceData);
  map.on('moveend', schedule);
  // Stopped before the map is removed: a frame still scheduled must not touch it.
  return () => {
    stopped = true;
    cancelAnimationFrame(scheduled);
    map.off('sourcedata', onSourceData);
    map.off('moveend', schedule);
    for (const marker of markers.values()) marker.remove();
    markers.clear();
  };
}
