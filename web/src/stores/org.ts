import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { type FeatureCollection, fetchOrgLayer, listOrgUnits, type OrgUnit } from '@/api/org';
import { buildOrgTree, layerOfKind } from '@/utils/org-tree';

/**
 * The org units of the user's subtree, loaded once per session and shared by the org page, the
 * filters and the site form; and unit outlines for mini maps.
 */
export const useOrgStore = defineStore('org', () => {
  const units = ref<OrgUnit[]>([]);
  const loaded = ref(false);
  let loading: Promise<void> | null = null;
  const layerCache = new Map<string, Promise<FeatureCollection>>();

  const byId = computed(() => new Map(units.value.map((u) => [u.id, u])));
  const tree = computed(() => buildOrgTree(units.value));
  const counties = computed(() => units.value.filter((u) => u.kind === 'county'));

  function load(force = false) {
    if (loaded.value && !force) return Promise.resolve();
    loading ??= listOrgUnits()
      .then((result) => {
        units.value = result.items;
        loaded.value = true;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  /** The outline of one unit (a Feature), from the boundary layer of its kind; null when it has none. */
  async function boundaryOf(unit: OrgUnit): Promise<FeatureCollection> {
    const layer = layerOfKind(unit.kind);
    if (!layer || (!unit.hasArea && unit.kind !== 'city')) return { type: 'FeatureCollection', features: [] };
    // Grids are many and small: ask only around the unit. Other layers are cached whole.
    const bbox =
      unit.kind === 'grid' && unit.center
        ? [unit.center[0] - 0.25, unit.center[1] - 0.25, unit.center[0] + 0.25, unit.center[1] + 0.25].map((v) => v.toFixed(4)).join(',')
        : undefined;
    const key = `${layer}:${bbox ?? ''}`;
    let request = layerCache.get(key);
    if (!request) {
      request = fetchOrgLayer(layer, 10, bbox);
      layerCache.set(key, request);
      request.catch(() => layerCache.delete(key));
    }
    const data = await request;
    // The city's own outline is the union of its counties.
    const features = unit.kind === 'city' ? data.features : data.features.filter((f) => f.properties.id === unit.id);
    return { type: 'FeatureCollection', features };
  }

  function reset() {
    units.value = [];
    loaded.value = false;
    layerCache.clear();
  }

  return { units, loaded, byId, tree, counties, load, boundaryOf, reset };
});
