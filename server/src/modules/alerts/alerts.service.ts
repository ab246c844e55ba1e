/**
 * Alerts of the ranger network (notice clause 十: 联动应急处置, fast reaction): raised by the
 * analyzers — SOS, left the assigned area, silent too long on patrol, immobile too long, low
 * battery — handled by duty officers from new to acknowledged to resolved, every step audited and
 * pushed live to the viewers whose scope holds the ranger.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { AuditRepo } from '../../platform/audit/audit.repo.js';
import type { RunChange } from '../../platform/change.js';
import { assertVersion, conflict, found } from '../../platform/errors.js';
import type { EventBus } from '../../platform/events.js';
import { pageWindow } from '../../platform/paging.js';
import type { SettingsRepo } from '../../platform/settings/settings.repo.js';
import type { AlertsRepo } from './alerts.repo.js';
import { type Alert, type AlertCandidate, AnalyzerSettings, DEFAULT_ANALYZER_SETTINGS } from './alerts.schema.js';

const SETTINGS_KEY = 'analyzers';
const ANALYZER = { userId: '00000000-0000-0000-0000-000000000000', username: 'analyzer', address: null };

type Deps = {
  db: Db;
  alertsRepo: AlertsRepo;
  auditRepo: Pick<AuditRepo, 'insert'>;
  settingsRepo: SettingsRepo;
  runChange: RunChange;
  events: EventBus;
};

export function createAlertsService({ db, alertsRepo, auditRepo, settingsRepo, runChange, events }: Deps) {
  let settings: AnalyzerSettings = DEFAULT_ANALYZER_SETTINGS;

  const publish = (alert: Alert & { orgPath: string }) => {
    const { orgPath, ...payload } = alert;
    events.publish({ topic: 'alerts', type: 'alert', orgPath, payload: payload as unknown as Record<string, unknown> });
  };

  async function mustFind(actor: Actor, id: string, tx: Parameters<AlertsRepo['findInScope']>[0] = db) {
    const alert = found(await alertsRepo.findInScope(tx, actor, id), 'Alert');
    return alert;
  }

  /** Raises alerts found by a timed analyzer, audits them and publishes them. */
  async function raiseTimed(candidates: AlertCandidate[]) {
    if (candidates.length === 0) return 0;
    const raised = await db.transaction(async (tx) => {
      const rows = await alertsRepo.raise(tx, candidates);
      await auditRepo.insert(
        tx,
        ANALYZER,
        rows.map((a) => ({
          action: 'alert.raise',
          entity: 'alert',
          entityId: a.id,
          orgUnitId: a.orgUnitId,
          after: { kind: a.kind, rangerId: a.rangerId },
        })),
      );
      return rows;
    });
    await publishByIds(raised.map((a) => a.id));
    return raised.length;
  }

  /** Publishes alerts (after their transaction committed) to the viewers of their scope. */
  async function publishByIds(ids: string[]) {
    for (const alert of await alertsRepo.byIds(db, ids)) publish(alert);
  }

  return {
    publishByIds,

    /** The analyzer thresholds now in force (cached; reloaded by `loadSettings`). */
    settings: () => settings,

    async loadSettings() {
      const stored = await settingsRepo.get(db, SETTINGS_KEY);
      settings = AnalyzerSettings.parse(stored ?? {});
      return settings;
    },

    /** Changes the thresholds (audited); they apply at once. */
    async updateSettings(actor: Actor, value: AnalyzerSettings) {
      const before = settings;
      await runChange(actor, async ({ tx, audit, emit }) => {
        await settingsRepo.put(tx, SETTINGS_KEY, value, actor.username);
        audit({ action: 'settings.update', entity: 'settings', entityId: SETTINGS_KEY, orgUnitId: actor.orgUnitId, before, after: value });
        emit({ topic: 'settings', type: 'settings.changed', orgPath: actor.orgPath, payload: { key: SETTINGS_KEY } });
      });
      settings = value;
      return settings;
    },

    list: (actor: Actor, f: { state?: string; kind?: string; rangerId?: string; from?: Date; to?: Date; page: number; pageSize: number }) =>
      alertsRepo.list(db, actor, { ...f, ...pageWindow(f) }),

    get: (actor: Actor, id: string) => mustFind(actor, id),

    /** A duty officer takes an alert on (new → acknowledged). */
    acknowledge: (actor: Actor, id: string, note?: string, version?: number) => transition(actor, id, 'acknowledged', note, version),

    /** An alert is dealt with (→ resolved), with what was done. */
    resolve: (actor: Actor, id: string, note?: string, version?: number) => transition(actor, id, 'resolved', note, version),

    /** Runs the timed analyzers once: silent and immobile rangers on patrol. */
    async runTimedAnalyzers() {
      const silent = await alertsRepo.silentOnPatrol(db, settings.silentMinutes);
      const immobile = await alertsRepo.immobileOnPatrol(db, settings.immobileMinutes);
      const candidate = (kind: 'silent' | 'immobile', minutes: number) => (r: (typeof silent)[number]) => ({
        kind,
        rangerId: r.rangerId,
        deviceId: r.deviceId,
        orgUnitId: r.orgUnitId,
        orgPath: r.orgPath,
        countyCode: r.countyCode,
        fixTime: r.fixTime,
        lon: r.lon,
        lat: r.lat,
        details: { since: r.since.toISOString(), thresholdMinutes: minutes },
      });
      return raiseTimed([
        ...silent.map(candidate('silent', settings.silentMinutes)),
        ...immobile.map(candidate('immobile', settings.immobileMinutes)),
      ]);
    },
  };

  async function transition(actor: Actor, id: string, state: 'acknowledged' | 'resolved', note?: string, version?: number) {
    const updated = await runChange(actor, async ({ tx, audit }) => {
      const before = await mustFind(actor, id, tx);
      if (before.state === 'resolved') throw conflict('The alert is already resolved');
      if (state === 'acknowledged' && before.state === 'acknowledged') throw conflict('The alert is already acknowledged');
      assertVersion('The alert was changed by someone else', before, version);
      if (!(await alertsRepo.setState(tx, actor, id, before.version, { state, by: actor.username, note })))
        throw conflict('The alert was changed by someone else');
      const after = await mustFind(actor, id, tx);
      audit({
        action: state === 'acknowledged' ? 'alert.acknowledge' : 'alert.resolve',
        entity: 'alert',
        entityId: id,
        orgUnitId: after.orgUnitId,
        before,
        after,
      });
      return after;
    });
    publish(updated);
    const { orgPath: _, ...alert } = updated;
    return alert;
  }
}
export type AlertsService = ReturnType<typeof createAlertsService>;
