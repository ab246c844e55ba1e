import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, rangerOwned, type Scope } from '../../platform/scope.js';
import { type TrackRules, trackFixes } from '../positions/track.js';
import { rangers } from '../rangers/rangers.tables.js';
import { selectCheckins } from './checkins.repo.js';
import type { Checkin, Patrol, PatrolFilter, PatrolOpener } from './patrols.schema.js';
import { checkins, patrols } from './patrols.tables.js';

/** A patrol of the scope: its unit (the ranger's area at the start) is in it, or its ranger is. */
const patrolOfScope = (scope: Scope): SQL => rangerOwned(scope, patrols.orgUnitId, patrols.rangerId);

const patrolColumns = {
  id: patrols.id,
  rangerId: patrols.rangerId,
  rangerName: rangers.name,
  orgUnitId: patrols.orgUnitId,
  orgUnitName: orgUnits.name,
  orgPath: orgUnits.path,
  startedAt: patrols.startedAt,
  endedAt: patrols.endedAt,
  openedBy: sql<PatrolOpener>`${patrols.openedBy}`,
  active: sql<boolean>`${patrols.endedAt} IS NULL`,
  distanceM: patrols.distanceM,
  // An active patrol's duration so far; its distance needs the fixes (the patrol's own view computes it).
  durationS: sql<number | null>`COALESCE(${patrols.durationS}, round(extract(epoch FROM now() - ${patrols.startedAt}))::int)`,
  note: patrols.note,
};
/** A patrol as the repo reads it: the API's fields plus the unit's path, which live events need. */
export type PatrolRow = Patrol & { orgPath: string };

/** The fixes of a ranger's track between two times (one source at a time, no impossible jumps: see positions/track.ts). */
const rangerTrack = (rangerId: SQL | string, from: SQL | Date, to: SQL | Date, rules: TrackRules) =>
  trackFixes(sql`x.ranger_id = ${rangerId} AND x.fix_time >= ${from} AND x.fix_time <= ${to}`, rules);

/** A line through a track's fixes in time order (none below two fixes), and the metres it counts. */
const lineOf = (f: string) =>
  sql.raw(
    `CASE WHEN count(${f}.fix_time) >= 2 THEN ST_MakeLine(ST_SetSRID(ST_MakePoint(${f}.lon, ${f}.lat), 4326) ORDER BY ${f}.fix_time) END`,
  );

export function createPatrolsRepo() {
  const selectPatrols = (tx: Tx) =>
    tx
      .select(patrolColumns)
      .from(patrols)
      .innerJoin(rangers, eq(rangers.id, patrols.rangerId))
      .innerJoin(orgUnits, eq(orgUnits.id, patrols.orgUnitId));

  function where(actor: Actor, filter: PatrolFilter & { subtreePath?: string }): SQL {
    const conditions: SQL[] = [patrolOfScope(narrowed(actor, filter.subtreePath))];
    if (filter.rangerId) conditions.push(eq(patrols.rangerId, filter.rangerId));
    if (filter.from) conditions.push(gte(patrols.startedAt, filter.from));
    if (filter.to) conditions.push(lt(patrols.startedAt, filter.to));
    if (filter.state === 'active') conditions.push(isNull(patrols.endedAt));
    if (filter.state === 'ended') conditions.push(isNotNull(patrols.endedAt));
    return and(...conditions) as SQL;
  }

  return {
    /** The ranger linked to a user account (the ranger acting on their own patrols), or null. */
    async rangerOfUser(tx: Tx, userId: string) {
      const [row] = await tx
        .select({ id: rangers.id, name: rangers.name, orgUnitId: rangers.orgUnitId, orgPath: orgUnits.path })
        .from(rangers)
        .innerJoin(orgUnits, eq(orgUnits.id, rangers.orgUnitId))
        .where(and(eq(rangers.userId, userId), isNull(rangers.deletedAt)))
        .limit(1);
      return row ?? null;
    },

    /** Locks the rangers' rows for the transaction, so two starts for one ranger cannot both see "no active patrol". */
    async lockRangers(tx: Tx, rangerIds: string[]) {
      if (rangerIds.length === 0) return;
      await tx.select({ id: rangers.id }).from(rangers).where(inArray(rangers.id, rangerIds)).for('update');
    },

    async list(tx: Tx, actor: Actor, filter: PatrolFilter & { subtreePath?: string }, page: { limit: number; offset: number }) {
      const condition = where(actor, filter);
      const [items, [{ total }]] = await Promise.all([
        selectPatrols(tx).where(condition).orderBy(desc(patrols.startedAt), desc(patrols.id)).limit(page.limit).offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(patrols).where(condition),
      ]);
      return { items: items as PatrolRow[], total };
    },

    /** A patrol in the actor's scope, or null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectPatrols(tx).where(and(eq(patrols.id, id), patrolOfScope(actor)));
      return (row as PatrolRow | undefined) ?? null;
    },

    /** A patrol of this ranger (the ranger's own), or null. */
    async findOwn(tx: Tx, rangerId: string, id: string) {
      const [row] = await selectPatrols(tx).where(and(eq(patrols.id, id), eq(patrols.rangerId, rangerId)));
      return (row as PatrolRow | undefined) ?? null;
    },

    async findById(tx: Tx, id: string) {
      const [row] = await selectPatrols(tx).where(eq(patrols.id, id));
      return (row as PatrolRow | undefined) ?? null;
    },

    /** The ranger's active patrol, or null. */
    async activeOf(tx: Tx, rangerId: string) {
      const [row] = await selectPatrols(tx)
        .where(and(eq(patrols.rangerId, rangerId), isNull(patrols.endedAt)))
        .orderBy(desc(patrols.startedAt))
        .limit(1);
      return (row as PatrolRow | undefined) ?? null;
    },

    /** When the ranger's latest ended patrol ended (a new one may not start before it). */
    async lastEndOf(tx: Tx, rangerId: string): Promise<Date | null> {
      const [row] = await tx
        .select({ endedAt: sql<Date | null>`max(${patrols.endedAt})`.mapWith((v) => (v ? new Date(v) : null)) })
        .from(patrols)
        .where(eq(patrols.rangerId, rangerId));
      return row?.endedAt ?? null;
    },

    async insert(tx: Tx, patrol: { rangerId: string; orgUnitId: number; startedAt: Date; openedBy: PatrolOpener; note?: string | null }) {
      const [row] = await tx.insert(patrols).values(patrol).returning({ id: patrols.id });
      return row.id;
    },

    /**
     * Opens a patrol at `at` for each of these rangers that has none active and has not patrolled
     * past `at` already; one statement for any number of rangers. Answers the ids opened.
     */
    async openForRangers(tx: Tx, rangerIds: string[], at: Date, openedBy: PatrolOpener) {
      if (rangerIds.length === 0) return [];
      const result = await tx.execute<{ id: string }>(sql`
        INSERT INTO patrols (ranger_id, org_unit_id, started_at, opened_by)
        SELECT r.id, r.org_unit_id, ${at}, ${openedBy}
        FROM rangers r
        WHERE r.id IN (SELECT value::uuid FROM json_array_elements_text(${JSON.stringify(rangerIds)}::json)) AND r.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM patrols p WHERE p.ranger_id = r.id AND (p.ended_at IS NULL OR p.ended_at > ${at}))
        RETURNING id`);
      return result.rows.map((r) => r.id);
    },

    /**
     * Ends patrols at the given times and stores each track: the ranger's track between start and
     * end (positions/track.ts), the metres it counts, and the duration. A patrol that
     * has already ended is left alone; answers the ids ended.
     */
    async end(tx: Tx, items: { id: string; endedAt: Date; note?: string | null }[], rules: TrackRules) {
      if (items.length === 0) return [];
      const json = JSON.stringify(items.map((i) => ({ id: i.id, ended_at: i.endedAt.toISOString(), note: i.note ?? null })));
      const result = await tx.execute<{ id: string }>(sql`
        WITH ending AS (
          SELECT p.id, p.ranger_id, p.started_at, i.ended_at, i.note
          FROM json_to_recordset(${json}::json) AS i(id uuid, ended_at timestamptz, note text)
          JOIN patrols p ON p.id = i.id AND p.ended_at IS NULL
        ),
        tracks AS (
          SELECT e.id, ${lineOf('f')} AS track, COALESCE(sum(f.step_m), 0) AS metres
          FROM ending e
          LEFT JOIN LATERAL (${rangerTrack(sql`e.ranger_id`, sql`e.started_at`, sql`e.ended_at`, rules)}) f ON true
          GROUP BY e.id
        )
        UPDATE patrols p SET
          ended_at = e.ended_at,
          track = t.track,
          distance_m = t.metres,
          duration_s = round(extract(epoch FROM e.ended_at - e.started_at))::int,
          note = COALESCE(e.note, p.note)
        FROM ending e JOIN tracks t ON t.id = e.id
        WHERE p.id = e.id AND p.ended_at IS NULL
        RETURNING p.id`);
      return result.rows.map((r) => r.id);
    },

    /**
     * Active patrols whose ranger was last heard of before `idleBefore` (the latest receipt of
     * any of the ranger's devices, or the latest fix, or else the start), each with the time it
     * ends: the ranger's last fix in the patrol, or its start when there was none.
     */
    async idleActive(tx: Tx, idleBefore: Date, now: Date) {
      const result = await tx.execute<{ id: string; ended_at: Date }>(sql`
        SELECT p.id, GREATEST(p.started_at, last_fix.fix_time) AS ended_at
        FROM patrols p
        LEFT JOIN LATERAL (
          SELECT max(d.server_time) AS server_time FROM device_states d WHERE d.ranger_id = p.ranger_id
        ) heard ON true
        LEFT JOIN LATERAL (
          SELECT x.fix_time FROM positions x
          WHERE x.ranger_id = p.ranger_id AND x.fix_time >= p.started_at AND x.fix_time <= ${now}
          ORDER BY x.fix_time DESC LIMIT 1
        ) last_fix ON true
        WHERE p.ended_at IS NULL
          AND GREATEST(p.started_at, heard.server_time, last_fix.fix_time) < ${idleBefore}`);
      return result.rows.map((r) => ({ id: r.id, endedAt: new Date(r.ended_at) }));
    },

    /** The stored track of an ended patrol as GeoJSON, or null. */
    async storedTrack(tx: Tx, id: string) {
      const result = await tx.execute<{ track: string | null }>(sql`SELECT ST_AsGeoJSON(track, 7) AS track FROM patrols WHERE id = ${id}`);
      const track = result.rows[0]?.track;
      return track ? (JSON.parse(track) as { type: 'LineString'; coordinates: [number, number][] }) : null;
    },

    /** The track of a ranger between two times, computed from the fixes (an active patrol's track so far). */
    async trackBetween(tx: Tx, rangerId: string, from: Date, to: Date, rules: TrackRules) {
      const result = await tx.execute<{ track: string | null; distance_m: number | null }>(sql`
        SELECT ST_AsGeoJSON(${lineOf('f')}, 7) AS track, COALESCE(sum(f.step_m), 0) AS distance_m
        FROM (${rangerTrack(rangerId, from, to, rules)}) f`);
      const row = result.rows[0];
      return {
        track: row?.track ? (JSON.parse(row.track) as { type: 'LineString'; coordinates: [number, number][] }) : null,
        distanceM: Number(row?.distance_m ?? 0),
      };
    },

    /** The check-ins of a patrol in time order. */
    async checkinsOf(tx: Tx, patrolId: string) {
      return (await selectCheckins(tx, eq(checkins.patrolId, patrolId)).orderBy(checkins.at)) as Checkin[];
    },
  };
}
export type PatrolsRepo = ReturnType<typeof createPatrolsRepo>;
