import { ElMessage, ElMessageBox } from 'element-plus';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { type Alert, acknowledgeAlert, resolveAlert } from '@/api/alerts';
import { requestLimits } from '@/api/limits';
import { useAlertsStore } from '@/stores/alerts';
import { describeError } from './useServerErrors';

/**
 * Acknowledging and resolving an alert, the one way every page offers it (the alerts list, the
 * command map's panel and banner, the layout's SOS bar): resolving asks for an optional note; the
 * answer replaces the alert in the shared alerts store and is confirmed in a message; a refusal
 * (someone else acted first, say) is shown and the store is read again. `onChanged` lets a page
 * refresh what else it shows. `busyId` is the alert being sent, for its buttons' spinners. Pages
 * other than the command map locate an alert by opening the map on it (`openOnMap`).
 */
export function useAlertActions(onChanged?: (alert: Alert) => void) {
  const { t } = useI18n();
  const alerts = useAlertsStore();
  const router = useRouter();
  const busyId = ref<string | null>(null);

  async function send(alert: Alert, call: () => Promise<Alert>, doneKey: string) {
    busyId.value = alert.id;
    try {
      const changed = await call();
      alerts.put(changed);
      ElMessage.success(t(doneKey));
      onChanged?.(changed);
    } catch (error) {
      ElMessage.error(describeError(error));
      void alerts.reload().catch(() => undefined);
    } finally {
      busyId.value = null;
    }
  }

  /** Takes the alert on: its state becomes acknowledged. */
  function acknowledge(alert: Alert) {
    return send(alert, () => acknowledgeAlert(alert.id, undefined, alert.version), 'alerts.actions.acknowledged');
  }

  /** Asks for a note (optional) and closes the alert; cancelling the prompt changes nothing. */
  async function resolve(alert: Alert) {
    let note: string;
    try {
      const answer = await ElMessageBox.prompt(t('alerts.resolvePrompt'), t('alerts.actions.resolve'), {
        confirmButtonText: t('alerts.actions.resolve'),
        cancelButtonText: t('common.actions.cancel'),
        inputPlaceholder: t('alerts.notePlaceholder'),
        inputValidator: (value) => !value || value.length <= requestLimits.resolveAlert.note.maxLength,
      });
      note = answer.value?.trim() ?? '';
    } catch {
      return; // cancelled
    }
    await send(alert, () => resolveAlert(alert.id, note || undefined, alert.version), 'alerts.actions.resolved');
  }

  /** Opens the command map on the alert (it flies there and picks the ranger's device). */
  function openOnMap(alert: Alert) {
    void router.push({ name: 'command', query: { alert: alert.id } });
  }

  return { busyId, acknowledge, resolve, openOnMap };
}
