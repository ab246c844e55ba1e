import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { users } from '../../platform/auth/auth.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { unitOwned } from '../../platform/scope.js';
import type { ActiveEntry } from './watchlists.matcher.js';
import type { HitFilter, Watchlist, WatchlistFilter, WatchlistHit, WatchlistState } from './watchlists.schema.js';
import { watchlistEntries, watchlistHits, watchlistShares, watchlists } from './watchlists.tables.js';

/** Approved and inside its period now. */
const activeNow = sql<boolean>`(${watchlists.state} = 'approved' AND ${watchlists.validFrom} <= now() AND ${watchlists.validTo} > now())`;

/** A watchlist the actor sees: its unit lies in the actor's scope, or it was given to a unit that does. */
const visible = (actor: Actor): SQL =>
  sql`(${unitOwned(actor, watchlists.orgUnitId)} OR ${watchlists.id} IN (
    SELECT ws.watchlist_id FROM watchlist_shares ws WHERE ${unitOwned(actor, sql.raw('ws.org_unit_id'))}))`;

/**
 * A hit the actor sees: of a watchlist of their scope, or of one given to them when it was seen at
 * a checkpoint of their scope.
 */
const hitVisible = (actor: Actor): SQL =>
  sql`(${unitOwned(actor, watchlists.orgUnitId)} OR (${watchlistHits.watchlistId} IN (
    SELECT ws.watchlist_id FROM watchlist_shares ws WHERE ${unitOwned(actor, sql.raw('ws.org_unit_id'))})
    AND ${unitOwned(actor, watchlistHits.orgUnitId)}))`;

const columns = {
  id: watchlists.id,
  name: watchlists.name,
  reason: watchlists.reason,
  orgUnitId: watchlists.orgUnitId,
  orgUnitName: orgUnits.name,
  orgPath: orgUnits.path,
  level: sql<'city' | 'county'>`CASE WHEN ${orgUnits.kind} = 'county' THEN 'county' ELSE 'city' END`,
  ownerId: watchlists.ownerId,
  ownerUsername: watchlists.ownerUsername,
  ownerName: users.displayName,
  validFrom: watchlists.validFrom,
  validTo: watchlists.validTo,
  state: watchlists.state,
  active: activeNow,
  decidedBy: watchlists.decidedBy,
  decidedAt: watchlists.decidedAt,
  decisionNote: watchlists.decisionNote,
  entryCount: sql<number>`(SELECT count(*)::int FROM watchlist_entries e WHERE e.watchlist_id = ${watchlists.id})`,
  hitCount: sql<number>`(SELECT count(*)::int FROM watchlist_hits h WHERE h.watchlist_id = ${watchlists.id})`,
  sharedWith: sql<
    { id: number; name: string }[]
  >`COALESCE((SELECT json_agg(json_build_object('id', su.id, 'name', su.name) ORDER BY su.code)
    FROM watchlist_shares ws JOIN org_units su ON su.id = ws.org_unit_id WHERE ws.watchlist_id = ${watchlists.id}), '[]'::json)`,
  version: watchlists.version,
  createdAt: watchlists.createdAt,
};
export type WatchlistRow = Watchlist & { orgPath: string; ownerId: string };

const hitColumns = {
  id: watchlistHits.id,
  watchlistId: watchlistHits.watchlistId,
  watchlistName: watchlists.name,
  entryPlate: watchlistHits.entryPlate,
  captureId: watchlistHits.captureId,
  plate: watchlistHits.plate,
  plateColor: watchlistHits.plateColor,
  checkpointId: watchlistHits.checkpointId,
  checkpointName: watchlistHits.checkpointName,
  orgUnitId: watchlistHits.orgUnitId,
  orgUnitName: orgUnits.name,
  capturedAt: watchlistHits.capturedAt,
  alertId: watchlistHits.alertId,
  incidentId: watchlistHits.incidentId,
};

export type NewWatchlist = {
  name: string;
  reason: string;
  orgUnitId: number;
  ownerId: string;
  ownerUsername: string;
  validFrom: Date;
  validTo: Date;
  entries: { plate: string; note?: string }[];
  sharedWith: number[];
};

export type NewHit = Omit<typeof watchlistHits.$inferInsert, 'id' | 'createdAt'>;

export function createWatchlistsRepo() {
  const selectWatchlists = (tx: Tx) =>
    tx
      .select(columns)
      .from(watchlists)
      .innerJoin(orgUnits, eq(orgUnits.id, watchlists.orgUnitId))
      .leftJoin(users, eq(users.id, watchlists.ownerId));

  function where(actor: Actor, filter: WatchlistFilter): SQL | undefined {
    const conditions: SQL[] = [visible(actor)];
    if (filter.state) conditions.push(eq(watchlists.state, filter.state));
    if (filter.active === 'true') conditions.push(activeNow);
    if (filter.active === 'false') conditions.push(sql`NOT ${activeNow}`);
    // Pending ones the actor may decide (the service checks the permission): of a unit below the
    // actor's own, or, at the top of the tree, filed by someone else (see `mayDecide`).
    if (filter.awaitingMe === 'true')
      conditions.push(
        sql`(${watchlists.state} = 'pending' AND ${unitOwned(actor, watchlists.orgUnitId)} AND (${orgUnits.path} <> ${actor.orgPath}
          OR (${orgUnits.parentId} IS NULL AND ${watchlists.ownerId} <> ${actor.userId}::uuid)))`,
      );
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(
        or(
          sql`${watchlists.name} ILIKE ${like}`,
          sql`${watchlists.reason} ILIKE ${like}`,
          sql`${watchlists.id} IN (SELECT e.watchlist_id FROM watchlist_entries e WHERE e.plate ILIKE ${like})`,
        ) as SQL,
      );
    }
    return and(...conditions);
  }

  return {
    /** Creates a watchlist with its entries and shares; answers its id. */
    async insert(tx: Tx, w: NewWatchlist): Promise<string> {
      const [row] = await tx
        .insert(watchlists)
        .values({
          name: w.name,
          reason: w.reason,
          orgUnitId: w.orgUnitId,
          ownerId: w.ownerId,
          ownerUsername: w.ownerUsername,
          validFrom: w.validFrom,
          validTo: w.validTo,
        })
        .returning({ id: watchlists.id });
      await tx.insert(watchlistEntries).values(w.entries.map((e) => ({ watchlistId: row.id, plate: e.plate, note: e.note ?? null })));
      if (w.sharedWith.length)
        await tx.insert(watchlistShares).values(w.sharedWith.map((orgUnitId) => ({ watchlistId: row.id, orgUnitId })));
      return row.id;
    },

    /** One page of the watchlists the actor sees, newest first. */
    async list(tx: Tx, actor: Actor, filter: WatchlistFilter, window: { limit: number; offset: number }) {
      const condition = where(actor, filter);
      const [items, [{ total }]] = await Promise.all([
        selectWatchlists(tx).where(condition).orderBy(desc(watchlists.createdAt)).limit(window.limit).offset(window.offset),
        tx
          .select({ total: sql<number>`count(*)::int` })
          .from(watchlists)
          .innerJoin(orgUnits, eq(orgUnits.id, watchlists.orgUnitId))
          .where(condition),
      ]);
      return { items: items as WatchlistRow[], total };
    },

    /** A watchlist the actor sees, or null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectWatchlists(tx).where(and(eq(watchlists.id, id), visible(actor)));
      return (row as WatchlistRow | undefined) ?? null;
    },

    entriesOf: (tx: Tx, watchlistId: string) =>
      tx
        .select({ id: watchlistEntries.id, plate: watchlistEntries.plate, note: watchlistEntries.note })
        .from(watchlistEntries)
        .where(eq(watchlistEntries.watchlistId, watchlistId))
        .orderBy(watchlistEntries.plate),

    /**
     * Moves a watchlist of the actor's scope from one state to another (approve, reject, revoke)
     * if it is still in `from` at `version`; answers whether it moved.
     */
    async setState(
      tx: Tx,
      actor: Actor,
      id: string,
      move: { from: WatchlistState[]; to: WatchlistState; version: number; by: string; note: string | null },
    ): Promise<boolean> {
      const rows = await tx
        .update(watchlists)
        .set({
          state: move.to,
          decidedBy: move.by,
          decidedAt: new Date(),
          decisionNote: move.note,
          version: sql`${watchlists.version} + 1`,
          updatedAt: new Date(),
        })
        .where(
          and(
            eq(watchlists.id, id),
            eq(watchlists.version, move.version),
            inArray(watchlists.state, move.from),
            unitOwned(actor, watchlists.orgUnitId),
          ),
        )
        .returning({ id: watchlists.id });
      return rows.length > 0;
    },

    /** Every entry of an approved watchlist that has not ended, for the matcher (SafeForest's own read, no actor). */
    async activeEntries(tx: Tx): Promise<ActiveEntry[]> {
      const rows = await tx
        .select({
          entryId: watchlistEntries.id,
          entryPlate: watchlistEntries.plate,
          watchlistId: watchlists.id,
          watchlistName: watchlists.name,
          reason: watchlists.reason,
          orgUnitId: watchlists.orgUnitId,
          orgPath: orgUnits.path,
          validFrom: watchlists.validFrom,
          validTo: watchlists.validTo,
        })
        .from(watchlistEntries)
        .innerJoin(watchlists, eq(watchlists.id, watchlistEntries.watchlistId))
        .innerJoin(orgUnits, eq(orgUnits.id, watchlists.orgUnitId))
        .where(and(eq(watchlists.state, 'approved'), sql`${watchlists.validTo} > now()`));
      return rows;
    },

    /** Stores hits; answers their ids in order. */
    async insertHits(tx: Tx, hits: NewHit[]) {
      if (hits.length === 0) return [];
      const rows = await tx.insert(watchlistHits).values(hits).returning({ id: watchlistHits.id });
      return rows.map((r) => r.id);
    },

    /** One page of the hits the actor sees, newest first. */
    async listHits(tx: Tx, actor: Actor, filter: HitFilter, window: { limit: number; offset: number }) {
      const conditions: SQL[] = [hitVisible(actor)];
      if (filter.watchlistId) conditions.push(eq(watchlistHits.watchlistId, filter.watchlistId));
      if (filter.from) conditions.push(gte(watchlistHits.capturedAt, filter.from));
      if (filter.to) conditions.push(lt(watchlistHits.capturedAt, filter.to));
      if (filter.plate) {
        const open = filter.plate.endsWith('*');
        const body = (open ? filter.plate.slice(0, -1) : filter.plate).replace(/\?/g, '_');
        conditions.push(
          open || body.includes('_') ? sql`${watchlistHits.plate} LIKE ${open ? `${body}%` : body}` : eq(watchlistHits.plate, body),
        );
      }
      const condition = and(...conditions);
      const from = (tx2: Tx) =>
        tx2
          .select(hitColumns)
          .from(watchlistHits)
          .innerJoin(watchlists, eq(watchlists.id, watchlistHits.watchlistId))
          .innerJoin(orgUnits, eq(orgUnits.id, watchlistHits.orgUnitId));
      const [items, [{ total }]] = await Promise.all([
        from(tx).where(condition).orderBy(desc(watchlistHits.capturedAt)).limit(window.limit).offset(window.offset),
        tx
          .select({ total: sql<number>`count(*)::int` })
          .from(watchlistHits)
          .innerJoin(watchlists, eq(watchlists.id, watchlistHits.watchlistId))
          .where(condition),
      ]);
      return { items: items as WatchlistHit[], total };
    },
  };
}
export type WatchlistsRepo = ReturnType<typeof createWatchlistsRepo>;
