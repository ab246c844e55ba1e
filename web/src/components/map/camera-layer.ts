/**
 * Cameras on a map, coloured by status (online, offline, unknown), with a legend: one GeoJSON
 * source and a circle layer. `installCameraLayer` loads it, again on any camera event (live topic
 * `cameras`), and answers the cleanup; a user without `cameras:read` gets nothing. The register's
 * own map sets the data itself (`setCameraData`).
 */
import type { GeoJSONSource, IControl, MapLayerMouseEvent, Map as MapLibreMap } from 'maplibre-gl';
import { CAMERA_STATUS_COLOURS, CAMERA_STATUSES, type CameraFilter, fetchCamerasLayer } from '@/api/cameras';
import { subscribeLive } from '@/api/live';
import type { FeatureCollection } from '@/api/org';
import { t } from '@/i18n';
import { useSessionStore } from '@/stores/session';

export const CAMERA_SOURCE = 'cameras';
export const CAMERA_LAYER = 'cameras';
const SELECTED_LAYER = 'cameras-selected';

class CameraLegend implements IControl {
  private el?: HTMLDivElement;
  onAdd() {
    const el = document.createElement('div');
    el.className = 'maplibregl-ctrl sf-camera-legend';
    el.dataset.testid = 'camera-legend';
    el.style.cssText =
      'background:#fff;padding:6px 8px;border-radius:4px;font-size:12px;line-height:18px;box-shadow:0 0 0 2px rgb(0 0 0 / 10%)';
    const title = document.createElement('div');
    title.style.fontWeight = '600';
    title.textContent = t('cameras.legend.title');
    el.appendChild(title);
    for (const status of CAMERA_STATUSES) {
      const row = document.createElement('div');
      const dot = document.createElement('span');
      dot.style.cssText = `display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;border:1px solid #1f2937;background:${CAMERA_STATUS_COLOURS[status]}`;
      row.appendChild(dot);
      row.appendChild(document.createTextNode(t(`cameras.status.${status}`)));
      el.appendChild(row);
    }
    this.el = el;
    return el;
  }
  onRemove() {
    this.el?.remove();
  }
}

/** Adds the source, the layers and the legend; `onPick` gets the id of a camera clicked. */
export function addCameraLayer(map: MapLibreMap, onPick?: (id: string) => void) {
  map.addSource(CAMERA_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: SELECTED_LAYER,
    type: 'circle',
    source: CAMERA_SOURCE,
    filter: ['==', ['get', 'id'], ''],
    paint: {
      'circle-radius': 14,
      'circle-color': '#facc15',
      'circle-opacity': 0.5,
      'circle-stroke-color': '#ca8a04',
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: CAMERA_LAYER,
    type: 'circle',
    source: CAMERA_SOURCE,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 7, 4, 13, 8],
      'circle-color': [
        'match',
        ['get', 'status'],
        'online',
        CAMERA_STATUS_COLOURS.online,
        'offline',
        CAMERA_STATUS_COLOURS.offline,
        CAMERA_STATUS_COLOURS.unknown,
      ],
      'circle-stroke-color': '#1f2937',
      'circle-stroke-width': 1.5,
    },
  });
  const legend = new CameraLegend();
  map.addControl(legend, 'bottom-left');
  if (onPick) {
    map.on('click', CAMERA_LAYER, (event: MapLayerMouseEvent) => {
      const id = event.features?.[0]?.properties?.id;
      if (typeof id === 'string') onPick(id);
    });
    map.on('mouseenter', CAMERA_LAYER, () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('mouseleave', CAMERA_LAYER, () => {
      map.getCanvas().style.cursor = '';
    });
  }
  return legend;
}

export function setCameraData(map: MapLibreMap, data: FeatureCollection) {
  (map.getSource(CAMERA_SOURCE) as GeoJSONSource | undefined)?.setData(data as GeoJSON.FeatureCollection);
  map.getContainer().dataset.cameras = String(data.features.length);
}

export function highlightCamera(map: MapLibreMap, id: string | null) {
  if (map.getLayer(SELECTED_LAYER)) map.setFilter(SELECTED_LAYER, ['==', ['get', 'id'], id ?? '']);
}

/** The camera layer on a page's map, loading and refreshing itself. */
export function installCameraLayer(
  map: MapLibreMap,
  options: { onError?: (error: unknown) => void; onPick?: (id: string) => void; filter?: CameraFilter } = {},
): () => void {
  if (!useSessionStore().can('cameras:read')) return () => {};
  const legend = addCameraLayer(map, options.onPick);
  let gone = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  async function load() {
    try {
      const data = await fetchCamerasLayer(options.filter ?? {});
      if (!gone) setCameraData(map, data);
    } catch (error) {
      options.onError?.(error);
    }
  }
  void load();
  // Status changes come in bursts (a platform's batch): reload once per burst.
  const stopLive = subscribeLive('cameras', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void load(), 500);
  });
  return () => {
    gone = true;
    clearTimeout(timer);
    stopLive();
    if (map.getStyle()) {
      map.removeControl(legend);
      for (const layer of [CAMERA_LAYER, SELECTED_LAYER]) if (map.getLayer(layer)) map.removeLayer(layer);
      if (map.getSource(CAMERA_SOURCE)) map.removeSource(CAMERA_SOURCE);
    }
  };
}
