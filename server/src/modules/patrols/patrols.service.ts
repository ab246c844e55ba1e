/**
 * Patrols (巡护), notice clauses 七 and 十: a ranger starts and ends a patrol on the phone (or
 * the movement analyzer opens one), the track is made from the ranger's position fixes, and
 * officers follow patrols live and review them.
 */
import type { Db } from '../../db/connection.js';
import { type Actor, can, systemActor } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { AppError, conflict, forbidden, found, notFound, validationFailed } from '../../platform/errors.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { subtreeFilter } from '../../platform/scope.js';
import { DEFAULT_ANALYZER_SETTINGS } from '../alerts/alerts.schema.js';
import { type TrackRules, trackRulesOf } from '../positions/track.js';
import { patrolEvent } from './patrols.events.js';
import type { PatrolRow, PatrolsRepo } from './patrols.repo.js';
import { CLOCK_SKEW_MS, OFFLINE_DELIVERY_MS, type Patrol, type PatrolDetail, type PatrolFilter } from './patrols.schema.js';

type Deps = {
  db: Db;
  patrolsRepo: PatrolsRepo;
  orgRepo: Pick<OrgRepo, 'findInScope' | 'root'>;
  runChange: RunChange;
  /** What tracks and their km leave out (the analyzer settings of the moment). */
  trackRules?: () => TrackRules;
  /** The clock; tests may fix it. */
  now?: () => Date;
};

/** A patrol as it leaves the server (the unit's path is for live-event routing only). */
export function presentPatrol({ orgPath: _, ...patrol }: PatrolRow): Patrol {
  return patrol;
}

/** Raised inside a change that turns out to change nothing, to roll it back without an audit row. */
const NOTHING_CHANGED = Symbol('nothing changed');

export function createPatrolsService({
  db,
  patrolsRepo,
  orgRepo,
  runChange,
  trackRules = () => trackRulesOf(DEFAULT_ANALYZER_SETTINGS),
  now = () => new Date(),
}: Deps) {
  let system: Actor | null = null;
  /** The system actor (the whole tree) that automatic openings and closings are audited under. */
  async function systemOf(): Promise<Actor> {
    if (system) return system;
    const root = await orgRepo.root(db);
    if (!root) throw new Error('The org tree has no root');
    system = systemActor(root.path, root.id);
    return system;
  }

  /** The ranger linked to the actor's account; 403 when the account may not act as a ranger or is not linked to one. */
  async function ownRanger(actor: Actor, tx: ChangeContext['tx'] = db) {
    if (!can(actor, 'patrols:self')) throw forbidden('patrols:self');
    const ranger = await patrolsRepo.rangerOfUser(tx, actor.userId);
    if (!ranger) throw new AppError(403, 'forbidden', 'This account is not linked to a ranger');
    return ranger;
  }

  /** A time sent by a phone: not ahead of the server's clock, and not older than offline delivery allows. */
  function deviceTime(at: Date | undefined, path: string): Date {
    const current = now();
    if (!at) return current;
    if (at.getTime() > current.getTime() + CLOCK_SKEW_MS) throw validationFailed([{ path, message: 'the time lies in the future' }]);
    if (at.getTime() < current.getTime() - OFFLINE_DELIVERY_MS) {
      throw validationFailed([{ path, message: `the time is more than ${OFFLINE_DELIVERY_MS / 3600_000} hours ago` }]);
    }
    return at;
  }

  const event = (type: 'patrol.started' | 'patrol.ended', patrol: PatrolRow) =>
    patrolEvent(type, patrol, { patrol: presentPatrol(patrol) });

  /** The patrol with its track (computed from the fixes so far while it is active) and its check-ins. */
  async function detail(tx: ChangeContext['tx'], patrol: PatrolRow): Promise<PatrolDetail> {
    const checkins = await patrolsRepo.checkinsOf(tx, patrol.id);
    if (!patrol.active) return { ...presentPatrol(patrol), track: await patrolsRepo.storedTrack(tx, patrol.id), checkins };
    const until = now();
    const { track, distanceM } = await patrolsRepo.trackBetween(tx, patrol.rangerId, patrol.startedAt, until, trackRules());
    const durationS = Math.max(0, Math.round((until.getTime() - patrol.startedAt.getTime()) / 1000));
    return { ...presentPatrol(patrol), distanceM, durationS, track, checkins };
  }

  /** Runs a change that may find nothing to do: then it is rolled back and answers an empty list. */
  async function changeUnlessNothing<T>(actor: Actor, work: (ctx: ChangeContext) => Promise<T[]>): Promise<T[]> {
    try {
      return await runChange(actor, async (ctx) => {
        const result = await work(ctx);
        if (result.length === 0) throw NOTHING_CHANGED;
        return result;
      });
    } catch (error) {
      if (error === NOTHING_CHANGED) return [];
      throw error;
    }
  }

  /** Ends patrols and writes one audit row and one live event per patrol ended. */
  async function endPatrols(ctx: ChangeContext, items: { id: string; endedAt: Date; note?: string | null }[], action: string) {
    const befores = new Map<string, PatrolRow>();
    for (const item of items) {
      const before = await patrolsRepo.findById(ctx.tx, item.id);
      if (before) befores.set(item.id, before);
    }
    const ended = await patrolsRepo.end(ctx.tx, items, trackRules());
    const result: PatrolRow[] = [];
    for (const id of ended) {
      const after = (await patrolsRepo.findById(ctx.tx, id)) as PatrolRow;
      ctx.audit({
        action,
        entity: 'patrol',
        entityId: id,
        orgUnitId: after.orgUnitId,
        before: befores.get(id) && presentPatrol(befores.get(id) as PatrolRow),
        after: presentPatrol(after),
      });
      ctx.emit(event('patrol.ended', after));
      result.push(after);
    }
    return result;
  }

  return {
    /** The ranger starts a patrol in their assigned area; 409 when one is already active. */
    async start(actor: Actor, input: { at?: Date; note?: string } | null | undefined): Promise<PatrolDetail> {
      const startedAt = deviceTime(input?.at, 'body.at');
      return runChange(actor, async (ctx) => {
        const ranger = await ownRanger(actor, ctx.tx);
        await patrolsRepo.lockRangers(ctx.tx, [ranger.id]);
        const active = await patrolsRepo.activeOf(ctx.tx, ranger.id);
        if (active) throw conflict('You already have an active patrol; end it first', { patrolId: active.id });
        const lastEnd = await patrolsRepo.lastEndOf(ctx.tx, ranger.id);
        if (lastEnd && lastEnd > startedAt) {
          throw validationFailed([{ path: 'body.at', message: `your previous patrol ended later, at ${lastEnd.toISOString()}` }]);
        }
        const id = await patrolsRepo.insert(ctx.tx, {
          rangerId: ranger.id,
          orgUnitId: ranger.orgUnitId,
          startedAt,
          openedBy: 'ranger',
          note: input?.note ?? null,
        });
        const patrol = (await patrolsRepo.findById(ctx.tx, id)) as PatrolRow;
        ctx.audit({ action: 'patrol.start', entity: 'patrol', entityId: id, orgUnitId: patrol.orgUnitId, after: presentPatrol(patrol) });
        ctx.emit(event('patrol.started', patrol));
        return detail(ctx.tx, patrol);
      });
    },

    /**
     * Ends a patrol and stores its track, length and duration: the ranger's own (patrols:self), or
     * any patrol in scope (patrols:write). 404 for a patrol the actor may not end, 409 when ended.
     */
    async end(actor: Actor, id: string, input: { at?: Date; note?: string } | null | undefined): Promise<PatrolDetail> {
      const mayWrite = can(actor, 'patrols:write');
      const maySelf = can(actor, 'patrols:self');
      if (!mayWrite && !maySelf) throw forbidden('patrols:write');
      const endedAt = deviceTime(input?.at, 'body.at');
      return runChange(actor, async (ctx) => {
        let patrol = mayWrite ? await patrolsRepo.findInScope(ctx.tx, actor, id) : null;
        if (!patrol && maySelf) {
          const ranger = await patrolsRepo.rangerOfUser(ctx.tx, actor.userId);
          if (ranger) patrol = await patrolsRepo.findOwn(ctx.tx, ranger.id, id);
        }
        if (!patrol) throw notFound('Patrol');
        await patrolsRepo.lockRangers(ctx.tx, [patrol.rangerId]);
        patrol = (await patrolsRepo.findById(ctx.tx, id)) as PatrolRow; // read again under the lock
        if (!patrol.active) throw conflict('The patrol has already ended', { endedAt: patrol.endedAt });
        if (endedAt < patrol.startedAt) {
          throw validationFailed([{ path: 'body.at', message: `the patrol started later, at ${patrol.startedAt.toISOString()}` }]);
        }
        const [ended] = await endPatrols(ctx, [{ id, endedAt, note: input?.note }], 'patrol.end');
        return detail(ctx.tx, ended);
      });
    },

    /** The ranger's active patrol with its track so far, or null. */
    async current(actor: Actor): Promise<{ patrol: PatrolDetail | null }> {
      const ranger = await ownRanger(actor);
      const active = await patrolsRepo.activeOf(db, ranger.id);
      return { patrol: active ? await detail(db, active) : null };
    },

    /** One page of patrols in the actor's subtree, newest first. */
    async list(actor: Actor, filter: PatrolFilter, page: PageRequest) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const { items, total } = await patrolsRepo.list(db, actor, { ...filter, subtreePath }, pageWindow(page));
      return { items: items.map(presentPatrol), total };
    },

    /** One patrol with its track and check-ins; 404 outside the actor's subtree. */
    async get(actor: Actor, id: string): Promise<PatrolDetail> {
      const patrol = found(await patrolsRepo.findInScope(db, actor, id), 'Patrol');
      return detail(db, patrol);
    },

    /**
     * For the ingest pipeline: opens an automatic patrol (opened_by 'movement') at `at` for each
     * of these rangers that has no active patrol, as the system actor with one audit row each.
     * Answers the patrols opened.
     */
    async openByMovement(rangerIds: string[], at: Date): Promise<Patrol[]> {
      const unique = [...new Set(rangerIds)];
      if (unique.length === 0) return [];
      const opened = await changeUnlessNothing(await systemOf(), async (ctx) => {
        await patrolsRepo.lockRangers(ctx.tx, unique);
        const ids = await patrolsRepo.openForRangers(ctx.tx, unique, at, 'movement');
        const rows: PatrolRow[] = [];
        for (const id of ids) {
          const patrol = (await patrolsRepo.findById(ctx.tx, id)) as PatrolRow;
          ctx.audit({
            action: 'patrol.open_by_movement',
            entity: 'patrol',
            entityId: id,
            orgUnitId: patrol.orgUnitId,
            after: presentPatrol(patrol),
          });
          ctx.emit(event('patrol.started', patrol));
          rows.push(patrol);
        }
        return rows;
      });
      return opened.map(presentPatrol);
    },

    /**
     * For the analyzer timer: ends every active patrol whose ranger has not been heard of for
     * `idleMinutes` (no fix received by any of the ranger's devices), at the ranger's last fix
     * in the patrol, storing its track; as the system actor with one audit row each.
     */
    async closeIdle(idleMinutes: number, at: Date): Promise<Patrol[]> {
      if (!(idleMinutes > 0)) throw new Error('idleMinutes must be positive');
      const idleBefore = new Date(at.getTime() - idleMinutes * 60_000);
      const closed = await changeUnlessNothing(await systemOf(), async (ctx) => {
        const idle = await patrolsRepo.idleActive(ctx.tx, idleBefore, at);
        return endPatrols(ctx, idle, 'patrol.close_idle');
      });
      return closed.map(presentPatrol);
    },
  };
}
export type PatrolsService = ReturnType<typeof createPatrolsService>;
