/**
 * Installs every org boundary layer on a map with its HTML labels, keeps each loaded for the
 * current zoom (and, for grids, the current area), and follows a visibility switch.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { type Ref, watch } from 'vue';
import type { MapLayerName } from '@/api/org';
import { addBoundaryLayer, BOUNDARY_LAYERS, followZoom, setBoundaryVisible } from './boundary-layers';
import { HtmlLabels } from './html-labels';

/** From which zoom each layer's names show (counties always). */
const LABEL_ZOOM: Record<MapLayerName, number> = { counties: 0, townships: 10, grids: 13, reserves: 9, forest_farms: 9 };

export function installBoundaries(
  map: MapLibreMap,
  visible: Ref<Record<MapLayerName, boolean>>,
  options: { onError: (error: unknown) => void; textOf?: (properties: Record<string, unknown>) => string | null },
) {
  const { onError, textOf } = options;
  const labels = Object.fromEntries(
    BOUNDARY_LAYERS.map((layer) => [
      layer,
      new HtmlLabels(map, {
        minzoom: LABEL_ZOOM[layer],
        className: layer === 'counties' ? 'is-county' : '',
        limit: layer === 'grids' ? 400 : 300,
        textOf,
      }),
    ]),
  ) as Record<MapLayerName, HtmlLabels>;

  const followers = BOUNDARY_LAYERS.map((layer) => {
    addBoundaryLayer(map, layer);
    return followZoom(map, layer, {
      byBbox: layer === 'grids',
      isWanted: () => visible.value[layer],
      onData: (data) => labels[layer].setFeatures(data.features),
      onError,
    });
  });

  function apply() {
    for (const layer of BOUNDARY_LAYERS) {
      setBoundaryVisible(map, layer, visible.value[layer]);
      labels[layer].setVisible(visible.value[layer]);
    }
    for (const follower of followers) void follower.refresh();
  }
  const stopWatch = watch(visible, apply, { deep: true });
  apply();

  return {
    relabel() {
      for (const label of Object.values(labels)) label.relabel();
    },
    dispose() {
      stopWatch();
      for (const follower of followers) follower.stop();
      for (const label of Object.values(labels)) label.destroy();
    },
  };
}
