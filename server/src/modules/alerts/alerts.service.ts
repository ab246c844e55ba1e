/**
 * Alerts of the ranger network (notice clause 十: 联动应急处置, fast reaction): raised by the
 * analyzers — SOS, left the assigned area, silent too long on patrol, immobile too long, low
 * battery — handled by duty officers from new to acknowledged to resolved, every step audited and
 * pushed live to the viewers whose scope holds the ranger.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { type ChangeContext, type RunChange, systemPrincipal } from '../../platform/change.js';
import { assertVersion, conflict, found } from '../../platform/errors.js';
import { platformEvent } from '../../platform/events.js';
import { pageWindow } from '../../platform/paging.js';
import { subtreeFilter } from '../../platform/scope.js';
import type { SettingsRepo } from '../../platform/settings/settings.repo.js';
import { alertEvent } from './alerts.events.js';
import type { AlertsRepo } from './alerts.repo.js';
import { type Alert, type AlertCandidate, type AlertNoteCode, AnalyzerSettings, DEFAULT_ANALYZER_SETTINGS } from './alerts.schema.js';

const SETTINGS_KEY = 'analyzers';
/** The alerts SafeForest raises and clears by itself are audited as the analyzer. */
const ANALYZER = systemPrincipal('analyzer');

/**
 * What else happens when an SOS is raised or resolved: the incident linkage (an SOS opens a
 * priority-1 incident; resolving one resolves the other). The incident module depends on this one,
 * so app.ts hands the linkage in once both exist (`linkSos`), as it hands tracks their rules.
 */
export type SosLinkage = {
  raisedIn(ctx: ChangeContext, alert: Alert & { orgPath: string }): Promise<unknown>;
  resolvedIn(ctx: ChangeContext, alert: Alert & { orgPath: string }, by: string): Promise<unknown>;
};

type Deps = {
  db: Db;
  alertsRepo: AlertsRepo;
  settingsRepo: SettingsRepo;
  runChange: RunChange;
};

export function createAlertsService({ db, alertsRepo, settingsRepo, runChange }: Deps) {
  let settings: AnalyzerSettings = DEFAULT_ANALYZER_SETTINGS;
  let sosLinkage: SosLinkage | null = null;

  /** The live event of an alert as it now is, for the viewers whose scope holds it. */
  const changedAlert = ({ orgPath, ...alert }: Alert & { orgPath: string }) => alertEvent('alert', { orgPath }, alert);

  async function mustFind(actor: Actor, id: string, tx: Parameters<AlertsRepo['findInScope']>[0] = db) {
    const alert = found(await alertsRepo.findInScope(tx, actor, id), 'Alert');
    return alert;
  }

  /** Queues the live events of these alerts, read as they stand in the change. */
  async function emitAlerts(ctx: ChangeContext, ids: string[]) {
    const rows = await alertsRepo.byIds(ctx.tx, ids);
    for (const alert of rows) ctx.emit(changedAlert(alert));
    return rows;
  }

  /**
   * Raises alerts inside a change (the position pipeline's commit, the timed analyzers): a ranger
   * with an open alert of the kind gets no second one. Each raised alert is audited and published
   * once the change commits. Answers the alerts raised.
   */
  async function raiseIn(ctx: ChangeContext, candidates: AlertCandidate[]) {
    const raised = await alertsRepo.raise(ctx.tx, candidates);
    for (const a of raised) {
      ctx.audit({
        action: 'alert.raise',
        entity: 'alert',
        entityId: a.id,
        orgUnitId: a.orgUnitId,
        after: { kind: a.kind, rangerId: a.rangerId },
      });
    }
    const rows = await emitAlerts(
      ctx,
      raised.map((a) => a.id),
    );
    // An SOS opens its incident in the same change (notice clause 十: within a second).
    for (const alert of rows) if (alert.kind === 'sos' && sosLinkage) await sosLinkage.raisedIn(ctx, alert);
    return raised;
  }

  /**
   * Resolves inside a change the open alerts of each kind for its rangers, with the reason as a
   * code (back inside the assigned area, battery recharged); audited and published like `raiseIn`.
   */
  async function resolveIn(ctx: ChangeContext, groups: { kind: string; rangerIds: string[]; code: AlertNoteCode }[]) {
    const resolved = await alertsRepo.resolveEach(ctx.tx, groups);
    for (const a of resolved) {
      ctx.audit({ action: 'alert.resolve', entity: 'alert', entityId: a.id, orgUnitId: a.orgUnitId, after: { by: 'system' } });
    }
    await emitAlerts(
      ctx,
      resolved.map((a) => a.id),
    );
    return resolved;
  }

  /**
   * Resolves an open SOS inside a change because the incident it opened was resolved (by `by`);
   * an SOS resolved already is left as it is. Audited and published like `raiseIn`.
   */
  async function resolveSosIn(ctx: ChangeContext, alertId: string, by: string, incidentCode: string) {
    const resolved = await alertsRepo.resolveOne(ctx.tx, alertId, 'sos', by, { code: 'incident_resolved', incident: incidentCode });
    for (const a of resolved) {
      ctx.audit({
        action: 'alert.resolve',
        entity: 'alert',
        entityId: a.id,
        orgUnitId: a.orgUnitId,
        after: { by, incident: incidentCode },
      });
    }
    await emitAlerts(
      ctx,
      resolved.map((a) => a.id),
    );
    return resolved.length > 0;
  }

  /**
   * Resolves inside a change the open alerts of a kind about one subject that is not a ranger (a
   * camera back online: `details.cameraId`), with the reason as a code; audited and published like `raiseIn`.
   */
  async function resolveAboutIn(ctx: ChangeContext, kind: string, detail: { key: string; value: string }, code: AlertNoteCode) {
    const resolved = await alertsRepo.resolveAbout(ctx.tx, kind, detail, { code });
    for (const a of resolved)
      ctx.audit({ action: 'alert.resolve', entity: 'alert', entityId: a.id, orgUnitId: a.orgUnitId, after: { by: 'system', code } });
    await emitAlerts(
      ctx,
      resolved.map((a) => a.id),
    );
    return resolved.length;
  }

  return {
    raiseIn,
    resolveIn,
    resolveSosIn,
    resolveAboutIn,

    /** Hands in the incident linkage of SOS alerts (app.ts, once the incident module exists). */
    linkSos(linkage: SosLinkage) {
      sosLinkage = linkage;
    },

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
        emit(platformEvent('settings.changed', actor, { key: SETTINGS_KEY }));
      });
      settings = value;
      return settings;
    },

    /** Alerts of the actor's scope (or of one unit's subtree in it), SOS first. */
    list: async (
      actor: Actor,
      {
        orgUnitId,
        ...f
      }: { state?: string; kind?: string; rangerId?: string; from?: Date; to?: Date; orgUnitId?: number; page: number; pageSize: number },
    ) => alertsRepo.list(db, actor, { ...f, subtreePath: await subtreeFilter(db, actor, orgUnitId), ...pageWindow(f) }),

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
      const candidates = [
        ...silent.map(candidate('silent', settings.silentMinutes)),
        ...immobile.map(candidate('immobile', settings.immobileMinutes)),
      ];
      if (candidates.length === 0) return 0;
      // Every candidate may already have its open alert: then the pass changed nothing and audits nothing.
      const raised = await runChange(ANALYZER, (ctx) => raiseIn(ctx, candidates), { auditOptional: true });
      return raised.length;
    },
  };

  async function transition(actor: Actor, id: string, state: 'acknowledged' | 'resolved', note?: string, version?: number) {
    const updated = await runChange(actor, async (ctx) => {
      const { tx, audit, emit } = ctx;
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
      emit(changedAlert(after));
      if (state === 'resolved' && after.kind === 'sos' && sosLinkage) await sosLinkage.resolvedIn(ctx, after, actor.username);
      return after;
    });
    const { orgPath: _, ...alert } = updated;
    return alert;
  }
}
export type AlertsService = ReturnType<typeof createAlertsService>;
