import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { type Incident, listIncidents, OPEN_STATUSES } from '@/api/incidents';
import { subscribeLive } from '@/api/live';
import { sharedLiveFeed } from './shared-live-feed';

/** Told about every incident that arrives live: `created` is true for one that has just opened. */
type IncidentListener = (incident: Incident, created: boolean) => void;

/**
 * The open incidents of the user's scope (new, dispatched, on scene), kept current from the live
 * socket (topic `incidents`): shared by the command map's incident layer and the layout's alarm.
 * Views `start()` it and call the answer to stop; it listens while anyone needs it.
 */
export const useIncidentsStore = defineStore('incidents', () => {
  const open = ref<Incident[]>([]);
  const loaded = ref(false);
  const listeners = new Set<IncidentListener>();

  /** Incidents nobody has dispatched yet, oldest first (the one waiting longest leads). */
  const waiting = computed(() => open.value.filter((i) => i.status === 'new').sort((a, b) => a.reportedAt.localeCompare(b.reportedAt)));

  async function reload() {
    const { items } = await listIncidents({ status: OPEN_STATUSES, pageSize: 500 });
    open.value = items;
    loaded.value = true;
  }

  function apply(incident: Incident, created: boolean) {
    const others = open.value.filter((i) => i.id !== incident.id);
    open.value = OPEN_STATUSES.includes(incident.status) ? [...others, incident] : others;
    for (const l of listeners) l(incident, created);
  }

  const start = sharedLiveFeed({
    subscribe: () =>
      subscribeLive('incidents', (message) => {
        if (message.type === 'incident') apply(message.incident as Incident, message.change === 'created');
      }),
    reload,
    forget: () => {
      open.value = [];
      loaded.value = false;
    },
  });

  function onIncident(listener: IncidentListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Puts an incident this user changed (the live message follows; both agree). */
  function put(incident: Incident) {
    apply(incident, false);
  }

  return { open, loaded, waiting, reload, start, onIncident, put };
});
