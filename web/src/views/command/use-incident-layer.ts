import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import { computed, ref, type ShallowRef, watch } from 'vue';
import type { Incident } from '@/api/incidents';
import type { MapUnit } from '@/components/map/IncidentPointMap.vue';
import { IncidentMarkers } from '@/components/map/incident-markers';
import { useIncidentCategories } from '@/composables/useIncidentCategories';
import { useIncidentsStore } from '@/stores/incidents';

/**
 * The command map's incident layer: the open incidents of the scope as markers, live from the
 * incidents store; a new one flashes and the map flies to it and opens its card (the layout's bar
 * sounds the alarm). `install` is called once the map is ready, with the page's cleanup list.
 */
export function useIncidentLayer(map: ShallowRef<MapLibreMap | undefined>) {
  const store = useIncidentsStore();
  const { label } = useIncidentCategories();
  const selectedId = ref<string | null>(null);
  const selected = computed<Incident | null>(() => store.open.find((i) => i.id === selectedId.value) ?? null);
  let markers: IncidentMarkers | undefined;
  let unitMarkers: Marker[] = [];

  /** Draws the picked incident's units (suggestions numbered, those sent ticked) on the map. */
  function showUnits(units: MapUnit[]) {
    for (const m of unitMarkers) m.remove();
    const instance = map.value;
    if (!instance) return;
    unitMarkers = units.map((unit) => {
      const element = document.createElement('span');
      element.className = `sf-unit-dot${unit.selected ? ' is-selected' : ''}`;
      element.style.background = unit.colour;
      element.textContent = unit.label;
      element.dataset.testid = 'command-unit';
      return new Marker({ element }).setLngLat(unit.at).addTo(instance);
    });
  }

  function pick(id: string | null) {
    if (id !== selectedId.value) showUnits([]);
    selectedId.value = id;
    markers?.select(id);
  }

  function flyTo(incident: Incident) {
    const instance = map.value;
    if (!instance) return;
    instance.flyTo({ center: incident.location.coordinates as [number, number], zoom: Math.max(instance.getZoom(), 13), speed: 1.6 });
  }

  function install(instance: MapLibreMap, own: (cleanup: () => void) => void) {
    markers = new IncidentMarkers(
      instance,
      (id) => pick(id),
      (i) => `${i.code} ${label(i.category, i.categoryName)} ${i.title}`,
    );
    own(() => {
      markers?.dispose();
      showUnits([]);
    });
    own(store.start());
    own(
      store.onIncident((incident, created) => {
        if (created && incident.status === 'new') {
          pick(incident.id);
          flyTo(incident);
        }
      }),
    );
    own(
      watch(
        () => store.open,
        (open) => markers?.set(open),
        { immediate: true, deep: false },
      ),
    );
  }

  /** Opens an incident given by id (`/command?incident=<id>`), once the store has it. */
  function locate(id: string): boolean {
    const incident = store.open.find((i) => i.id === id);
    if (!incident) return false;
    pick(id);
    flyTo(incident);
    return true;
  }

  return { selected, pick, install, locate, showUnits, loaded: computed(() => store.loaded) };
}
