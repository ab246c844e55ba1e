import { ElButton, ElMessage, ElNotification, type NotificationHandle } from 'element-plus';
import { h, onBeforeUnmount, onMounted } from 'vue';
import { useRouter } from 'vue-router';
import { type Alert, acknowledgeAlert } from '@/api/alerts';
import { i18n } from '@/i18n';
import { useAlertsStore } from '@/stores/alerts';
import { useSessionStore } from '@/stores/session';
import { formatClock } from '@/utils/format';
import { describeError } from './useServerErrors';

/**
 * An SOS nobody has taken on yet cannot be missed on any page: a red notification that stays
 * until the alert is acknowledged (by anyone) or the user closes it, flashing without sound. A
 * click opens the command map on the alert; officers with alerts:write acknowledge it right there.
 * On the command map it shows at the bottom, clear of the banner and the alert panel.
 * Mounted once, by the signed-in layout.
 */
export function useSosAlarm() {
  const alerts = useAlertsStore();
  const session = useSessionStore();
  const router = useRouter();
  const shown = new Map<string, NotificationHandle>();
  let stop: (() => void) | undefined;
  let stopListening: (() => void) | undefined;

  async function acknowledge(alert: Alert) {
    try {
      alerts.put(await acknowledgeAlert(alert.id, undefined, alert.version));
      ElMessage.success(i18n.global.t('alerts.actions.acknowledged'));
    } catch (error) {
      ElMessage.error(describeError(error));
    }
  }

  function show(alert: Alert) {
    if (shown.has(alert.id)) return;
    const { t } = i18n.global;
    const handle = ElNotification({
      type: 'error',
      title: t('command.sos.title'),
      message: h('div', { class: 'sf-sos-note', 'data-testid': 'sos-notification', 'data-alert-id': alert.id }, [
        h('strong', alert.rangerName ?? t('command.sos.unknownRanger')),
        h('span', ` · ${alert.orgUnitName} · ${formatClock(alert.raisedAt)}`),
        h('div', { class: 'sf-sos-note-hint' }, t('command.sos.clickToLocate')),
        session.can('alerts:write')
          ? h(
              ElButton,
              {
                size: 'small',
                type: 'danger',
                class: 'sf-sos-note-action',
                'data-testid': 'sos-notification-acknowledge',
                onClick: (event: MouseEvent) => {
                  event.stopPropagation();
                  void acknowledge(alert);
                },
              },
              () => t('alerts.actions.acknowledge'),
            )
          : null,
      ]),
      duration: 0,
      offset: 64,
      position: router.currentRoute.value.name === 'command' ? 'bottom-right' : 'top-right',
      customClass: 'sf-sos-notification',
      onClick: () => {
        void router.push({ name: 'command', query: { alert: alert.id } });
      },
      onClose: () => shown.delete(alert.id),
    });
    shown.set(alert.id, handle);
  }

  function onAlert(alert: Alert) {
    if (alert.kind !== 'sos') return;
    if (alert.state === 'new') show(alert);
    else shown.get(alert.id)?.close();
  }

  onMounted(() => {
    stopListening = alerts.onAlert(onAlert);
    stop = alerts.start();
  });
  onBeforeUnmount(() => {
    stopListening?.();
    stop?.();
    for (const handle of [...shown.values()]) handle.close();
    shown.clear();
  });
}
