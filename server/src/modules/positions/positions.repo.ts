import { and, asc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { type PlainValue, plainArray } from '../../db/array-literal.js';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { rangerInScope, rangerOwned } from '../../platform/scope.js';
import type { PositionFix } from './position-fix.js';
import { DEVICE_STATE_POINT, deviceStates, positions } from './positions.tables.js';
import { type TrackRules, trackFixes } from './track.js';

/** A fix ready to store: what the device measured, matched to its device and ranger, and located in the org tree. */
export type PositionRow = Pick<
  PositionFix,
  'fixTime' | 'lon' | 'lat' | 'accuracy' | 'altitude' | 'speed' | 'course' | 'battery' | 'valid' | 'alarm'
> & {
  deviceId: string;
  rangerId: string | null;
  countyCode: string | null;
  townshipId: number | null;
  gridId: number | null;
  inAssignedArea: boolean | null;
  outsideTerritory: boolean;
  attributes: Record<string, unknown> | null;
};

/** Which rows of a batch were new: all of them (the usual case), or those with these `deviceId|fixTime ms` keys. */
export type Inserted = { all: true } | { all: false; keys: Set<string> };

const column = <K extends keyof PositionRow>(rows: PositionRow[], key: K) => rows.map((r) => r[key]);

const plain = <K extends keyof PositionRow>(rows: PositionRow[], key: K) => plainArray(rows, (r) => r[key] as PlainValue);

export function createPositionsRepo() {
  return {
    /**
     * Stores a batch in one statement; rows already stored (same device and fix time) are skipped.
     * Answers which rows were new. Usually all are, and the statement returns only their count:
     * returning every key costs the server a third more per row and the main thread a parse of
     * each. When some were skipped, a second query reads back the keys this transaction inserted.
     */
    async insertBatch(tx: Tx, rows: PositionRow[]): Promise<Inserted> {
      if (rows.length === 0) return { all: true };
      const result = await tx.execute<{ n: number }>(sql`
        WITH inserted AS (
          INSERT INTO positions (device_id, fix_time, ranger_id, county_code, township_id, grid_id, in_assigned_area,
                                 outside_territory, lon, lat, accuracy, altitude, speed, course, battery, valid, alarm, attributes)
          SELECT * FROM unnest(
            ${plain(rows, 'deviceId')}::uuid[], ${plain(rows, 'fixTime')}::timestamptz[],
            ${plain(rows, 'rangerId')}::uuid[], ${sql.param(column(rows, 'countyCode'))}::text[],
            ${plain(rows, 'townshipId')}::int[], ${plain(rows, 'gridId')}::int[],
            ${plain(rows, 'inAssignedArea')}::bool[], ${plain(rows, 'outsideTerritory')}::bool[],
            ${plain(rows, 'lon')}::float8[], ${plain(rows, 'lat')}::float8[],
            ${plain(rows, 'accuracy')}::real[], ${plain(rows, 'altitude')}::real[],
            ${plain(rows, 'speed')}::real[], ${plain(rows, 'course')}::real[],
            ${plain(rows, 'battery')}::real[], ${plain(rows, 'valid')}::bool[],
            ${sql.param(column(rows, 'alarm'))}::text[], ${sql.param(rows.map((r) => (r.attributes ? JSON.stringify(r.attributes) : null)))}::jsonb[])
          ON CONFLICT DO NOTHING
          RETURNING 1)
        SELECT count(*)::int AS n FROM inserted`);
      if (result.rows[0].n === rows.length) return { all: true };
      // Some were already stored (or repeated within the batch): the rows of these keys that this
      // transaction wrote are the new ones (xmin is the writing transaction's 32-bit id).
      const mine = await tx.execute<{ device_id: string; ms: string }>(sql`
        SELECT p.device_id, (extract(epoch FROM p.fix_time) * 1000)::bigint AS ms
        FROM positions p
        JOIN unnest(${plain(rows, 'deviceId')}::uuid[], ${plain(rows, 'fixTime')}::timestamptz[]) AS k(d, t)
          ON p.device_id = k.d AND p.fix_time = k.t
        WHERE p.xmin::text::bigint = pg_current_xact_id()::text::bigint % 4294967296`);
      return { all: false, keys: new Set(mine.rows.map((r) => `${r.device_id}|${r.ms}`)) };
    },

    /**
     * Moves each device's live state to its newest fix — never backwards: a late fix is stored but
     * leaves the live position alone. A move farther than `radiusM` from the last anchor counts as
     * movement (resets the immobility clock).
     */
    async advanceStates(tx: Tx, latest: PositionRow[], radiusM: number) {
      if (latest.length === 0) return [];
      const result = await tx.execute<{ device_id: string; moved: boolean }>(sql`
        INSERT INTO device_states AS s (device_id, ranger_id, fix_time, server_time, lon, lat, speed, course, battery, county_code,
                                        grid_id, in_assigned_area, anchor_lon, anchor_lat, moved_at)
        SELECT d, r, t, now(), x, y, sp, c, b, cc, g, ia, x, y, t FROM unnest(
          ${plain(latest, 'deviceId')}::uuid[], ${plain(latest, 'rangerId')}::uuid[],
          ${plain(latest, 'fixTime')}::timestamptz[],
          ${plain(latest, 'lon')}::float8[], ${plain(latest, 'lat')}::float8[],
          ${plain(latest, 'speed')}::real[], ${plain(latest, 'course')}::real[],
          ${plain(latest, 'battery')}::real[], ${sql.param(column(latest, 'countyCode'))}::text[],
          ${plain(latest, 'gridId')}::int[], ${plain(latest, 'inAssignedArea')}::bool[])
          AS u(d, r, t, x, y, sp, c, b, cc, g, ia)
        ON CONFLICT (device_id) DO UPDATE SET
          ranger_id = excluded.ranger_id, fix_time = excluded.fix_time, server_time = excluded.server_time,
          lon = excluded.lon, lat = excluded.lat, speed = excluded.speed, course = excluded.course,
          battery = excluded.battery, county_code = excluded.county_code, grid_id = excluded.grid_id,
          in_assigned_area = excluded.in_assigned_area,
          anchor_lon = CASE WHEN ${distanceFromAnchor} > ${radiusM} THEN excluded.lon ELSE s.anchor_lon END,
          anchor_lat = CASE WHEN ${distanceFromAnchor} > ${radiusM} THEN excluded.lat ELSE s.anchor_lat END,
          moved_at = CASE WHEN ${distanceFromAnchor} > ${radiusM} THEN excluded.fix_time ELSE s.moved_at END
        WHERE excluded.fix_time > s.fix_time
        -- moved: beyond the radius since the last anchor. A device's first state (an insert, xmax 0) is no movement.
        RETURNING device_id, (xmax <> 0 AND moved_at = fix_time) AS moved`);
      return result.rows;
    },

    /** Fixes of one device in a time range, oldest first. */
    history: (tx: Tx, deviceId: string, from: Date, to: Date, limit: number) =>
      tx
        .select()
        .from(positions)
        .where(and(eq(positions.deviceId, deviceId), gte(positions.fixTime, from), lte(positions.fixTime, to)))
        .orderBy(asc(positions.fixTime))
        .limit(limit),

    /**
     * The live state of every device of the actor's scope: its ranger's unit (or, unbound, the
     * device's own) is in it, or its ranger is commanded from it; with what the map colours by.
     */
    async live(tx: Tx, actor: Actor, silentMinutes: number, bbox?: [number, number, number, number]) {
      const conditions: SQL[] = [rangerOwned(actor, sql`COALESCE(r.org_unit_id, d.org_unit_id)`, sql`s.ranger_id`)];
      if (bbox) conditions.push(sql`s.lon BETWEEN ${bbox[0]} AND ${bbox[2]} AND s.lat BETWEEN ${bbox[1]} AND ${bbox[3]}`);
      const result = await tx.execute<LiveRow>(sql`
        SELECT s.device_id AS "deviceId", d.unique_id AS "uniqueId", s.ranger_id AS "rangerId", r.name AS "rangerName",
               COALESCE(r.org_unit_id, d.org_unit_id) AS "orgUnitId", s.fix_time AS "fixTime", s.server_time AS "serverTime",
               s.lon, s.lat, s.speed, s.course, s.battery, s.county_code AS "countyCode", s.grid_id AS "gridId",
               s.in_assigned_area AS "inAssignedArea",
               CASE WHEN EXISTS (SELECT 1 FROM alerts a WHERE a.device_id = s.device_id AND a.kind = 'sos' AND a.state <> 'resolved') THEN 'sos'
                    WHEN s.server_time < now() - make_interval(mins => ${silentMinutes}) THEN 'silent'
                    WHEN EXISTS (SELECT 1 FROM patrols p WHERE p.ranger_id = s.ranger_id AND p.ended_at IS NULL) THEN 'patrolling'
                    ELSE 'idle' END AS state
        FROM device_states s
        JOIN devices d ON d.id = s.device_id AND d.deleted_at IS NULL
        LEFT JOIN rangers r ON r.id = s.ranger_id
        WHERE ${and(...conditions)}
        ORDER BY s.device_id`);
      return result.rows.map((r) => ({ ...r, fixTime: new Date(r.fixTime), serverTime: new Date(r.serverTime) }));
    },

    /**
     * The rangers of the actor's scope nearest to a point by their live position (`nearest`), and
     * the nearest of those on an active patrol now (`onDuty`): active rangers whose device was heard
     * within `onlineMinutes`, nearest device first (a ranger with two devices counts once, by the
     * nearer). Nearest-neighbour search on the live states' KNN index (`device_states_point_gist`):
     * `ORDER BY point <-> $p LIMIT n` walks the index from the point outwards and stops after n
     * matches, never reading all live states. Both scans go in one statement, since the embedded
     * database runs one statement at a time. Distances are metres on the sphere.
     */
    async nearestOnline(
      tx: Tx,
      actor: Actor,
      at: readonly [number, number],
      options: { limit: number; onlineMinutes: number },
    ): Promise<{ nearest: NearRanger[]; onDuty: NearRanger[] }> {
      const point = sql`ST_SetSRID(ST_MakePoint(${at[0]}, ${at[1]}), 4326)::geography`;
      const here = sql.raw(DEVICE_STATE_POINT.replace('(lon, lat)', '(s.lon, s.lat)'));
      const onDuty = sql`EXISTS (SELECT 1 FROM patrols p WHERE p.ranger_id = s.ranger_id AND p.ended_at IS NULL)`;
      const scan = (dutyOnly: boolean) => sql`(
          SELECT ${sql.raw(dutyOnly ? 'true' : 'false')} AS "dutyList", s.ranger_id AS "rangerId", r.name, r.kind, r.phone, r.user_id AS "userId",
                 r.org_unit_id AS "orgUnitId", s.device_id AS "deviceId", s.lon, s.lat, s.fix_time AS "fixTime",
                 ${onDuty} AS "onDuty", ${here} <-> ${point} AS "distanceM"
          FROM device_states s
          JOIN rangers r ON r.id = s.ranger_id AND r.deleted_at IS NULL AND r.status = 'active'
          WHERE s.server_time >= now() - make_interval(mins => ${options.onlineMinutes})
            AND ${rangerInScope(actor, { orgUnitId: sql`r.org_unit_id`, commandingUnitId: sql`r.commanding_unit_id` })}
            ${dutyOnly ? sql`AND ${onDuty}` : sql``}
          ORDER BY ${here} <-> ${point}
          LIMIT ${options.limit * 2})`;
      const result = await tx.execute<Omit<NearRanger, 'fixTime'> & { fixTime: string; dutyList: boolean }>(
        sql`${scan(false)} UNION ALL ${scan(true)}`,
      );
      const lists = { nearest: new Map<string, NearRanger>(), onDuty: new Map<string, NearRanger>() };
      const rows = result.rows
        .map(({ dutyList, ...r }) => ({
          dutyList,
          ranger: { ...r, distanceM: Number(r.distanceM), lon: Number(r.lon), lat: Number(r.lat), fixTime: new Date(r.fixTime) },
        }))
        .sort((x, y) => x.ranger.distanceM - y.ranger.distanceM);
      // A ranger with several devices is listed once, at the nearest of them.
      for (const { dutyList, ranger } of rows) {
        const list = dutyList ? lists.onDuty : lists.nearest;
        if (!list.has(ranger.rangerId)) list.set(ranger.rangerId, ranger);
      }
      return {
        nearest: [...lists.nearest.values()].slice(0, options.limit),
        onDuty: [...lists.onDuty.values()].slice(0, options.limit),
      };
    },

    /** The newest live position of each of these rangers (over their devices); the caller has checked they are in scope. */
    async latestOfRangers(tx: Tx, rangerIds: string[]) {
      if (rangerIds.length === 0) return new Map<string, { lon: number; lat: number; fixTime: Date; serverTime: Date }>();
      const result = await tx.execute<{ ranger_id: string; lon: number; lat: number; fix_time: string; server_time: string }>(sql`
        SELECT DISTINCT ON (ranger_id) ranger_id, lon, lat, fix_time, server_time FROM device_states
        WHERE ranger_id = ANY(${sql.param(rangerIds)}::uuid[])
        ORDER BY ranger_id, fix_time DESC`);
      return new Map(
        result.rows.map((r) => [
          r.ranger_id,
          { lon: Number(r.lon), lat: Number(r.lat), fixTime: new Date(r.fix_time), serverTime: new Date(r.server_time) },
        ]),
      );
    },

    /** Rangers among these who are on an active patrol now. */
    async onPatrol(tx: Tx, rangerIds: string[]): Promise<Set<string>> {
      if (rangerIds.length === 0) return new Set();
      const result = await tx.execute<{ ranger_id: string }>(
        sql`SELECT DISTINCT ranger_id FROM patrols WHERE ended_at IS NULL AND ranger_id = ANY(${sql.param(rangerIds)}::uuid[])`,
      );
      return new Set(result.rows.map((r) => r.ranger_id));
    },

    /** Rangers on an active patrol now (the live colour). */
    async activePatrolRangers(tx: Tx): Promise<Set<string>> {
      const result = await tx.execute<{ ranger_id: string }>(sql`SELECT DISTINCT ranger_id FROM patrols WHERE ended_at IS NULL`);
      return new Set(result.rows.map((r) => r.ranger_id));
    },

    deviceStateOf: async (tx: Tx, deviceIds: string[]) =>
      deviceIds.length ? tx.select().from(deviceStates).where(inArray(deviceStates.deviceId, deviceIds)) : [],

    /**
     * A ranger's track between two times in time order (track.ts), thinned to at most `maxPoints` by
     * keeping every n-th fix (and always the last), with the count before thinning.
     */
    async dayFixes(tx: Tx, rangerId: string, from: Date, to: Date, maxPoints: number, rules: TrackRules) {
      const result = await tx.execute<{ lon: number; lat: number; fix_time: Date; speed: number | null; total: number }>(sql`
        WITH day AS (
          SELECT lon, lat, fix_time, speed,
            row_number() OVER (ORDER BY fix_time) AS n,
            count(*) OVER () AS total
          FROM (${trackFixes(sql`x.ranger_id = ${rangerId} AND x.fix_time >= ${from} AND x.fix_time < ${to}`, rules)}) f
        )
        SELECT lon, lat, fix_time, speed, total::int AS total
        FROM day
        WHERE total <= ${maxPoints} OR (n - 1) % ceil(total::numeric / (${maxPoints} - 1))::int = 0 OR n = total
        ORDER BY fix_time`);
      return result.rows.map((r) => ({
        lon: Number(r.lon),
        lat: Number(r.lat),
        fixTime: new Date(r.fix_time),
        speed: r.speed === null ? null : Number(r.speed),
        total: Number(r.total),
      }));
    },
  };
}
export type PositionsRepo = ReturnType<typeof createPositionsRepo>;

/** A ranger near a point, by their live position. */
export type NearRanger = {
  rangerId: string;
  name: string;
  kind: string;
  phone: string | null;
  userId: string | null;
  orgUnitId: number;
  deviceId: string;
  lon: number;
  lat: number;
  fixTime: Date;
  /** On an active patrol now. */
  onDuty: boolean;
  distanceM: number;
};

export type LiveRow = {
  deviceId: string;
  uniqueId: string;
  rangerId: string | null;
  rangerName: string | null;
  orgUnitId: number;
  fixTime: Date;
  serverTime: Date;
  lon: number;
  lat: number;
  speed: number | null;
  course: number | null;
  battery: number | null;
  countyCode: string | null;
  gridId: number | null;
  inAssignedArea: boolean | null;
  state: 'sos' | 'silent' | 'patrolling' | 'idle';
};

// Metres between the stored anchor and the new fix (equirectangular: exact enough within a few km).
const distanceFromAnchor = sql.raw(
  '(111320 * sqrt(power((excluded.lon - s.anchor_lon) * cos(radians(s.anchor_lat)), 2) + power(excluded.lat - s.anchor_lat, 2)))',
);
