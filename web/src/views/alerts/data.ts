/** How alerts look in the lists and the command map's panel. */
import type { Alert, AlertKind, AlertState } from '@/api/alerts';
import { formatClock } from '@/utils/format';

type TagType = 'danger' | 'warning' | 'info' | 'success' | 'primary';

export const ALERT_KIND_TAG: Record<AlertKind, TagType> = {
  sos: 'danger',
  left_area: 'warning',
  silent: 'warning',
  immobile: 'warning',
  low_battery: 'info',
  camera_offline: 'warning',
  camera_alarm: 'danger',
  watchlist_hit: 'danger',
};

export const ALERT_STATE_TAG: Record<AlertState, TagType> = {
  new: 'danger',
  acknowledged: 'warning',
  resolved: 'success',
};

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** One short line of what the analyzer found (battery level, since when silent…), or ''. */
export function alertDetail(alert: Pick<Alert, 'kind' | 'details'>, t: Translate): string {
  const d = (alert.details ?? {}) as Record<string, unknown>;
  switch (alert.kind) {
    case 'low_battery':
      return typeof d.battery === 'number' ? t('alerts.detail.battery', { battery: Math.round(d.battery) }) : '';
    case 'silent':
    case 'immobile':
      return typeof d.since === 'string' ? t(`alerts.detail.${alert.kind}`, { since: formatClock(d.since) }) : '';
    case 'camera_offline':
      return typeof d.cameraName === 'string' ? t('alerts.detail.cameraOffline', { camera: d.cameraName }) : '';
    case 'camera_alarm':
      return typeof d.cameraName === 'string'
        ? t('alerts.detail.cameraAlarm', { camera: d.cameraName, type: t(`cameras.alarmType.${String(d.alarmType)}`) })
        : '';
    case 'left_area':
      return d.outsideTerritory === true ? t('alerts.detail.outsideTerritory') : '';
    case 'watchlist_hit':
      return typeof d.plate === 'string'
        ? t('alerts.detail.watchlistHit', {
            plate: d.plate,
            checkpoint: String(d.checkpointName ?? ''),
            watchlist: String(d.watchlistName ?? ''),
          })
        : '';
    case 'sos': {
      const accuracy = typeof d.accuracy === 'number' ? t('alerts.detail.accuracy', { accuracy: Math.round(d.accuracy) }) : '';
      // The ranger's own words come first: they say what help is needed.
      return [typeof d.note === 'string' ? `“${d.note}”` : '', accuracy].filter(Boolean).join(' · ');
    }
    default:
      return '';
  }
}

/** Who handled an alert: the officer's display name, or SafeForest itself in words. */
export function handlerName(
  alert: Pick<Alert, 'acknowledgedBy' | 'acknowledgedByName' | 'resolvedBy' | 'resolvedByName'>,
  step: 'acknowledged' | 'resolved',
  t: Translate,
): string {
  const name = step === 'acknowledged' ? alert.acknowledgedByName : alert.resolvedByName;
  const login = step === 'acknowledged' ? alert.acknowledgedBy : alert.resolvedBy;
  if (name) return name;
  if (login === 'system' || login === 'analyzer') return t(`audit.principal.${login}`);
  return login ?? '';
}

/** The handling note: SafeForest's own reasons come as codes and are worded here; officers' notes as typed. */
export function alertNote(alert: Pick<Alert, 'note' | 'noteCode'>, t: Translate): string {
  if (alert.noteCode) return t(`alerts.noteCode.${alert.noteCode}`);
  return alert.note ?? '';
}
