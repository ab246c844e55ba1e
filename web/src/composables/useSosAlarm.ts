import { computed, onBeforeUnmount, onMounted, reactive } from 'vue';
import type { Alert } from '@/api/alerts';
import { useAlertsStore } from '@/stores/alerts';
import { useAlertActions } from './useAlertActions';

/** At most this many SOS lines are listed; the rest are counted ("另有 N 起"). */
export const SOS_LINES = 3;

/**
 * An SOS nobody has taken on yet cannot be missed on any page, and never hides the page: the
 * layout shows a red bar between the header and the page, in the layout's own space, listing
 * each new SOS until it is acknowledged (by anyone) or the user dismisses it. A line opens the
 * command map on the alert; officers with alerts:write acknowledge it right there. Mounted once,
 * by the signed-in layout.
 */
export function useSosAlarm() {
  const alerts = useAlertsStore();
  const dismissed = reactive(new Set<string>());
  const { busyId, acknowledge, openOnMap: locate } = useAlertActions();
  let stop: (() => void) | undefined;

  /** New SOS alerts the user has not dismissed, oldest first: the one waiting longest leads. */
  const waiting = computed(() =>
    alerts.newSos.filter((a) => !dismissed.has(a.id)).sort((a, b) => String(a.raisedAt).localeCompare(String(b.raisedAt))),
  );
  const shown = computed(() => waiting.value.slice(0, SOS_LINES));
  const more = computed(() => Math.max(0, waiting.value.length - SOS_LINES));

  function dismiss(alert: Alert) {
    dismissed.add(alert.id);
  }

  onMounted(() => {
    stop = alerts.start();
  });
  onBeforeUnmount(() => stop?.());

  return { shown, more, busyId, acknowledge, locate, dismiss };
}
