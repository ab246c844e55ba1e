import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { type Alert, compareAlerts, listAlerts } from '@/api/alerts';
import { type LiveMessageOf, subscribeLive } from '@/api/live';
import { sharedLiveFeed } from './shared-live-feed';

/** Told about every alert that arrives live, with what the store knew of it before. */
type AlertListener = (alert: Alert, previous: Alert | undefined) => void;

/**
 * The open alerts of the user's scope (new or acknowledged), kept current from the live socket:
 * shared by the SOS alarm of the layout, the command map's alert panel and the alerts list.
 * Views `start()` it and call the answer to stop; it listens while anyone needs it.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const open = ref<Alert[]>([]);
  const loaded = ref(false);
  const listeners = new Set<AlertListener>();

  const sorted = computed(() => [...open.value].sort(compareAlerts));
  /** Devices that raised an SOS that is not resolved: the map draws them red whatever their last fix said. */
  const sosDeviceIds = computed(() => new Set(open.value.filter((a) => a.kind === 'sos' && a.deviceId).map((a) => a.deviceId as string)));
  const newSos = computed(() => sorted.value.filter((a) => a.kind === 'sos' && a.state === 'new'));

  async function reload() {
    const { items } = await listAlerts({ state: 'open', pageSize: 500 });
    const known = new Map(open.value.map((a) => [a.id, a]));
    open.value = items;
    const first = !loaded.value;
    loaded.value = true;
    // Listeners hear about alerts raised while the socket was away (and, on the first load, every open one).
    for (const alert of items) if (first || !known.has(alert.id)) for (const l of listeners) l(alert, undefined);
  }

  function apply(message: LiveMessageOf<'alerts'>) {
    const { type: _type, topic: _topic, ...alert } = message;
    const previous = open.value.find((a) => a.id === alert.id);
    const others = open.value.filter((a) => a.id !== alert.id);
    open.value = alert.state === 'resolved' ? others : [...others, alert];
    for (const l of listeners) l(alert, previous);
  }

  /** Replaces one alert after this user acted on it (the live message follows; both agree). */
  function put(alert: Alert) {
    apply({ ...alert, type: 'alert', topic: 'alerts' });
  }

  const start = sharedLiveFeed({
    subscribe: () => subscribeLive('alerts', apply),
    reload,
    forget: () => {
      open.value = [];
      loaded.value = false;
    },
  });

  function onAlert(listener: AlertListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return { open, loaded, sorted, sosDeviceIds, newSos, reload, put, start, onAlert };
});
