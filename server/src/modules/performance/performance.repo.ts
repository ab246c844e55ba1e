/**
 * The SQL of ranger performance (notice clause 七: rangers are assessed by the forest police).
 * Everything is computed set-based in one statement per request: the rangers in scope, their
 * fixes of the period (a month or a year) once, then one aggregate per figure joined back to the
 * rangers.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { narrowed, rangerInScope, type Scope, unitOwned } from '../../platform/scope.js';
import { type TrackRules, trackFixes } from '../positions/track.js';

/**
 * Coverage cells: 1/200° of longitude (≈ 508 m at Yuxi's 24° N) by 1/222° of latitude (≈ 501 m).
 * Scaling the area by these integers turns the cells into unit squares, so `ST_SquareGrid(1, …)`
 * numbers them (i, j) exactly as `floor(lon * 200), floor(lat * 222)` numbers a fix's cell.
 */
export const CELLS_PER_DEGREE_LON = 200;
export const CELLS_PER_DEGREE_LAT = 222;

// Constants of the code, written into the SQL as literals (a bare parameter would leave ST_Scale's overload ambiguous).
const LON_CELLS = sql.raw(String(CELLS_PER_DEGREE_LON));
const LAT_CELLS = sql.raw(String(CELLS_PER_DEGREE_LAT));

/** A day in China Standard Time. */
const cstDate = (column: SQL) => sql`((${column}) AT TIME ZONE 'Asia/Shanghai')::date`;

/** The period the figures cover: a month or a year in China Standard Time. */
export type PeriodWindow = {
  /** First instant of the period, CST. */
  from: Date;
  /** First instant after the period, CST. */
  to: Date;
  /** Now: active patrols count up to here. */
  now: Date;
  /** Days of the period up to and including today: the denominator of the rates. */
  daysCounted: number;
};

export type RangerFiguresRow = {
  ranger_id: string;
  ranger_name: string;
  org_unit_id: number;
  org_unit_name: string;
  county_id: number | null;
  county_name: string | null;
  patrol_days: number;
  patrol_hours: number;
  patrol_km: number;
  online_days: number;
  on_post_rate: number | null;
  online_rate: number | null;
  coverage: number | null;
  visited_cells: number;
  area_cells: number | null;
  checkins: number;
  reports: number;
};

export type UnitFiguresRow = {
  org_unit_id: number;
  org_unit_name: string;
  org_unit_kind: string;
  county_name: string | null;
  rangers: number;
  patrol_days: number;
  patrol_hours: number;
  patrol_km: number;
  online_days: number;
  on_post_rate: number | null;
  online_rate: number | null;
  coverage: number | null;
  checkins: number;
  reports: number;
};

/**
 * One row per ranger in scope (assigned to, or commanded by, a unit of the actor's subtree and
 * not deleted before the period began) with the period's figures.
 */
export function rangerFigures(actor: Scope, w: PeriodWindow, rules: TrackRules, subtreePath?: string): SQL {
  const scope = narrowed(actor, subtreePath);
  return sql`
    WITH ranger_set AS (
      SELECT r.id, r.name, r.org_unit_id
      FROM rangers r
      WHERE (r.deleted_at IS NULL OR r.deleted_at >= ${w.from}::timestamptz)
        AND ${rangerInScope(scope, { orgUnitId: sql`r.org_unit_id`, commandingUnitId: sql`r.commanding_unit_id` })}
    ),
    -- the days (CST) on which each ranger's devices sent anything
    online AS (
      SELECT x.ranger_id, count(DISTINCT ${cstDate(sql`x.fix_time`)})::int AS days
      FROM positions x
      JOIN ranger_set r ON r.id = x.ranger_id
      WHERE x.fix_time >= ${w.from}::timestamptz AND x.fix_time < ${w.to}::timestamptz
      GROUP BY x.ranger_id
    ),
    -- the coverage cells of the month's tracks (one source at a time, no impossible jumps)
    track_cells AS MATERIALIZED (
      SELECT DISTINCT f.ranger_id, floor(f.lon * ${LON_CELLS})::int AS i, floor(f.lat * ${LAT_CELLS})::int AS j
      FROM (${trackFixes(
        sql`x.ranger_id IN (SELECT id FROM ranger_set) AND x.fix_time >= ${w.from}::timestamptz AND x.fix_time < ${w.to}::timestamptz`,
        rules,
      )}) f
    ),
    -- each patrol's part inside the month [s, e); an active patrol runs until now
    month_patrols AS (
      SELECT p.id, p.ranger_id,
        GREATEST(p.started_at, ${w.from}::timestamptz) AS s,
        LEAST(COALESCE(p.ended_at, ${w.now}::timestamptz), ${w.to}::timestamptz) AS e
      FROM patrols p
      JOIN ranger_set r ON r.id = p.ranger_id
      WHERE p.started_at < ${w.to}::timestamptz AND COALESCE(p.ended_at, ${w.now}::timestamptz) > ${w.from}::timestamptz
    ),
    patrol_time AS (
      SELECT ranger_id, sum(extract(epoch FROM e - s)) / 3600.0 AS hours
      FROM month_patrols
      WHERE e > s
      GROUP BY ranger_id
    ),
    patrol_days AS (
      SELECT mp.ranger_id, count(DISTINCT day)::int AS days
      FROM month_patrols mp
      CROSS JOIN LATERAL generate_series(
        ${cstDate(sql`mp.s`)}, ${cstDate(sql`mp.e - interval '1 microsecond'`)}, interval '1 day') AS day
      WHERE mp.e > mp.s
      GROUP BY mp.ranger_id
    ),
    -- the metres each patrol's track counts inside the month (as its stored track is made), read
    -- per patrol through positions_ranger_time_idx
    patrol_km AS (
      SELECT mp.ranger_id, sum(line.metres) / 1000.0 AS km
      FROM month_patrols mp
      CROSS JOIN LATERAL (
        SELECT COALESCE(sum(f.step_m), 0) AS metres
        FROM (${trackFixes(sql`x.ranger_id = mp.ranger_id AND x.fix_time >= mp.s AND x.fix_time <= mp.e`, rules)}) f
      ) line
      GROUP BY mp.ranger_id
    ),
    -- the ~500 m cells whose interior meets the assigned area, once per unit
    area_cells AS MATERIALIZED (
      SELECT u.id AS unit_id, c.i, c.j
      FROM (SELECT DISTINCT org_unit_id FROM ranger_set) assigned
      JOIN org_units u ON u.id = assigned.org_unit_id AND u.area IS NOT NULL
      CROSS JOIN LATERAL (SELECT ST_Scale(u.area, ${LON_CELLS}, ${LAT_CELLS}) AS area) scaled
      CROSS JOIN LATERAL ST_SquareGrid(1, scaled.area) AS c
      WHERE ST_Intersects(c.geom, scaled.area) AND NOT ST_Touches(c.geom, scaled.area)
    ),
    area_size AS (
      SELECT unit_id, count(*)::int AS cells FROM area_cells GROUP BY unit_id
    ),
    visited AS (
      SELECT v.ranger_id, count(*)::int AS cells
      FROM track_cells v
      JOIN ranger_set r ON r.id = v.ranger_id
      JOIN area_cells a ON a.unit_id = r.org_unit_id AND a.i = v.i AND a.j = v.j
      GROUP BY v.ranger_id
    ),
    checkin_count AS (
      SELECT c.ranger_id, count(*)::int AS n
      FROM checkins c JOIN ranger_set r ON r.id = c.ranger_id
      WHERE c.at >= ${w.from}::timestamptz AND c.at < ${w.to}::timestamptz
      GROUP BY c.ranger_id
    ),
    report_count AS (
      SELECT f.ranger_id, count(*)::int AS n
      FROM field_reports f JOIN ranger_set r ON r.id = f.ranger_id
      WHERE f.reported_at >= ${w.from}::timestamptz AND f.reported_at < ${w.to}::timestamptz
      GROUP BY f.ranger_id
    )
    SELECT r.id AS ranger_id, r.name AS ranger_name, r.org_unit_id, u.name AS org_unit_name,
      county.id AS county_id, county.name AS county_name,
      COALESCE(pd.days, 0) AS patrol_days,
      COALESCE(pt.hours, 0)::float8 AS patrol_hours,
      COALESCE(pk.km, 0)::float8 AS patrol_km,
      COALESCE(o.days, 0) AS online_days,
      CASE WHEN ${w.daysCounted}::int > 0 THEN COALESCE(pd.days, 0)::float8 / ${w.daysCounted}::int END AS on_post_rate,
      CASE WHEN ${w.daysCounted}::int > 0 THEN COALESCE(o.days, 0)::float8 / ${w.daysCounted}::int END AS online_rate,
      CASE WHEN sz.cells > 0 THEN COALESCE(v.cells, 0)::float8 / sz.cells END AS coverage,
      COALESCE(v.cells, 0) AS visited_cells,
      sz.cells AS area_cells,
      COALESCE(cc.n, 0) AS checkins,
      COALESCE(rc.n, 0) AS reports,
      u.code AS org_unit_code, county.code AS county_code
    FROM ranger_set r
    JOIN org_units u ON u.id = r.org_unit_id
    LEFT JOIN org_units county ON county.kind = 'county' AND u.path LIKE county.path || '%'
    LEFT JOIN patrol_days pd ON pd.ranger_id = r.id
    LEFT JOIN patrol_time pt ON pt.ranger_id = r.id
    LEFT JOIN patrol_km pk ON pk.ranger_id = r.id
    LEFT JOIN online o ON o.ranger_id = r.id
    LEFT JOIN area_size sz ON sz.unit_id = r.org_unit_id
    LEFT JOIN visited v ON v.ranger_id = r.id
    LEFT JOIN checkin_count cc ON cc.ranger_id = r.id
    LEFT JOIN report_count rc ON rc.ranger_id = r.id`;
}

/**
 * Runs a figures statement with PostgreSQL's JIT compiler off: its plan's estimated cost makes
 * PostgreSQL compile it, which took 7–15 s on every request here while the statement itself
 * runs in a fraction of a second.
 */
const withoutJit = <T>(tx: Tx, run: (t: Tx) => Promise<T>) =>
  tx.transaction(async (t) => {
    await t.execute(sql`SET LOCAL jit = off`);
    return run(t);
  });

export function createPerformanceRepo() {
  return {
    /** The period's figures of every ranger in scope, by county, unit and name. */
    async rangers(tx: Tx, actor: Scope, w: PeriodWindow, rules: TrackRules, subtreePath?: string) {
      const result = await withoutJit(tx, (t) =>
        t.execute<RangerFiguresRow>(sql`
          SELECT * FROM (${rangerFigures(actor, w, rules, subtreePath)}) figures
          ORDER BY county_code NULLS LAST, org_unit_code NULLS LAST, ranger_name, ranger_id`),
      );
      return result.rows;
    },

    /**
     * The same figures per unit of a level: each ranger counts towards the unit of that kind
     * containing their assigned area, or towards their own unit when it lies above the level
     * (a township ranger in the grid summary). Counts, hours and km are summed, rates averaged.
     * The level is an org unit kind: the summary asks for grids, townships or counties, the
     * indicators for the kind of the unit they are computed for.
     */
    async units(tx: Tx, actor: Scope, w: PeriodWindow, level: string, rules: TrackRules, subtreePath?: string) {
      const result = await withoutJit(tx, (t) =>
        t.execute<UnitFiguresRow>(sql`
        WITH per_ranger AS (${rangerFigures(actor, w, rules, subtreePath)}),
        grouped AS (
          SELECT pr.*,
            COALESCE(
              (SELECT a.id FROM org_units a WHERE a.kind = ${level} AND u.path LIKE a.path || '%' ORDER BY a.depth DESC LIMIT 1),
              u.id) AS group_id
          FROM per_ranger pr
          JOIN org_units u ON u.id = pr.org_unit_id
        )
        SELECT g.id AS org_unit_id, g.name AS org_unit_name, g.kind AS org_unit_kind,
          min(grouped.county_name) AS county_name,
          count(*)::int AS rangers,
          sum(patrol_days)::int AS patrol_days,
          sum(patrol_hours)::float8 AS patrol_hours,
          sum(patrol_km)::float8 AS patrol_km,
          sum(online_days)::int AS online_days,
          avg(on_post_rate)::float8 AS on_post_rate,
          avg(online_rate)::float8 AS online_rate,
          avg(coverage)::float8 AS coverage,
          sum(checkins)::int AS checkins,
          sum(reports)::int AS reports
        FROM grouped
        JOIN org_units g ON g.id = grouped.group_id
        GROUP BY g.id, g.name, g.kind, g.code
        ORDER BY min(grouped.county_code) NULLS LAST, g.code NULLS LAST, g.id`),
      );
      return result.rows;
    },

    /**
     * Check-ins made against check-ins expected on the patrols of the unit's subtree that began in
     * the period: every patrol is expected to reach each check-in point of its own unit (points
     * removed before the patrol began do not count), and a point counts as reached when the patrol
     * holds a check-in there.
     */
    async checkinCompliance(tx: Tx, subtree: Scope, w: Pick<PeriodWindow, 'from' | 'to'>) {
      const result = await tx.execute<{ patrols: number; expected: number; made: number }>(sql`
        WITH expected AS (
          SELECT p.id AS patrol_id, cp.id AS point_id
          FROM patrols p
          JOIN checkin_points cp ON cp.org_unit_id = p.org_unit_id
            AND (cp.deleted_at IS NULL OR cp.deleted_at > p.started_at)
          WHERE p.started_at >= ${w.from}::timestamptz AND p.started_at < ${w.to}::timestamptz
            AND ${unitOwned(subtree, sql`p.org_unit_id`)}
        )
        SELECT count(DISTINCT e.patrol_id)::int AS patrols,
          count(*)::int AS expected,
          count(*) FILTER (WHERE EXISTS (
            SELECT 1 FROM checkins c WHERE c.patrol_id = e.patrol_id AND c.point_id = e.point_id))::int AS made
        FROM expected e`);
      const row = result.rows[0];
      return { patrols: Number(row.patrols), expected: Number(row.expected), made: Number(row.made) };
    },
  };
}
export type PerformanceRepo = ReturnType<typeof createPerformanceRepo>;
