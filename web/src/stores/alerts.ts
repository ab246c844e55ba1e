import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { type Alert, compareAlerts, listAlerts } from '@/api/alerts';
import { type LiveMessageOf, onLiveReconnect, subscribeLive } from '@/api/live';

/** Told about every alert that arrives live, with what the store knew of it before. */
type AlertListener = (alert: Alert, previous: Alert | undefined) => void;

/** Open alerts are re-read after the socket reconnects, and now and then in any case. */
const RELOAD_MS = 60_000;

/**
 * The open alerts of the user's scope (new or acknowledged), kept current from the live socket:
 * shared by the SOS alarm of the layout, the command map's alert panel and the alerts list.
 * Views `start()` it and call the answer to stop; it listens while anyone needs it.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const open = ref<Alert[]>([]);
  const loaded = ref(false);
  const listeners = new Set<AlertListener>();
  let users = 0;
  let stopLive: (() => void) | undefined;
  let stopReconnect: (() => void) | undefined;
  let reloadTimer: ReturnType<typeof setInterval> | undefined;

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

  function start(): () => void {
    users++;
    if (users === 1) {
      stopLive = subscribeLive('alerts', apply);
      stopReconnect = onLiveReconnect(() => void reload().catch(() => undefined));
      void reload().catch(() => undefined);
      reloadTimer = setInterval(() => void reload().catch(() => undefined), RELOAD_MS);
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      users--;
      if (users === 0) {
        stopLive?.();
        stopReconnect?.();
        clearInterval(reloadTimer);
        open.value = [];
        loaded.value = false;
      }
    };
  }

  function onAlert(listener: AlertListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return { open, loaded, sorted, sosDeviceIds, newSos, reload, put, start, onAlert };
});
