/**
 * The site register on a map: one GeoJSON source, one symbol layer with a canvas-drawn icon per
 * kind (greyed when the site is not active), and a ring around the selected site.
 */
import type { ExpressionSpecification, GeoJSONSource, MapLayerMouseEvent, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection } from '@/api/org';
import type { SiteKind } from '@/api/sites';
import { addSiteIcons } from './site-icons';

export const SITE_SOURCE = 'sites';
export const SITE_LAYER = 'sites';
const SELECTED_LAYER = 'sites-selected';

/** The properties `/api/sites/geojson` puts on each point. */
export type SiteFeatureProperties = {
  id: string;
  name: string;
  kind: SiteKind;
  grade: number | null;
  status: string;
  active: boolean;
  orgUnitName: string;
};

const ICON: ExpressionSpecification = [
  'case',
  ['==', ['get', 'active'], true],
  ['concat', 'site-', ['get', 'kind']],
  ['concat', 'site-', ['get', 'kind'], '-inactive'],
];

export function addSiteLayer(map: MapLibreMap, options: { iconScale?: number } = {}) {
  addSiteIcons(map);
  const scale = options.iconScale ?? 1;
  map.addSource(SITE_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: SELECTED_LAYER,
    type: 'circle',
    source: SITE_SOURCE,
    filter: ['==', ['get', 'id'], ''],
    paint: {
      'circle-radius': 18 * scale,
      'circle-color': '#facc15',
      'circle-opacity': 0.45,
      'circle-stroke-color': '#ca8a04',
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: SITE_LAYER,
    type: 'symbol',
    source: SITE_SOURCE,
    layout: {
      'icon-image': ICON,
      'icon-size': ['interpolate', ['linear'], ['zoom'], 7, 0.65 * scale, 12, 1 * scale],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
      // Active sites above inactive ones.
      'symbol-sort-key': ['case', ['==', ['get', 'active'], true], 1, 0],
    },
  });
}

export function setSiteData(map: MapLibreMap, data: FeatureCollection) {
  (map.getSource(SITE_SOURCE) as GeoJSONSource | undefined)?.setData(data as GeoJSON.FeatureCollection);
}

/** Shows only the given kinds. */
export function filterSiteKinds(map: MapLibreMap, kinds: SiteKind[]) {
  map.setFilter(SITE_LAYER, ['in', ['get', 'kind'], ['literal', kinds]]);
}

export function highlightSite(map: MapLibreMap, id: string | null) {
  if (map.getLayer(SELECTED_LAYER)) map.setFilter(SELECTED_LAYER, ['==', ['get', 'id'], id ?? '']);
}

/** Calls `onPick` with the clicked site's properties and point; shows a pointer over sites. */
export function onSiteClick(map: MapLibreMap, onPick: (site: SiteFeatureProperties, at: [number, number]) => void) {
  const click = (event: MapLayerMouseEvent) => {
    const feature = event.features?.[0];
    if (!feature) return;
    const at = (feature.geometry as GeoJSON.Point).coordinates as [number, number];
    onPick(feature.properties as SiteFeatureProperties, at);
  };
  map.on('click', SITE_LAYER, click);
  map.on('mouseenter', SITE_LAYER, () => {
    map.getCanvas().style.cursor = 'pointer';
  });
  map.on('mouseleave', SITE_LAYER, () => {
    map.getCanvas().style.cursor = '';
  });
}
