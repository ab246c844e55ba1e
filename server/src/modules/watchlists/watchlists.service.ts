/**
 * Watchlists (布控, notice clause 九): plates and patterns a county or the city watches for a
 * reason and a period, approved by the level above; a capture that hits an active entry stores a
 * hit, raises a `watchlist_hit` alert to the owner and the duty officer and opens an incident
 * (source `watchlist`). Hits are found in memory (`WatchlistMatcher`), reloaded on every change.
 */
import type { Db } from '../../db/connection.js';
import { type Actor, can } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { AppError, assertVersion, conflict, found, validationFailed } from '../../platform/errors.js';
import type { EventBus } from '../../platform/events.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { pathInScope } from '../../platform/scope.js';
import type { AlertCandidate } from '../alerts/alerts.schema.js';
import type { AlertsService } from '../alerts/alerts.service.js';
import type { IncidentOpener } from '../incidents/incident-sources.js';
import { watchlistEvent } from './watchlists.events.js';
import { type ActiveEntry, WatchlistMatcher } from './watchlists.matcher.js';
import type { NewHit, WatchlistRow, WatchlistsRepo } from './watchlists.repo.js';
import {
  type CreateWatchlistInput,
  type HitFilter,
  type Passage,
  type Watchlist,
  type WatchlistFilter,
  type WatchlistState,
  watchlistRuleProblems,
} from './watchlists.schema.js';

type Deps = {
  db: Db;
  watchlistsRepo: WatchlistsRepo;
  orgRepo: Pick<OrgRepo, 'findInScope'>;
  runChange: RunChange;
  events: Pick<EventBus, 'subscribe'>;
  alertsService: Pick<AlertsService, 'raiseIn'>;
  incidents: Pick<IncidentOpener, 'openIn'>;
  now?: () => Date;
};

const STALE = 'The watchlist was changed by someone else; reload it';
/** The incident a hit opens: a vehicle under watch passed a checkpoint (public order, urgent). */
const HIT_INCIDENT = { category: 'public_order', priority: 2 } as const;

/** The id of the unit at the root of a scope path (`/1/3/` → 3). */
const rootIdOf = (path: string) => Number(path.split('/').filter(Boolean).at(-1));

/**
 * Whether an actor may approve or reject a watchlist: the level above its unit (the actor's scope
 * holds the unit and is wider than it), or, for a watchlist of the top of the tree, which has no
 * level above, another officer of it than its owner.
 */
export function mayDecide(actor: Pick<Actor, 'orgPath' | 'userId' | 'permissions'>, w: Pick<WatchlistRow, 'orgPath' | 'ownerId'>): boolean {
  if (!can(actor, 'watchlists:approve')) return false;
  if (!pathInScope(actor, w.orgPath)) return false;
  if (actor.orgPath !== w.orgPath) return true;
  return w.orgPath.split('/').filter(Boolean).length === 1 && actor.userId !== w.ownerId;
}

const present = ({ orgPath: _p, ownerId: _o, ...w }: WatchlistRow): Watchlist => w;

export function createWatchlistsService({
  db,
  watchlistsRepo,
  orgRepo,
  runChange,
  events,
  alertsService,
  incidents,
  now = () => new Date(),
}: Deps) {
  const matcher = new WatchlistMatcher();
  let loaded: Promise<void> | null = null;
  let reloading: Promise<void> = Promise.resolve();

  /** Rebuilds the matcher from the database; reloads queue behind each other so the last one wins. */
  function reload(): Promise<void> {
    reloading = reloading.then(
      async () => matcher.load(await watchlistsRepo.activeEntries(db)),
      async () => matcher.load(await watchlistsRepo.activeEntries(db)),
    );
    loaded = reloading;
    return reloading;
  }
  // Any instance's change (this one's, or another's through the event bridge) rebuilds the matcher.
  events.subscribe((event) => {
    if (event.type === 'watchlist.changed') void reload().catch(() => {});
  });

  async function mustFind(actor: Actor, id: string) {
    return found(await watchlistsRepo.findInScope(db, actor, id), 'Watchlist');
  }

  /** The unit a new watchlist belongs to: the county or city named, in scope; else the root of the actor's scope. */
  async function ownerUnit(actor: Actor, orgUnitId: number | undefined) {
    const unit = await orgRepo.findInScope(db, actor, orgUnitId ?? rootIdOf(actor.orgPath));
    if (!unit) throw validationFailed([{ path: 'body.orgUnitId', message: 'no such org unit in your area' }]);
    if (unit.kind !== 'county' && unit.kind !== 'city')
      throw validationFailed([{ path: 'body.orgUnitId', message: 'a watchlist belongs to a county or to the city' }]);
    return unit;
  }

  async function move(actor: Actor, id: string, to: WatchlistState, from: WatchlistState[], note: string | undefined, version?: number) {
    const before = await mustFind(actor, id);
    // A county sees the city-wide watchlists given to it, but changes only its own.
    if (!pathInScope(actor, before.orgPath))
      throw new AppError(403, 'forbidden', 'The watchlist belongs to another unit', [{ path: 'id', message: 'not yours to change' }]);
    assertVersion(STALE, before, version);
    if (!from.includes(before.state as WatchlistState)) throw conflict(`The watchlist is ${before.state}; it cannot become ${to}`);
    await runChange(actor, async (ctx) => {
      const moved = await watchlistsRepo.setState(ctx.tx, actor, id, {
        from,
        to,
        version: before.version,
        by: actor.username,
        note: note ?? null,
      });
      if (!moved) throw conflict(STALE, { currentVersion: before.version + 1 });
      ctx.audit({
        action: `watchlist.${to}`,
        entity: 'watchlist',
        entityId: id,
        orgUnitId: before.orgUnitId,
        before: { state: before.state },
        after: { state: to, note },
      });
      ctx.emit(watchlistEvent('watchlist.changed', { orgPath: before.orgPath }, { watchlist: { id, state: to } }));
    });
    await reload();
    return getDetail(actor, id);
  }

  async function getDetail(actor: Actor, id: string) {
    const w = await mustFind(actor, id);
    const entries = await watchlistsRepo.entriesOf(db, id);
    return { ...present(w), entries, mayDecide: w.state === 'pending' && mayDecide(actor, w) };
  }

  /** The hits among passages (by the matcher), with the alert and incident each raises; stored inside the caller's change. */
  async function matchIn(ctx: ChangeContext, passages: Passage[]): Promise<number> {
    // Never wait on the database handle here: the caller's transaction may hold the only connection
    // (the embedded database). The first match loads inside that transaction; later reloads run
    // beside it, and a passage matched meanwhile sees the watchlists as they were a moment ago.
    if (!loaded) {
      matcher.load(await watchlistsRepo.activeEntries(ctx.tx));
      loaded = Promise.resolve();
    }
    const found: { passage: Passage; entry: ActiveEntry }[] = [];
    for (const passage of passages)
      for (const entry of matcher.match(passage.plate, passage.capturedAt, passage.checkpoint.orgPath)) found.push({ passage, entry });
    if (found.length === 0) return 0;
    const candidates: AlertCandidate[] = found.map(({ passage, entry }) => ({
      kind: 'watchlist_hit',
      rangerId: null,
      deviceId: null,
      orgUnitId: entry.orgUnitId,
      orgPath: entry.orgPath,
      countyCode: passage.checkpoint.countyCode,
      fixTime: passage.capturedAt,
      lon: passage.checkpoint.lon,
      lat: passage.checkpoint.lat,
      details: {
        plate: passage.plate,
        plateColor: passage.plateColor,
        vehicleType: passage.vehicleType,
        direction: passage.direction,
        captureId: passage.captureId,
        checkpointId: passage.checkpoint.id,
        checkpointName: passage.checkpoint.name,
        watchlistId: entry.watchlistId,
        watchlistName: entry.watchlistName,
        entryPlate: entry.entryPlate,
        reason: entry.reason,
      },
    }));
    // Watchlist alerts have no ranger, so none is held back as a repeat: one alert per candidate, in order.
    const raised = await alertsService.raiseIn(ctx, candidates);
    const hits: NewHit[] = [];
    for (const [i, { passage, entry }] of found.entries()) {
      const incident = await incidents.openIn(ctx, {
        ...HIT_INCIDENT,
        title: `布控车辆 ${passage.plate} 经过 ${passage.checkpoint.name}`,
        description: `${entry.watchlistName}：${entry.reason}`,
        location: [passage.checkpoint.lon, passage.checkpoint.lat],
        placeText: passage.checkpoint.name,
        source: 'watchlist',
        // The same vehicle of the same watchlist seen again while its incident is open adds to that incident.
        sourceRef: `${entry.watchlistId}:${passage.plate}`,
        reportedAt: passage.capturedAt,
        by: 'analyzer',
      });
      hits.push({
        watchlistId: entry.watchlistId,
        entryId: entry.entryId,
        entryPlate: entry.entryPlate,
        captureId: passage.captureId,
        plate: passage.plate,
        plateColor: passage.plateColor,
        checkpointId: passage.checkpoint.id,
        checkpointName: passage.checkpoint.name,
        orgUnitId: passage.checkpoint.orgUnitId,
        capturedAt: passage.capturedAt,
        alertId: raised[i]?.id ?? null,
        incidentId: incident.id,
      });
    }
    const ids = await watchlistsRepo.insertHits(ctx.tx, hits);
    for (const [i, id] of ids.entries())
      ctx.audit({
        action: 'watchlist.hit',
        entity: 'watchlist_hit',
        entityId: id,
        orgUnitId: hits[i].orgUnitId,
        after: { watchlistId: hits[i].watchlistId, plate: hits[i].plate, captureId: hits[i].captureId, checkpointId: hits[i].checkpointId },
      });
    return hits.length;
  }

  return {
    matchIn,
    /** Rebuilds the in-memory matcher now (start-up; tests). */
    reload,
    /** How many entries the matcher holds. */
    matcherSize: () => matcher.size,

    /** One page of the watchlists the actor sees (their scope's, and city-wide ones given to them). */
    async list(actor: Actor, filter: WatchlistFilter, page: PageRequest) {
      if (filter.awaitingMe === 'true' && !can(actor, 'watchlists:approve')) return { items: [], total: 0 };
      const { items, total } = await watchlistsRepo.list(db, actor, filter, pageWindow(page));
      return { items: items.map(present), total };
    },

    /** A watchlist with its entries, and whether the actor may decide it. */
    get: getDetail,

    /** Files a watchlist (pending until the level above approves it). */
    async create(actor: Actor, input: CreateWatchlistInput) {
      const problems = watchlistRuleProblems(input, now());
      if (problems.length) throw validationFailed(problems);
      const unit = await ownerUnit(actor, input.orgUnitId);
      const sharedWith = [...new Set(input.sharedWith ?? [])];
      if (sharedWith.length && unit.kind !== 'city')
        throw validationFailed([{ path: 'body.sharedWith', message: 'only a city-wide watchlist is given to counties' }]);
      for (const [i, id] of sharedWith.entries()) {
        const county = await orgRepo.findInScope(db, actor, id);
        if (county?.kind !== 'county') throw validationFailed([{ path: `body.sharedWith.${i}`, message: 'no such county in your area' }]);
      }
      const seen = new Set<string>();
      const entries = input.entries.filter((e) => !seen.has(e.plate) && seen.add(e.plate));
      const id = await runChange(actor, async (ctx) => {
        const created = await watchlistsRepo.insert(ctx.tx, {
          name: input.name,
          reason: input.reason,
          orgUnitId: unit.id,
          ownerId: actor.userId,
          ownerUsername: actor.username,
          validFrom: input.validFrom,
          validTo: input.validTo,
          entries,
          sharedWith,
        });
        ctx.audit({
          action: 'watchlist.create',
          entity: 'watchlist',
          entityId: created,
          orgUnitId: unit.id,
          after: { ...input, entries: entries.map((e) => e.plate), sharedWith },
        });
        ctx.emit(watchlistEvent('watchlist.changed', unit, { watchlist: { id: created, state: 'pending' } }));
        return created;
      });
      return getDetail(actor, id);
    },

    /** Approves a pending watchlist (the level above); it is active from its start. */
    async approve(actor: Actor, id: string, note?: string, version?: number) {
      await assertMayDecide(actor, id);
      return move(actor, id, 'approved', ['pending'], note, version);
    },

    /** Rejects a pending watchlist (the level above), with the reason. */
    async reject(actor: Actor, id: string, note?: string, version?: number) {
      await assertMayDecide(actor, id);
      return move(actor, id, 'rejected', ['pending'], note, version);
    },

    /** Withdraws a pending or approved watchlist of the actor's area: it watches nothing any more. */
    revoke: (actor: Actor, id: string, note?: string, version?: number) =>
      move(actor, id, 'revoked', ['pending', 'approved'], note, version),

    /** One page of the hits the actor sees. */
    listHits: (actor: Actor, filter: HitFilter, page: PageRequest) => watchlistsRepo.listHits(db, actor, filter, pageWindow(page)),
  };

  async function assertMayDecide(actor: Actor, id: string) {
    const w = await mustFind(actor, id);
    if (!mayDecide(actor, w))
      throw new AppError(403, 'forbidden', 'A watchlist is approved by the level above the unit it belongs to', [
        { path: 'id', message: 'the level above decides' },
      ]);
  }
}
export type WatchlistsService = ReturnType<typeof createWatchlistsService>;
