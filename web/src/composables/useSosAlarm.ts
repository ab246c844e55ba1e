import { computed, onBeforeUnmount, onMounted, reactive } from 'vue';
import { useRouter } from 'vue-router';
import type { Alert } from '@/api/alerts';
import type { Incident } from '@/api/incidents';
import { useAlertsStore } from '@/stores/alerts';
import { useIncidentsStore } from '@/stores/incidents';
import { useSessionStore } from '@/stores/session';
import { playAlarm } from './alarm-sound';
import { useAlertActions } from './useAlertActions';

/** At most this many lines of each kind are listed; the rest are counted ("另有 N 起"). */
export const SOS_LINES = 3;

/**
 * What cannot be missed on any page, and never hides the page: the layout shows a red bar between
 * the header and the page, in the layout's own space, listing each new SOS until it is
 * acknowledged (by anyone) or the user dismisses it, and — for those who handle incidents — each
 * new incident until it is dispatched or dismissed. An SOS or an incident arriving live sounds the
 * alarm tone. A line opens the command map on the alert or the incident's page; officers with
 * alerts:write acknowledge an SOS right there. Mounted once, by the signed-in layout.
 */
export function useSosAlarm() {
  const session = useSessionStore();
  const alerts = useAlertsStore();
  const incidents = useIncidentsStore();
  const router = useRouter();
  const dismissed = reactive(new Set<string>());
  const { busyId, acknowledge, openOnMap: locate } = useAlertActions();
  const stops: (() => void)[] = [];
  const watchSos = session.can('alerts:read');
  const watchIncidents = session.can('incidents:write');

  /** New SOS alerts the user has not dismissed, oldest first: the one waiting longest leads. */
  const waiting = computed(() =>
    alerts.newSos.filter((a) => !dismissed.has(a.id)).sort((a, b) => String(a.raisedAt).localeCompare(String(b.raisedAt))),
  );
  const shown = computed(() => waiting.value.slice(0, SOS_LINES));
  const more = computed(() => Math.max(0, waiting.value.length - SOS_LINES));

  const waitingIncidents = computed(() => (watchIncidents ? incidents.waiting.filter((i) => !dismissed.has(i.id)) : []));
  const shownIncidents = computed(() => waitingIncidents.value.slice(0, SOS_LINES));
  const moreIncidents = computed(() => Math.max(0, waitingIncidents.value.length - SOS_LINES));

  function dismiss(item: Alert | Incident) {
    dismissed.add(item.id);
  }

  function openIncident(incident: Incident) {
    void router.push(`/incidents/${incident.id}`);
  }

  onMounted(() => {
    if (watchSos) {
      stops.push(alerts.start());
      stops.push(
        alerts.onAlert((alert, previous) => {
          // Only one raised just now: the first load tells of every open SOS, which the bar shows silently.
          if (alert.kind === 'sos' && alert.state === 'new' && !previous && Date.now() - Date.parse(String(alert.raisedAt)) < 60_000)
            playAlarm();
        }),
      );
    }
    if (watchIncidents) {
      stops.push(incidents.start());
      stops.push(
        incidents.onIncident((incident, created) => {
          if (created && incident.status === 'new') playAlarm();
        }),
      );
    }
  });
  onBeforeUnmount(() => {
    for (const stop of stops.splice(0)) stop();
  });

  return { shown, more, shownIncidents, moreIncidents, busyId, acknowledge, locate, dismiss, openIncident };
}
