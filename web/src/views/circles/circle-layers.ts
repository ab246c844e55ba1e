/**
 * The circle on the map: its border line, its gaps in red (with their lengths as HTML labels: the
 * offline style has no glyphs), and its members through the site layer (active in colour, others grey).
 */
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { CircleDetail } from '@/api/circles';
import { HtmlLabels } from '@/components/map/html-labels';
import { boundsOf, fitTo } from '@/components/map/maplibre';
import { addSiteLayer, SITE_LAYER, setSiteData } from '@/components/map/site-layer';
import { GAP_COLOUR, memberFeatures, RING_COLOUR } from './data';

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

export function installCircleLayers(map: MapLibreMap, gapLabel: (lengthM: number) => string) {
  map.addSource('circle-boundary', { type: 'geojson', data: EMPTY });
  map.addSource('circle-gaps', { type: 'geojson', data: EMPTY });
  map.addLayer({ id: 'circle-boundary', type: 'line', source: 'circle-boundary', paint: { 'line-color': RING_COLOUR, 'line-width': 2.5 } });
  map.addLayer({
    id: 'circle-gaps',
    type: 'line',
    source: 'circle-gaps',
    layout: { 'line-cap': 'round' },
    paint: { 'line-color': GAP_COLOUR, 'line-width': 5, 'line-opacity': 0.85 },
  });
  addSiteLayer(map);
  map.moveLayer(SITE_LAYER);
  const labels = new HtmlLabels(map, { className: 'sf-gap-label', limit: 60, textOf: (p) => gapLabel(Number(p.lengthM)) });
  let shownId: number | null = null;

  return {
    /** Draws a circle; the view fits its border when it is another circle than the one shown. */
    show(circle: CircleDetail) {
      (map.getSource('circle-boundary') as GeoJSONSource).setData(circle.boundary as GeoJSON.Feature);
      (map.getSource('circle-gaps') as GeoJSONSource).setData(circle.gaps as GeoJSON.FeatureCollection);
      setSiteData(map, memberFeatures(circle.members));
      // Each gap's length at its middle vertex.
      labels.setFeatures(
        circle.gaps.features.map((f) => {
          const line = (f.geometry as { coordinates: [number, number][] }).coordinates;
          return { geometry: { type: 'Point', coordinates: line[Math.floor(line.length / 2)] }, properties: f.properties };
        }),
      );
      if (shownId !== circle.id) {
        const bounds = boundsOf([circle.boundary]);
        if (bounds) fitTo(map, bounds, { padding: 24 });
        shownId = circle.id;
      }
      // The browser specs wait for the first circle drawn.
      map.getContainer().dataset.ready = 'true';
    },
    relabel: () => labels.relabel(),
    destroy: () => labels.destroy(),
  };
}
