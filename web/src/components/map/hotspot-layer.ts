/**
 * Satellite hotspots on a map, coloured by age (within 6 h, 24 h, 7 d), with a legend (bottom left, clear of the pages' side panels): one
 * GeoJSON source, a circle layer, a small legend control. The layer loads itself, again when
 * hotspots are imported (live topic `hotspots`) and every minute, as hotspots age from one
 * bucket into the next. `installHotspotLayer` answers the cleanup; a user without
 * `hotspots:read` gets nothing.
 */
import type { GeoJSONSource, IControl, Map as MapLibreMap } from 'maplibre-gl';
import { AGE_BUCKETS, type AgeBucket, fetchHotspotsLayer } from '@/api/hotspots';
import { subscribeLive } from '@/api/live';
import { t } from '@/i18n';
import { useSessionStore } from '@/stores/session';

export const HOTSPOT_SOURCE = 'hotspots';
export const HOTSPOT_LAYER = 'hotspots';
/** Red for the newest, orange within a day, amber for the week: distinct on the green base map. */
export const HOTSPOT_COLOURS: Record<AgeBucket, string> = { '6h': '#dc2626', '24h': '#f97316', '7d': '#eab308' };
const REFRESH_MS = 60_000;

class HotspotLegend implements IControl {
  private el?: HTMLDivElement;
  onAdd() {
    const el = document.createElement('div');
    el.className = 'maplibregl-ctrl sf-hotspot-legend';
    el.dataset.testid = 'hotspot-legend';
    el.style.cssText =
      'background:#fff;padding:6px 8px;border-radius:4px;font-size:12px;line-height:18px;box-shadow:0 0 0 2px rgb(0 0 0 / 10%)';
    // Built from text nodes: nothing here is parsed as HTML.
    const title = document.createElement('div');
    title.style.fontWeight = '600';
    title.textContent = t('hotspots.legend.title');
    el.appendChild(title);
    for (const age of AGE_BUCKETS) {
      const row = document.createElement('div');
      const dot = document.createElement('span');
      dot.style.cssText = `display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;border:1px solid #7f1d1d;background:${HOTSPOT_COLOURS[age]}`;
      row.appendChild(dot);
      row.appendChild(document.createTextNode(t(`hotspots.legend.${age}`)));
      el.appendChild(row);
    }
    this.el = el;
    return el;
  }
  onRemove() {
    this.el?.remove();
  }
}

export function installHotspotLayer(map: MapLibreMap, options: { onError?: (error: unknown) => void } = {}): () => void {
  if (!useSessionStore().can('hotspots:read')) return () => {};
  map.addSource(HOTSPOT_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: HOTSPOT_LAYER,
    type: 'circle',
    source: HOTSPOT_SOURCE,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 7, 5, 13, 9],
      'circle-color': ['match', ['get', 'age'], '6h', HOTSPOT_COLOURS['6h'], '24h', HOTSPOT_COLOURS['24h'], HOTSPOT_COLOURS['7d']],
      'circle-stroke-color': '#7f1d1d',
      'circle-stroke-width': 1.5,
      'circle-opacity': 0.9,
    },
  });
  const legend = new HotspotLegend();
  map.addControl(legend, 'bottom-left');

  let gone = false;
  async function load() {
    try {
      const data = await fetchHotspotsLayer({ maxAge: '7d' });
      if (gone) return;
      (map.getSource(HOTSPOT_SOURCE) as GeoJSONSource | undefined)?.setData(data as GeoJSON.FeatureCollection);
      map.getContainer().dataset.hotspots = String(data.features.length);
    } catch (error) {
      options.onError?.(error);
    }
  }
  void load();
  const timer = setInterval(() => void load(), REFRESH_MS);
  const stopLive = subscribeLive('hotspots', () => void load());
  return () => {
    gone = true;
    clearInterval(timer);
    stopLive();
    if (map.getStyle()) {
      map.removeControl(legend);
      if (map.getLayer(HOTSPOT_LAYER)) map.removeLayer(HOTSPOT_LAYER);
      if (map.getSource(HOTSPOT_SOURCE)) map.removeSource(HOTSPOT_SOURCE);
    }
  };
}
