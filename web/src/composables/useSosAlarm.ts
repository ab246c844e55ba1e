import { ElMessage } from 'element-plus';
import { computed, onBeforeUnmount, onMounted, reactive, ref } from 'vue';
import { useRouter } from 'vue-router';
import { type Alert, acknowledgeAlert } from '@/api/alerts';
import { i18n } from '@/i18n';
import { useAlertsStore } from '@/stores/alerts';
import { describeError } from './useServerErrors';

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
  const router = useRouter();
  const dismissed = reactive(new Set<string>());
  const busyId = ref<string | null>(null);
  let stop: (() => void) | undefined;

  /** New SOS alerts the user has not dismissed, oldest first: the one waiting longest leads. */
  const waiting = computed(() =>
    alerts.newSos.filter((a) => !dismissed.has(a.id)).sort((a, b) => String(a.raisedAt).localeCompare(String(b.raisedAt))),
  );
  const shown = computed(() => waiting.value.slice(0, SOS_LINES));
  const more = computed(() => Math.max(0, waiting.value.length - SOS_LINES));

  async function acknowledge(alert: Alert) {
    busyId.value = alert.id;
    try {
      alerts.put(await acknowledgeAlert(alert.id, undefined, alert.version));
      ElMessage.success(i18n.global.t('alerts.actions.acknowledged'));
    } catch (error) {
      ElMessage.error(describeError(error));
      void alerts.reload().catch(() => undefined);
    } finally {
      busyId.value = null;
    }
  }

  function locate(alert: Alert) {
    void router.push({ name: 'command', query: { alert: alert.id } });
  }

  function dismiss(alert: Alert) {
    dismissed.add(alert.id);
  }

  onMounted(() => {
    stop = alerts.start();
  });
  onBeforeUnmount(() => stop?.());

  return { shown, more, busyId, acknowledge, locate, dismiss };
}
