import { and, asc, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/connection.js';
import { asGeoJson } from '../../db/spatial.js';
import type { Actor } from '../../platform/actor.js';
import { users } from '../../platform/auth/auth.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, type Scope, unitOwned, unitOwnedOrUnowned } from '../../platform/scope.js';
import type { Hotspot, HotspotCheck, HotspotFilter } from './hotspots.schema.js';
import { hotspotChecks, hotspotClusters, hotspotFeedRuns, hotspots } from './hotspots.tables.js';

/** A hotspot to store: what the source says, and where it lies (placement null outside Yuxi). */
export type HotspotRow = {
  source: 'firms' | 'bulletin';
  satellite: string;
  satelliteCode: string;
  instrument: string | null;
  detectedAt: Date;
  lon: number;
  lat: number;
  confidence: string | null;
  confidenceRaw: string | null;
  frp: number | null;
  brightness: number | null;
  brightness2: number | null;
  scan: number | null;
  track: number | null;
  daynight: string | null;
  dataVersion: string | null;
  bulletinNumber: string | null;
  pixelCount: number | null;
  smoke: boolean | null;
  landClass: string | null;
  placeText: string | null;
  countyCode: string | null;
  countyId: number | null;
  townshipId: number | null;
  gridId: number | null;
  orgUnitId: number | null;
};

/** The key a hotspot is stored once under: source, satellite, time and position rounded to 1e-4°. */
export const onceKey = (h: Pick<HotspotRow, 'source' | 'satellite' | 'detectedAt' | 'lon' | 'lat'>) =>
  `${h.source}|${h.satellite}|${h.detectedAt.getTime()}|${Math.round(h.lon * 1e4)}|${Math.round(h.lat * 1e4)}`;

/** A clustered hotspot near new ones: what the clustering compares. */
export type ClusterMember = { id: string; clusterId: string; lon: number; lat: number; detectedAt: Date };

const county = alias(orgUnits, 'hotspot_county');
const assigneeUser = alias(users, 'check_assignee');
const assigneeUnit = alias(orgUnits, 'check_assignee_unit');

const checkStatus = sql<'unassigned' | 'assigned' | 'checked'>`CASE WHEN ${hotspotChecks.id} IS NULL THEN 'unassigned'
  WHEN ${hotspotChecks.result} IS NULL THEN 'assigned' ELSE 'checked' END`;

const checkColumns = {
  id: hotspotChecks.id,
  assigneeUserId: hotspotChecks.assigneeUserId,
  assigneeUserName: assigneeUser.displayName,
  assigneeUnitId: hotspotChecks.assigneeUnitId,
  assigneeUnitName: assigneeUnit.name,
  deadline: hotspotChecks.deadline,
  assignedAt: hotspotChecks.assignedAt,
  assignedBy: hotspotChecks.assignedBy,
  result: hotspotChecks.result,
  checkedAt: hotspotChecks.checkedAt,
  checkedBy: hotspotChecks.checkedBy,
  note: hotspotChecks.note,
  fireOut: hotspotChecks.fireOut,
  photoFileIds: hotspotChecks.photoFileIds,
  feedbackAt: hotspotChecks.feedbackAt,
  delayFromDetectionS: hotspotChecks.delayFromDetectionS,
  delayFromAssignmentS: hotspotChecks.delayFromAssignmentS,
  version: hotspotChecks.version,
};

const hotspotColumns = {
  id: hotspots.id,
  source: hotspots.source,
  satellite: hotspots.satellite,
  satelliteCode: hotspots.satelliteCode,
  instrument: hotspots.instrument,
  detectedAt: hotspots.detectedAt,
  location: asGeoJson(hotspots.location, 5),
  confidence: hotspots.confidence,
  confidenceRaw: hotspots.confidenceRaw,
  frp: hotspots.frp,
  brightness: hotspots.brightness,
  daynight: hotspots.daynight,
  dataVersion: hotspots.dataVersion,
  bulletinNumber: hotspots.bulletinNumber,
  pixelCount: hotspots.pixelCount,
  smoke: hotspots.smoke,
  landClass: hotspots.landClass,
  placeText: hotspots.placeText,
  countyCode: hotspots.countyCode,
  countyName: county.name,
  townshipId: hotspots.townshipId,
  gridId: hotspots.gridId,
  orgUnitId: hotspots.orgUnitId,
  clusterId: hotspots.clusterId,
  incidentId: hotspotClusters.incidentId,
  checkStatus,
  importedAt: hotspots.importedAt,
  check: checkColumns,
};

/** The row as the API shows it: no check object when none was assigned. */
function presented(row: Omit<Hotspot, 'check'> & { check: Partial<HotspotCheck> & { id: string | null } }): Hotspot {
  return { ...row, check: row.check.id ? (row.check as HotspotCheck) : null };
}

export function createHotspotsRepo() {
  /** Hotspots of the actor's subtree (those outside Yuxi: the whole-tree scope only) and the user's filter. */
  function where(actor: Actor, filter: HotspotFilter & { subtreePath?: string; now?: Date }): SQL {
    const conditions: SQL[] = [unitOwnedOrUnowned(narrowed(actor, filter.subtreePath), hotspots.orgUnitId)];
    if (filter.from) conditions.push(gte(hotspots.detectedAt, filter.from));
    if (filter.to) conditions.push(lt(hotspots.detectedAt, filter.to));
    if (filter.maxAgeHours)
      conditions.push(gte(hotspots.detectedAt, new Date((filter.now ?? new Date()).getTime() - filter.maxAgeHours * 3_600_000)));
    if (filter.source?.length) conditions.push(inArray(hotspots.source, filter.source));
    if (filter.satellite?.length) conditions.push(inArray(hotspots.satellite, filter.satellite));
    if (filter.checkStatus?.length) conditions.push(inArray(checkStatus, filter.checkStatus));
    if (filter.bbox) {
      const [w, s, e, n] = filter.bbox;
      conditions.push(sql`${hotspots.location} && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
    }
    return and(...conditions) as SQL;
  }

  const selectHotspots = (tx: Tx) =>
    tx
      .select(hotspotColumns)
      .from(hotspots)
      .leftJoin(hotspotClusters, eq(hotspotClusters.id, hotspots.clusterId))
      .leftJoin(county, eq(county.id, hotspots.countyId))
      .leftJoin(hotspotChecks, eq(hotspotChecks.hotspotId, hotspots.id))
      .leftJoin(assigneeUser, eq(assigneeUser.id, hotspotChecks.assigneeUserId))
      .leftJoin(assigneeUnit, eq(assigneeUnit.id, hotspotChecks.assigneeUnitId));

  /** The hotspots of the actor's scope with this id (the subquery every check write is limited by). */
  const hotspotInScope = (actor: Actor, id: string) =>
    sql`SELECT h.id FROM hotspots h WHERE h.id = ${id} AND h.org_unit_id IS NOT NULL AND ${unitOwned(actor, sql.raw('h.org_unit_id'))}`;

  return {
    /**
     * The hotspots detected in [from, to) inside a subtree whose ground check was due by `now`
     * (detected at least `hours` ago, or already fed back in time), and how many of them were fed
     * back within `hours` of detection.
     */
    async checkFeedbackWithin(tx: Tx, subtree: Scope, w: { from: Date; to: Date; now: Date; hours: number }) {
      const { rows } = await tx.execute<{ due: number; within: number }>(sql`
        WITH inside AS (
          SELECT h.detected_at, c.feedback_at IS NOT NULL AND c.feedback_at <= h.detected_at + make_interval(hours => ${w.hours}::int) AS in_time
          FROM hotspots h
          LEFT JOIN hotspot_checks c ON c.hotspot_id = h.id
          WHERE h.detected_at >= ${w.from}::timestamptz AND h.detected_at < ${w.to}::timestamptz
            AND h.org_unit_id IS NOT NULL AND ${unitOwned(subtree, sql.raw('h.org_unit_id'))}
        )
        SELECT count(*)::int AS due, count(*) FILTER (WHERE in_time)::int AS within
        FROM inside
        WHERE in_time OR detected_at <= ${w.now}::timestamptz - make_interval(hours => ${w.hours}::int)`);
      return { due: Number(rows[0].due), within: Number(rows[0].within) };
    },

    /** The bounding box of the city's counties: points outside it are not looked up in the polygons. */
    async cityBbox(tx: Tx): Promise<[number, number, number, number] | null> {
      const { rows } = await tx.execute<{ w: number | null; s: number; e: number; n: number }>(sql`
        SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n
        FROM (SELECT ST_Extent(area)::geometry AS b FROM org_units WHERE kind = 'county' AND area IS NOT NULL) q`);
      const r = rows[0];
      return r && r.w !== null ? [Number(r.w), Number(r.s), Number(r.e), Number(r.n)] : null;
    },

    /**
     * Stores the hotspots not stored yet, in one statement (rows of the same key already stored, or
     * twice in the batch, are skipped); answers the stored ones by their `onceKey`.
     */
    async insertNew(tx: Tx, rows: HotspotRow[]): Promise<Map<string, string>> {
      const stored = new Map<string, string>();
      if (rows.length === 0) return stored;
      const json = JSON.stringify(
        rows.map((r) => ({ ...r, detectedAt: r.detectedAt.toISOString(), lonE4: Math.round(r.lon * 1e4), latE4: Math.round(r.lat * 1e4) })),
      );
      const { rows: inserted } = await tx.execute<{
        id: string;
        source: string;
        satellite: string;
        at: string;
        lon_e4: number;
        lat_e4: number;
      }>(sql`
        INSERT INTO hotspots (source, satellite, satellite_code, instrument, detected_at, location, lon_e4, lat_e4, confidence,
          confidence_raw, frp, brightness, brightness2, scan, track, daynight, data_version, bulletin_number, pixel_count, smoke,
          land_class, place_text, county_code, county_id, township_id, grid_id, org_unit_id)
        SELECT r."source", r."satellite", r."satelliteCode", r."instrument", r."detectedAt", ST_SetSRID(ST_MakePoint(r."lon", r."lat"), 4326),
          r."lonE4", r."latE4", r."confidence", r."confidenceRaw", r."frp", r."brightness", r."brightness2", r."scan", r."track",
          r."daynight", r."dataVersion", r."bulletinNumber", r."pixelCount", r."smoke", r."landClass", r."placeText", r."countyCode",
          r."countyId", r."townshipId", r."gridId", r."orgUnitId"
        FROM json_to_recordset(${json}::json) AS r("source" text, "satellite" text, "satelliteCode" text, "instrument" text,
          "detectedAt" timestamptz, "lon" float8, "lat" float8, "lonE4" int, "latE4" int, "confidence" text, "confidenceRaw" text,
          "frp" real, "brightness" real, "brightness2" real, "scan" real, "track" real, "daynight" text, "dataVersion" text,
          "bulletinNumber" text, "pixelCount" smallint, "smoke" boolean, "landClass" text, "placeText" text, "countyCode" text,
          "countyId" int, "townshipId" int, "gridId" int, "orgUnitId" int)
        ON CONFLICT DO NOTHING
        RETURNING id, source, satellite, (extract(epoch FROM detected_at) * 1000)::bigint::text AS at, lon_e4, lat_e4`);
      for (const r of inserted) stored.set(`${r.source}|${r.satellite}|${r.at}|${r.lon_e4}|${r.lat_e4}`, r.id);
      return stored;
    },

    /** Writes where new hotspots lie (those inside Yuxi; the rest stay of no unit). */
    async setPlacements(
      tx: Tx,
      placed: {
        id: string;
        countyCode: string | null;
        countyId: number | null;
        townshipId: number | null;
        gridId: number | null;
        orgUnitId: number | null;
      }[],
    ) {
      if (placed.length === 0) return;
      await tx.execute(sql`
        UPDATE hotspots h SET county_code = p."countyCode", county_id = p."countyId", township_id = p."townshipId", grid_id = p."gridId",
          org_unit_id = p."orgUnitId"
        FROM json_to_recordset(${JSON.stringify(placed)}::json) AS p(id uuid, "countyCode" text, "countyId" int, "townshipId" int,
          "gridId" int, "orgUnitId" int)
        WHERE h.id = p.id`);
    },

    /** Clustered hotspots inside the box and time window (where new hotspots may join their cluster). */
    async clusterMembersNear(tx: Tx, box: [number, number, number, number], from: Date, to: Date): Promise<ClusterMember[]> {
      const [w, s, e, n] = box;
      const { rows } = await tx.execute<{ id: string; cluster_id: string; lon: number; lat: number; detected_at: Date | string }>(sql`
        SELECT id, cluster_id, ST_X(location) AS lon, ST_Y(location) AS lat, detected_at FROM hotspots
        WHERE cluster_id IS NOT NULL AND detected_at >= ${from.toISOString()}::timestamptz AND detected_at <= ${to.toISOString()}::timestamptz
          AND location && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
      return rows.map((r) => ({
        id: r.id,
        clusterId: r.cluster_id,
        lon: Number(r.lon),
        lat: Number(r.lat),
        detectedAt: new Date(r.detected_at),
      }));
    },

    /** The incident each cluster opened (null: none yet). */
    async clusterIncidents(tx: Tx, ids: string[]): Promise<Map<string, string | null>> {
      if (ids.length === 0) return new Map();
      const rows = await tx
        .select({ id: hotspotClusters.id, incidentId: hotspotClusters.incidentId })
        .from(hotspotClusters)
        .where(inArray(hotspotClusters.id, ids));
      return new Map(rows.map((r) => [r.id, r.incidentId]));
    },

    /** Writes new clusters, widens the time span and count of joined ones, and sets each hotspot's cluster. */
    async applyClustering(
      tx: Tx,
      created: {
        id: string;
        first: Date;
        last: Date;
        lon: number;
        lat: number;
        countyCode: string | null;
        orgUnitId: number | null;
        count: number;
      }[],
      joined: { id: string; first: Date; last: Date; added: number }[],
      assignments: { hotspotId: string; clusterId: string }[],
    ) {
      if (created.length) {
        const json = JSON.stringify(created);
        await tx.execute(sql`
          INSERT INTO hotspot_clusters (id, first_detected_at, last_detected_at, location, county_code, org_unit_id, hotspot_count)
          SELECT c.id, c.first, c.last, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326), c."countyCode", c."orgUnitId", c.count
          FROM json_to_recordset(${json}::json) AS c(id uuid, first timestamptz, last timestamptz, lon float8, lat float8,
            "countyCode" text, "orgUnitId" int, count int)`);
      }
      if (joined.length) {
        await tx.execute(sql`
          UPDATE hotspot_clusters k SET first_detected_at = LEAST(k.first_detected_at, j.first),
            last_detected_at = GREATEST(k.last_detected_at, j.last), hotspot_count = k.hotspot_count + j.added
          FROM json_to_recordset(${JSON.stringify(joined)}::json) AS j(id uuid, first timestamptz, last timestamptz, added int)
          WHERE k.id = j.id`);
      }
      if (assignments.length) {
        await tx.execute(sql`
          UPDATE hotspots h SET cluster_id = a."clusterId"
          FROM json_to_recordset(${JSON.stringify(assignments)}::json) AS a("hotspotId" uuid, "clusterId" uuid)
          WHERE h.id = a."hotspotId"`);
      }
    },

    /** Serialises imports' clustering: two imports at once must not both start a cluster for one fire. */
    async lockClustering(tx: Tx) {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('hotspot_clusters'))`);
    },

    async setClusterIncident(tx: Tx, clusterId: string, incidentId: string) {
      await tx.update(hotspotClusters).set({ incidentId }).where(eq(hotspotClusters.id, clusterId));
    },

    /** Names of org units by id (a cluster's county, for the incident's title). */
    async unitNames(tx: Tx, ids: number[]): Promise<Map<number, string>> {
      if (ids.length === 0) return new Map();
      const rows = await tx.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.id, ids));
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    async list(
      tx: Tx,
      actor: Actor,
      filter: HotspotFilter & { subtreePath?: string; now?: Date },
      page: { limit: number; offset: number; sort: 'detectedAt' | '-detectedAt' },
    ) {
      const condition = where(actor, filter);
      const order = page.sort === 'detectedAt' ? asc(hotspots.detectedAt) : desc(hotspots.detectedAt);
      const [items, [{ total }]] = await Promise.all([
        selectHotspots(tx).where(condition).orderBy(order, asc(hotspots.id)).limit(page.limit).offset(page.offset),
        tx
          .select({ total: sql<number>`count(*)::int` })
          .from(hotspots)
          .leftJoin(hotspotChecks, eq(hotspotChecks.hotspotId, hotspots.id))
          .where(condition),
      ]);
      return { items: items.map((i) => presented(i as never)), total };
    },

    /** A hotspot of the actor's scope, or null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectHotspots(tx).where(and(eq(hotspots.id, id), unitOwnedOrUnowned(actor, hotspots.orgUnitId)));
      return row ? presented(row as never) : null;
    },

    /** Points for the map layer: few columns, newest first. */
    async features(tx: Tx, actor: Actor, filter: HotspotFilter & { subtreePath?: string; now?: Date }) {
      return tx
        .select({
          id: hotspots.id,
          source: hotspots.source,
          satellite: hotspots.satellite,
          detectedAt: hotspots.detectedAt,
          confidence: hotspots.confidence,
          frp: hotspots.frp,
          pixelCount: hotspots.pixelCount,
          countyCode: hotspots.countyCode,
          clusterId: hotspots.clusterId,
          checkStatus,
          lon: sql<number>`ST_X(${hotspots.location})`,
          lat: sql<number>`ST_Y(${hotspots.location})`,
        })
        .from(hotspots)
        .leftJoin(hotspotChecks, eq(hotspotChecks.hotspotId, hotspots.id))
        .where(where(actor, filter))
        .orderBy(desc(hotspots.detectedAt))
        .limit(50_000);
    },

    /**
     * Assigns (or reassigns) the ground check of a hotspot of the actor's scope that lies in Yuxi;
     * answers false when there is no such hotspot or its check was already fed back.
     */
    async assignCheck(
      tx: Tx,
      actor: Actor,
      hotspotId: string,
      fields: { assigneeUserId: string | null; assigneeUnitId: number | null; deadline: Date | null; assignedBy: string },
    ) {
      const { rows } = await tx.execute<{ id: string }>(sql`
        INSERT INTO hotspot_checks (hotspot_id, org_unit_id, assignee_user_id, assignee_unit_id, deadline, assigned_at, assigned_by)
        SELECT h.id, h.org_unit_id, ${fields.assigneeUserId}::uuid, ${fields.assigneeUnitId}::int, ${fields.deadline?.toISOString() ?? null}::timestamptz,
          now(), ${fields.assignedBy}
        FROM hotspots h WHERE h.id IN (${hotspotInScope(actor, hotspotId)})
        ON CONFLICT (hotspot_id) DO UPDATE SET assignee_user_id = EXCLUDED.assignee_user_id, assignee_unit_id = EXCLUDED.assignee_unit_id,
          deadline = EXCLUDED.deadline, assigned_at = EXCLUDED.assigned_at, assigned_by = EXCLUDED.assigned_by,
          version = hotspot_checks.version + 1
        WHERE hotspot_checks.result IS NULL
        RETURNING id`);
      return rows.length === 1;
    },

    /**
     * Records the checker's feedback on an assigned check of a hotspot of the actor's scope, with
     * the delays since detection and since assignment; false when there is none (or `version` is stale).
     */
    async recordCheck(
      tx: Tx,
      actor: Actor,
      hotspotId: string,
      version: number | undefined,
      fields: { result: string; checkedAt: Date; note: string | null; fireOut: boolean; photoFileIds: string[]; checkedBy: string },
    ) {
      const { rows } = await tx.execute<{ id: string }>(sql`
        UPDATE hotspot_checks k SET result = ${fields.result}, checked_at = ${fields.checkedAt.toISOString()}::timestamptz,
          note = ${fields.note}, fire_out = ${fields.fireOut},
          photo_file_ids = ARRAY(SELECT json_array_elements_text(${JSON.stringify(fields.photoFileIds)}::json)::uuid),
          checked_by = ${fields.checkedBy}, feedback_at = now(),
          delay_from_detection_s = GREATEST(0, extract(epoch FROM now() - h.detected_at))::int,
          delay_from_assignment_s = GREATEST(0, extract(epoch FROM now() - k.assigned_at))::int,
          version = k.version + 1
        FROM hotspots h
        WHERE h.id = k.hotspot_id AND k.hotspot_id IN (${hotspotInScope(actor, hotspotId)})
          ${version === undefined ? sql`` : sql`AND k.version = ${version}`}
        RETURNING k.id`);
      return rows.length === 1;
    },

    /** Whether the account is one of the actor's scope (a checker the actor may assign). */
    async userInScope(tx: Tx, actor: Actor, userId: string) {
      const rows = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, userId), eq(users.active, true), unitOwned(actor, users.orgUnitId)));
      return rows.length === 1;
    },

    /** Whether content with this fingerprint was imported by a poll already. */
    async fedAlready(tx: Tx, fingerprint: string) {
      const rows = await tx
        .select({ id: hotspotFeedRuns.id })
        .from(hotspotFeedRuns)
        .where(and(eq(hotspotFeedRuns.fingerprint, fingerprint), sql`${hotspotFeedRuns.error} IS NULL`))
        .limit(1);
      return rows.length > 0;
    },

    async recordFeedRun(tx: Tx, run: typeof hotspotFeedRuns.$inferInsert) {
      const [row] = await tx.insert(hotspotFeedRuns).values(run).returning({ id: hotspotFeedRuns.id });
      return row.id;
    },
  };
}
export type HotspotsRepo = ReturnType<typeof createHotspotsRepo>;
