import { and, asc, count, eq, inArray, ne, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { type Scope, unitOwned } from '../../platform/scope.js';
import type { CheckItem, CheckItemInput, Dimension, ItemResult, Level, RatingStatus, StationFilter } from './station-standards.schema.js';
import { stationCheckItems, stationChecklists, stationRatingItems, stationRatings } from './station-standards.tables.js';

/**
 * Whose stations an actor sees. Staff of a police station work for their county in every other
 * register (platform/scope.ts widens their scope), but a station's "五化" rating is its own: a
 * station's account sees and rates its own station only; a county office its county's; the city all.
 */
function stationScope(actor: Pick<Actor, 'orgPath' | 'orgUnitId'>, orgUnitColumn: SQL): SQL {
  return sql`(${unitOwned(actor, orgUnitColumn)} AND (${orgUnitColumn} = ${actor.orgUnitId} OR NOT EXISTS (
    SELECT 1 FROM org_units own_unit WHERE own_unit.id = ${actor.orgUnitId} AND own_unit.kind = 'police_station')))`;
}

/** The police stations of the site register with their unit and county, as the station queries read them. */
const stationRows = sql`
  SELECT s.id AS site_id, s.name, s.org_unit_id, u.name AS org_unit_name, c.id AS county_id, c.name AS county_name,
    c.sort_order AS county_order, ST_AsGeoJSON(s.location, 7)::json AS location
  FROM sites s
  JOIN org_units u ON u.id = s.org_unit_id
  LEFT JOIN org_units c ON c.kind = 'county' AND u.path LIKE c.path || '%'
  WHERE s.kind = 'police_station' AND s.deleted_at IS NULL`;

/** Each dimension's passed and counted items of a rating (the review's result where there is one). */
const dimensionCounts = (ratingId: SQL) => sql`COALESCE((
  SELECT json_agg(json_build_object('dimension', d.dimension, 'passed', d.passed, 'applicable', d.applicable))
  FROM (
    SELECT i.dimension,
      count(*) FILTER (WHERE COALESCE(ri.review_result, ri.self_result) = 'pass')::int AS passed,
      count(*) FILTER (WHERE COALESCE(ri.review_result, ri.self_result) IN ('pass', 'fail'))::int AS applicable
    FROM station_rating_items ri JOIN station_check_items i ON i.id = ri.item_id
    WHERE ri.rating_id = ${ratingId}
    GROUP BY i.dimension
  ) d), '[]'::json)`;

export type StationRecord = {
  siteId: string;
  name: string;
  orgUnitId: number;
  orgUnitName: string;
  countyId: number | null;
  countyName: string | null;
  location: { type: 'Point'; coordinates: [number, number] };
};
type RawStation = {
  site_id: string;
  name: string;
  org_unit_id: number;
  org_unit_name: string;
  county_id: number | null;
  county_name: string | null;
  location: StationRecord['location'];
};
const stationOf = (r: RawStation): StationRecord => ({
  siteId: r.site_id,
  name: r.name,
  orgUnitId: r.org_unit_id,
  orgUnitName: r.org_unit_name,
  countyId: r.county_id,
  countyName: r.county_name,
  location: r.location,
});

export type RatingRecord = typeof stationRatings.$inferSelect;
export type RatingItemRecord = typeof stationRatingItems.$inferSelect;
export type ChecklistRecord = typeof stationChecklists.$inferSelect;
type Counts = { dimension: string; passed: number; applicable: number }[];

/** The filter as SQL over a station row (`st`) joined with its rating of the year (`r`). */
function filterConditions(filter: StationFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.level?.length) {
    const levels = filter.level.filter((l) => l !== 'none');
    const parts: SQL[] = [];
    if (levels.length)
      parts.push(
        sql`(r.status = 'confirmed' AND r.level IN ${sql`(${sql.join(
          levels.map((l) => sql`${l}`),
          sql`, `,
        )})`})`,
      );
    if (filter.level.includes('none')) parts.push(sql`(r.id IS NULL OR r.status <> 'confirmed')`);
    conditions.push(sql`(${sql.join(parts, sql` OR `)})`);
  }
  if (filter.status?.length)
    conditions.push(
      sql`COALESCE(r.status, 'not_started') IN (${sql.join(
        filter.status.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (filter.q) conditions.push(sql`st.name ILIKE ${`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  return conditions;
}
const whereAll = (conditions: SQL[]) => (conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``);

export function createStationStandardsRepo() {
  return {
    // ---- checklists (city-wide reference data: no org unit) ----

    /** Every year's checklist with its item count and whether it is frozen. */
    async checklists(tx: Tx) {
      const { rows } = await tx.execute<{ year: number; sample: boolean; items: number; frozen: boolean; updated_at: Date }>(sql`
        SELECT c.year, c.sample, c.updated_at,
          (SELECT count(*)::int FROM station_check_items i WHERE i.year = c.year) AS items,
          EXISTS (SELECT 1 FROM station_ratings r WHERE r.year = c.year AND r.status <> 'draft') AS frozen
        FROM station_checklists c ORDER BY c.year DESC`);
      return rows.map((r) => ({ year: r.year, sample: r.sample, items: r.items, frozen: r.frozen, updatedAt: new Date(r.updated_at) }));
    },

    async checklist(tx: Tx, year: number): Promise<ChecklistRecord | null> {
      const [row] = await tx.select().from(stationChecklists).where(eq(stationChecklists.year, year));
      return row ?? null;
    },

    /** The latest checklist before a year, which a new year starts from. */
    async latestChecklistBefore(tx: Tx, year: number): Promise<number | null> {
      const { rows } = await tx.execute<{ year: number }>(sql`SELECT max(year)::int AS year FROM station_checklists WHERE year < ${year}`);
      return rows[0]?.year ?? null;
    },

    async items(tx: Tx, year: number): Promise<CheckItem[]> {
      const rows = await tx
        .select()
        .from(stationCheckItems)
        .where(eq(stationCheckItems.year, year))
        .orderBy(asc(stationCheckItems.sortOrder), asc(stationCheckItems.code));
      return rows.map(({ year: _year, ...item }) => ({ ...item, dimension: item.dimension as Dimension }));
    },

    /** Whether a station of the year has submitted: its items can then no longer change. */
    async frozen(tx: Tx, year: number): Promise<boolean> {
      const [row] = await tx
        .select({ n: count() })
        .from(stationRatings)
        .where(and(eq(stationRatings.year, year), ne(stationRatings.status, 'draft')));
      return (row?.n ?? 0) > 0;
    },

    async insertChecklist(tx: Tx, row: typeof stationChecklists.$inferInsert) {
      await tx.insert(stationChecklists).values(row);
    },

    /** Writes a checklist's rates when the version still matches; answers whether it did. */
    async updateChecklist(
      tx: Tx,
      year: number,
      version: number,
      fields: Pick<ChecklistRecord, 'standardRate' | 'modelRate' | 'notes' | 'updatedBy' | 'sample'>,
    ) {
      const rows = await tx
        .update(stationChecklists)
        .set({ ...fields, version: sql`${stationChecklists.version} + 1`, updatedAt: new Date() })
        .where(and(eq(stationChecklists.year, year), eq(stationChecklists.version, version)))
        .returning({ year: stationChecklists.year });
      return rows.length > 0;
    },

    /**
     * Makes a year's items the given list: an item keeps its id while its code stays (draft ratings
     * keep what they rated); items dropped from the list go, with the draft ratings' answers to them.
     */
    async replaceItems(tx: Tx, year: number, items: readonly CheckItemInput[]) {
      const codes = items.map((i) => i.code);
      const dropped = await tx
        .select({ id: stationCheckItems.id })
        .from(stationCheckItems)
        .where(and(eq(stationCheckItems.year, year), codes.length ? notInArray(stationCheckItems.code, codes) : undefined));
      if (dropped.length) {
        const ids = dropped.map((d) => d.id);
        await tx.delete(stationRatingItems).where(inArray(stationRatingItems.itemId, ids));
        await tx.delete(stationCheckItems).where(inArray(stationCheckItems.id, ids));
      }
      for (const [i, item] of items.entries()) {
        const values = {
          dimension: item.dimension,
          title: item.title,
          guidance: item.guidance ?? null,
          evidence: item.evidence ?? null,
          key: item.key,
          sortOrder: i,
        };
        await tx
          .insert(stationCheckItems)
          .values({ year, code: item.code, ...values })
          .onConflictDoUpdate({ target: [stationCheckItems.year, stationCheckItems.code], set: values });
      }
    },

    // ---- stations and their ratings ----

    /** A police station of the site register the actor may see, with its unit and county. */
    async findStation(tx: Tx, actor: Actor, siteId: string): Promise<StationRecord | null> {
      const { rows } = await tx.execute<RawStation>(sql`
        SELECT * FROM (${stationRows}) st WHERE st.site_id = ${siteId} AND ${stationScope(actor, sql`st.org_unit_id`)}`);
      return rows[0] ? stationOf(rows[0]) : null;
    },

    /** A station's rating of a year, if the actor may see the station. */
    async findRating(tx: Tx, actor: Actor, siteId: string, year: number): Promise<RatingRecord | null> {
      const [row] = await tx
        .select()
        .from(stationRatings)
        .where(
          and(eq(stationRatings.siteId, siteId), eq(stationRatings.year, year), stationScope(actor, sql`${stationRatings.orgUnitId}`)),
        );
      return row ?? null;
    },

    async ratingItems(tx: Tx, ratingId: string): Promise<RatingItemRecord[]> {
      return tx.select().from(stationRatingItems).where(eq(stationRatingItems.ratingId, ratingId));
    },

    async insertRating(tx: Tx, row: typeof stationRatings.$inferInsert): Promise<RatingRecord> {
      const [inserted] = await tx.insert(stationRatings).values(row).returning();
      return inserted;
    },

    /** Writes a rating in the actor's scope when the version still matches; answers the new row or null. */
    async updateRating(
      tx: Tx,
      actor: Actor,
      id: string,
      version: number,
      fields: Partial<Omit<RatingRecord, 'id' | 'siteId' | 'year' | 'version' | 'createdAt'>> & { status?: RatingStatus },
    ): Promise<RatingRecord | null> {
      const [row] = await tx
        .update(stationRatings)
        .set({ ...fields, version: sql`${stationRatings.version} + 1`, updatedAt: new Date() })
        .where(and(eq(stationRatings.id, id), eq(stationRatings.version, version), stationScope(actor, sql`${stationRatings.orgUnitId}`)))
        .returning();
      return row ?? null;
    },

    /** Writes items of a rating (a self-rating's or a review's fields), creating the rows missing. */
    async upsertRatingItems(
      tx: Tx,
      ratingId: string,
      rows: readonly (
        | { itemId: string; selfResult: ItemResult | null; selfNote: string | null; evidenceFileIds: string[] }
        | { itemId: string; reviewResult: ItemResult | null; reviewComment: string | null }
      )[],
    ) {
      for (const { itemId, ...fields } of rows)
        await tx
          .insert(stationRatingItems)
          .values({ ratingId, itemId, ...fields })
          .onConflictDoUpdate({ target: [stationRatingItems.ratingId, stationRatingItems.itemId], set: fields });
    },

    /** The stations the actor sees with their rating of the year, filtered and paged. */
    async listStations(
      tx: Tx,
      actor: Actor,
      filter: StationFilter & { year: number; subtreePath?: string },
      window: { limit: number; offset: number },
    ) {
      const conditions = [stationScope(actor, sql`st.org_unit_id`), ...filterConditions(filter)];
      if (filter.subtreePath) conditions.push(unitOwned({ orgPath: filter.subtreePath }, sql`st.org_unit_id`));
      const { rows } = await tx.execute<
        RawStation & {
          rating_id: string | null;
          status: string;
          computed_level: Level | null;
          level: Level | null;
          submitted_at: Date | null;
          confirmed_at: Date | null;
          dimensions: Counts;
          total: number;
        }
      >(sql`
        SELECT st.*, r.id AS rating_id, COALESCE(r.status, 'not_started') AS status, r.computed_level,
          CASE WHEN r.status = 'confirmed' THEN r.level END AS level, r.submitted_at, r.confirmed_at,
          ${dimensionCounts(sql`r.id`)} AS dimensions, count(*) OVER ()::int AS total
        FROM (${stationRows}) st
        LEFT JOIN station_ratings r ON r.site_id = st.site_id AND r.year = ${filter.year}
        ${whereAll(conditions)}
        ORDER BY st.county_order, st.county_name, st.name, st.site_id
        LIMIT ${window.limit} OFFSET ${window.offset}`);
      return {
        total: rows[0]?.total ?? 0,
        items: rows.map((r) => ({
          station: stationOf(r),
          ratingId: r.rating_id,
          status: r.status,
          computedLevel: r.computed_level,
          level: r.level,
          submittedAt: r.submitted_at ? new Date(r.submitted_at) : null,
          confirmedAt: r.confirmed_at ? new Date(r.confirmed_at) : null,
          counts: r.dimensions,
        })),
      };
    },

    /** Stations the actor sees by county and confirmed level, and the confirmed ratings' items by dimension. */
    async dashboard(tx: Tx, actor: Actor, filter: { year: number; subtreePath?: string }) {
      const conditions = [stationScope(actor, sql`st.org_unit_id`)];
      if (filter.subtreePath) conditions.push(unitOwned({ orgPath: filter.subtreePath }, sql`st.org_unit_id`));
      const counties = await tx.execute<{ county_id: number | null; county_name: string | null; level: string; n: number }>(sql`
        SELECT st.county_id, st.county_name, CASE WHEN r.status = 'confirmed' THEN r.level ELSE 'none' END AS level, count(*)::int AS n
        FROM (${stationRows}) st
        LEFT JOIN station_ratings r ON r.site_id = st.site_id AND r.year = ${filter.year}
        ${whereAll(conditions)}
        GROUP BY st.county_id, st.county_name, st.county_order, 3
        ORDER BY st.county_order, st.county_name`);
      const dimensions = await tx.execute<{ dimension: string; passed: number; applicable: number; stations: number }>(sql`
        SELECT i.dimension,
          count(*) FILTER (WHERE COALESCE(ri.review_result, ri.self_result) = 'pass')::int AS passed,
          count(*) FILTER (WHERE COALESCE(ri.review_result, ri.self_result) IN ('pass', 'fail'))::int AS applicable,
          count(DISTINCT r.id)::int AS stations
        FROM (${stationRows}) st
        JOIN station_ratings r ON r.site_id = st.site_id AND r.year = ${filter.year} AND r.status = 'confirmed'
        JOIN station_rating_items ri ON ri.rating_id = r.id
        JOIN station_check_items i ON i.id = ri.item_id
        ${whereAll(conditions)}
        GROUP BY i.dimension`);
      return { counties: counties.rows, dimensions: dimensions.rows };
    },

    /**
     * For the indicator: the police stations of a subtree registered before `until`, and how many of
     * them the county confirmed at 达标 or 示范 for the year.
     */
    async standardShare(tx: Tx, scope: Scope, year: number, until: Date) {
      const { rows } = await tx.execute<{ stations: number; standard: number }>(sql`
        SELECT count(*)::int AS stations,
          count(*) FILTER (WHERE r.status = 'confirmed' AND r.level IN ('standard', 'model'))::int AS standard
        FROM sites s
        LEFT JOIN station_ratings r ON r.site_id = s.id AND r.year = ${year}
        WHERE s.kind = 'police_station' AND s.created_at < ${until.toISOString()}
          AND (s.deleted_at IS NULL OR s.deleted_at >= ${until.toISOString()})
          AND ${unitOwned(scope, sql`s.org_unit_id`)}`);
      return rows[0] ?? { stations: 0, standard: 0 };
    },
  };
}
export type StationStandardsRepo = ReturnType<typeof createStationStandardsRepo>;
