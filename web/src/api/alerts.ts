import { api, type QueryOf, type Schemas, unwrap } from './client';

export type Alert = Schemas['Alert'];
export type AlertKind = Alert['kind'];
export type AlertState = Alert['state'];
export type AlertQuery = QueryOf<'/api/alerts', 'get'>;
export type AnalyzerSettings = Schemas['AnalyzerSettings'];

export const ALERT_KINDS: AlertKind[] = [
  'sos',
  'left_area',
  'silent',
  'immobile',
  'low_battery',
  'camera_offline',
  'camera_alarm',
  'watchlist_hit',
];
export const ALERT_STATES: AlertState[] = ['new', 'acknowledged', 'resolved'];

/**
 * An `alert` message of the live socket (topic `alerts`): the alert as the API presents it, sent
 * when it is raised and on every change of state. Times arrive as ISO strings.
 */
export type AlertMessage = Alert & { type: 'alert' };

export const listAlerts = (query: AlertQuery) => unwrap(api.GET('/api/alerts', { params: { query } }));
export const acknowledgeAlert = (id: string, note?: string, version?: number) =>
  unwrap(api.POST('/api/alerts/{id}/acknowledge', { params: { path: { id } }, body: { note, version } }));
export const resolveAlert = (id: string, note?: string, version?: number) =>
  unwrap(api.POST('/api/alerts/{id}/resolve', { params: { path: { id } }, body: { note, version } }));
export const getAnalyzerSettings = () => unwrap(api.GET('/api/settings/analyzers'));

/** Open alerts come first when they are SOS, then the newest (the order the API lists them in). */
export function compareAlerts(a: Alert, b: Alert): number {
  const sosA = a.kind === 'sos' && a.state !== 'resolved' ? 1 : 0;
  const sosB = b.kind === 'sos' && b.state !== 'resolved' ? 1 : 0;
  if (sosA !== sosB) return sosB - sosA;
  return String(b.raisedAt).localeCompare(String(a.raisedAt));
}
