import { and, asc, count, desc, eq, gt, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { asGeoJson, type Point, pointFromGeoJson } from '../../db/spatial.js';
import type { Actor } from '../../platform/actor.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { unitOwned } from '../../platform/scope.js';
import { sites } from '../sites/sites.tables.js';
import { GAP_STEP_M } from './circles.schema.js';
import { circleMembers, mobileDeployments } from './circles.tables.js';

/** A place that counts for a circle: its longitude and latitude. */
export type CoveringPoint = readonly [number, number];

/** A gap of a ring: a stretch of its border as a GeoJSON LineString, and its length in metres. */
export type RingGap = {
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  lengthM: number;
  /** A point inside the ring's unit about 300 m from the gap's middle, where a mobile checkpoint would close it. */
  deployAt: [number, number] | null;
};

export type DeploymentStatus = 'planned' | 'under_way' | 'ended';

/** A JSON parameter that SQL expands with json_array_elements: one round trip for many points. */
const pointRows = (points: readonly CoveringPoint[]) => sql`json_array_elements(${JSON.stringify(points)}::json)`;

const statusAt = (at: Date) =>
  sql<DeploymentStatus>`CASE WHEN ${mobileDeployments.startsAt} > ${at} THEN 'planned'
    WHEN ${mobileDeployments.endsAt} > ${at} THEN 'under_way' ELSE 'ended' END`;

const deploymentColumns = (at: Date) => ({
  id: mobileDeployments.id,
  siteId: mobileDeployments.siteId,
  siteName: sites.name,
  orgUnitId: mobileDeployments.orgUnitId,
  location: asGeoJson(mobileDeployments.location),
  from: mobileDeployments.startsAt,
  to: mobileDeployments.endsAt,
  note: mobileDeployments.note,
  recordedBy: mobileDeployments.recordedBy,
  status: statusAt(at),
  version: mobileDeployments.version,
  createdAt: mobileDeployments.createdAt,
});

export function createCirclesRepo() {
  return {
    /** The units that have a ring: the city and its counties, with an area. */
    async ringUnits(tx: Tx) {
      return tx
        .select({
          id: orgUnits.id,
          kind: orgUnits.kind,
          code: orgUnits.code,
          name: orgUnits.name,
          nameEn: orgUnits.nameEn,
          path: orgUnits.path,
        })
        .from(orgUnits)
        .where(and(inArray(orgUnits.kind, ['city', 'county']), sql`${orgUnits.area} IS NOT NULL`))
        .orderBy(asc(orgUnits.depth), asc(orgUnits.sortOrder), asc(orgUnits.code));
    },

    /** The member site ids of these rings. */
    async members(tx: Tx, ringUnitIds: readonly number[]) {
      if (ringUnitIds.length === 0) return [];
      return tx
        .select({ ringUnitId: circleMembers.ringUnitId, siteId: circleMembers.siteId })
        .from(circleMembers)
        .where(inArray(circleMembers.ringUnitId, [...ringUnitIds]))
        .orderBy(asc(circleMembers.createdAt), asc(circleMembers.siteId));
    },

    /** The rings these sites are members of. */
    async ringsOfSites(tx: Tx, siteIds: readonly string[]) {
      if (siteIds.length === 0) return [];
      const rows = await tx
        .selectDistinct({ ringUnitId: circleMembers.ringUnitId })
        .from(circleMembers)
        .where(inArray(circleMembers.siteId, [...siteIds]));
      return rows.map((r) => r.ringUnitId);
    },

    /** Adds members; those already members are left as they are. Answers the site ids added. */
    async addMembers(tx: Tx, ringUnitId: number, siteIds: readonly string[], addedBy: string) {
      if (siteIds.length === 0) return [];
      const rows = await tx
        .insert(circleMembers)
        .values(siteIds.map((siteId) => ({ ringUnitId, siteId, addedBy })))
        .onConflictDoNothing()
        .returning({ siteId: circleMembers.siteId });
      return rows.map((r) => r.siteId);
    },

    /** Removes a member; false when the site was not one. */
    async removeMember(tx: Tx, ringUnitId: number, siteId: string) {
      const rows = await tx
        .delete(circleMembers)
        .where(and(eq(circleMembers.ringUnitId, ringUnitId), eq(circleMembers.siteId, siteId)))
        .returning({ id: circleMembers.id });
      return rows.length === 1;
    },

    /** The deployments of these sites under way at `at` (one per site: the latest started). */
    async deploymentsAt(tx: Tx, siteIds: readonly string[], at: Date) {
      if (siteIds.length === 0) return [];
      const rows = await tx
        .selectDistinctOn([mobileDeployments.siteId], {
          id: mobileDeployments.id,
          siteId: mobileDeployments.siteId,
          location: asGeoJson(mobileDeployments.location),
          from: mobileDeployments.startsAt,
          to: mobileDeployments.endsAt,
        })
        .from(mobileDeployments)
        .where(and(inArray(mobileDeployments.siteId, [...siteIds]), lte(mobileDeployments.startsAt, at), gt(mobileDeployments.endsAt, at)))
        .orderBy(asc(mobileDeployments.siteId), desc(mobileDeployments.startsAt));
      return rows;
    },

    /** Whether the site has another deployment overlapping `[from, to)`. */
    async overlaps(tx: Tx, siteId: string, from: Date, to: Date, exceptId?: string) {
      const [row] = await tx
        .select({ id: mobileDeployments.id })
        .from(mobileDeployments)
        .where(
          and(
            eq(mobileDeployments.siteId, siteId),
            sql`${mobileDeployments.startsAt} < ${to} AND ${mobileDeployments.endsAt} > ${from}`,
            exceptId ? sql`${mobileDeployments.id} <> ${exceptId}` : undefined,
          ),
        )
        .limit(1);
      return row !== undefined;
    },

    async insertDeployment(
      tx: Tx,
      d: { siteId: string; orgUnitId: number; location: Point; from: Date; to: Date; note: string | null; recordedBy: string },
    ) {
      const [row] = await tx
        .insert(mobileDeployments)
        .values({
          siteId: d.siteId,
          orgUnitId: d.orgUnitId,
          location: pointFromGeoJson(d.location) as unknown as string,
          startsAt: d.from,
          endsAt: d.to,
          note: d.note,
          recordedBy: d.recordedBy,
        })
        .returning({ id: mobileDeployments.id });
      return row.id;
    },

    /** A deployment of a checkpoint in the actor's subtree, or null. */
    async findDeploymentInScope(tx: Tx, actor: Actor, id: string, at: Date) {
      const [row] = await tx
        .select(deploymentColumns(at))
        .from(mobileDeployments)
        .innerJoin(sites, eq(sites.id, mobileDeployments.siteId))
        .where(and(eq(mobileDeployments.id, id), unitOwned(actor, mobileDeployments.orgUnitId)));
      return row ?? null;
    },

    /** A page of the deployments of the actor's checkpoints, latest start first. */
    async listDeployments(
      tx: Tx,
      actor: Actor,
      filter: { siteId?: string; status?: DeploymentStatus },
      page: { limit: number; offset: number },
      at: Date,
    ) {
      const conditions: (SQL | undefined)[] = [unitOwned(actor, mobileDeployments.orgUnitId)];
      if (filter.siteId) conditions.push(eq(mobileDeployments.siteId, filter.siteId));
      if (filter.status) conditions.push(sql`${statusAt(at)} = ${filter.status}`);
      const where = and(...conditions);
      const [items, [{ total }]] = await Promise.all([
        tx
          .select(deploymentColumns(at))
          .from(mobileDeployments)
          .innerJoin(sites, eq(sites.id, mobileDeployments.siteId))
          .where(where)
          .orderBy(desc(mobileDeployments.startsAt), asc(mobileDeployments.id))
          .limit(page.limit)
          .offset(page.offset),
        tx.select({ total: count() }).from(mobileDeployments).where(where),
      ]);
      return { items, total };
    },

    /** Ends a deployment of the actor's checkpoints at `at` if its version is still `version`; false otherwise. */
    async endDeployment(tx: Tx, actor: Actor, id: string, version: number, at: Date) {
      const rows = await tx
        .update(mobileDeployments)
        .set({ endsAt: at, version: sql`${mobileDeployments.version} + 1`, updatedAt: new Date() })
        .where(and(eq(mobileDeployments.id, id), eq(mobileDeployments.version, version), unitOwned(actor, mobileDeployments.orgUnitId)))
        .returning({ id: mobileDeployments.id });
      return rows.length === 1;
    },

    /** Removes a deployment that has not begun at `at` (of the actor's scope, at this version); false when none was removed. */
    async deletePlannedDeployment(tx: Tx, actor: Actor, id: string, version: number, at: Date) {
      const rows = await tx
        .delete(mobileDeployments)
        .where(
          and(
            eq(mobileDeployments.id, id),
            eq(mobileDeployments.version, version),
            gt(mobileDeployments.startsAt, at),
            unitOwned(actor, mobileDeployments.orgUnitId),
          ),
        )
        .returning({ id: mobileDeployments.id });
      return rows.length === 1;
    },

    /** Deployments that started or ended in `(since, until]`, with their site (for the live map). */
    async transitions(tx: Tx, since: Date, until: Date) {
      return tx
        .select({
          id: mobileDeployments.id,
          siteId: mobileDeployments.siteId,
          orgUnitId: mobileDeployments.orgUnitId,
          started: sql<boolean>`${mobileDeployments.startsAt} > ${since} AND ${mobileDeployments.startsAt} <= ${until}`,
        })
        .from(mobileDeployments)
        .where(
          sql`(${mobileDeployments.startsAt} > ${since} AND ${mobileDeployments.startsAt} <= ${until})
            OR (${mobileDeployments.endsAt} > ${since} AND ${mobileDeployments.endsAt} <= ${until})`,
        );
    },

    /** The ring's border (the unit's area's boundary) as a GeoJSON MultiLineString, simplified to ~10 m. */
    async boundary(tx: Tx, ringUnitId: number) {
      const [row] = await tx
        .select({ geometry: asGeoJson(sql`ST_Multi(ST_SimplifyPreserveTopology(ST_Boundary(${orgUnits.area}), 0.0001))`, 5) })
        .from(orgUnits)
        .where(eq(orgUnits.id, ringUnitId));
      return row?.geometry ?? null;
    },

    /**
     * The gaps of a ring: the stretches of its border farther than `distanceM` from every point.
     * The border is cut into geodesic pieces of at most GAP_STEP_M; each vertex gets its distance
     * to the nearest point on the spheroid; a piece whose ends are both farther is a gap, one whose
     * ends are both nearer is covered, and one that crosses the distance is cut where the distance,
     * taken as linear along the piece, equals it. Consecutive uncovered pieces are merged into lines.
     * Exact to a few metres at the cuts, and it needs only geography distances (no projection).
     */
    async gaps(tx: Tx, ringUnitId: number, points: readonly CoveringPoint[], distanceM: number) {
      // Pieces are at most GAP_STEP_M long; 5 % more for the box's longitude taken at the member's latitude.
      const reach = (distanceM + 2 * GAP_STEP_M) * 1.05;
      const result = await tx.execute<{
        geometry: unknown;
        length_m: number | null;
        border_m: number;
        deploy_lon: number | null;
        deploy_lat: number | null;
      }>(sql`
        WITH ring AS MATERIALIZED (
          SELECT d.path[1] AS part, d.geom AS line
          FROM org_units u, ST_Dump(ST_Boundary(u.area)) AS d
          WHERE u.id = ${ringUnitId}
        ),
        point AS (
          SELECT ST_SetSRID(ST_MakePoint((p->>0)::float8, (p->>1)::float8), 4326) AS geom FROM ${pointRows(points)} AS p
        ),
        member AS MATERIALIZED (
          -- a box in degrees holding everything within reach of the member, so most vertex–member
          -- pairs are ruled out by a box test before any distance on the spheroid is computed
          SELECT geom::geography AS at,
            ST_Expand(geom, ${reach} / (111320 * cos(radians(ST_Y(geom)))), ${reach} / 110500.0) AS box
          FROM point
        ),
        vertex AS (
          -- beyond reach a vertex is simply far (Infinity): a piece with one end within the gap
          -- distance has its other end within reach, so every cut is computed from true distances
          SELECT r.part, v.path[1] AS n, v.geom,
            coalesce((SELECT min(ST_Distance(v.geom::geography, m.at)) FROM member m WHERE v.geom && m.box), 'Infinity'::float8) AS dist
          FROM ring r, ST_DumpPoints(ST_Segmentize(r.line::geography, ${GAP_STEP_M})::geometry) AS v
        ),
        segment AS (
          SELECT part, n, geom AS a, lead(geom) OVER w AS b, dist AS da, lead(dist) OVER w AS db
          FROM vertex WINDOW w AS (PARTITION BY part ORDER BY n)
        ),
        piece AS (
          -- the uncovered fraction [t0, t1] of each piece of border
          SELECT part, n, ST_MakeLine(a, b) AS line,
            CASE WHEN da > ${distanceM} THEN 0.0 ELSE (${distanceM} - da) / (db - da) END AS t0,
            CASE WHEN db > ${distanceM} THEN 1.0 ELSE (da - ${distanceM}) / (da - db) END AS t1
          FROM segment
          WHERE b IS NOT NULL AND (da > ${distanceM} OR db > ${distanceM})
        ),
        gap AS (
          SELECT (ST_Dump(ST_LineMerge(ST_Collect(ST_LineSubstring(line, t0, t1) ORDER BY part, n)))).geom AS geom
          FROM piece WHERE t1 > t0
        )
        SELECT ST_AsGeoJSON(g.geom, 6)::json AS geometry, ST_Length(g.geom::geography) AS length_m, b.border_m,
          ST_X(inside.at) AS deploy_lon, ST_Y(inside.at) AS deploy_lat
        FROM (SELECT (SELECT sum(ST_Length(line::geography)) FROM ring) AS border_m) AS b
        LEFT JOIN gap AS g ON true
        -- where a mobile checkpoint would close the gap: 300 m from its middle, across the border into the area
        LEFT JOIN LATERAL (
          SELECT c.at FROM (
            SELECT side, ST_Project(ST_LineInterpolatePoint(g.geom, 0.5)::geography, 300,
              ST_Azimuth(ST_LineInterpolatePoint(g.geom, 0.49), ST_LineInterpolatePoint(g.geom, 0.51)) + side * pi() / 2)::geometry AS at
            FROM (VALUES (1), (-1)) AS s(side)
          ) AS c, org_units u
          WHERE u.id = ${ringUnitId} AND ST_Covers(u.area, c.at)
          ORDER BY c.side LIMIT 1
        ) AS inside ON g.geom IS NOT NULL
        ORDER BY length_m DESC NULLS LAST`);
      const rows = result.rows;
      const borderLengthM = Number(rows[0]?.border_m ?? 0);
      const gaps: RingGap[] = rows
        .filter((r) => r.geometry !== null && r.length_m !== null)
        .map((r) => ({
          geometry: (typeof r.geometry === 'string' ? JSON.parse(r.geometry) : r.geometry) as RingGap['geometry'],
          lengthM: Number(r.length_m),
          deployAt:
            r.deploy_lon === null || r.deploy_lat === null ? null : ([Number(r.deploy_lon), Number(r.deploy_lat)] as [number, number]),
        }));
      return { borderLengthM, gaps };
    },

    /** Each point's distance in metres to the ring's border, in the order given. */
    async distancesToBorder(tx: Tx, ringUnitId: number, points: readonly CoveringPoint[]) {
      if (points.length === 0) return [];
      const result = await tx.execute<{ distance_m: number }>(sql`
        SELECT ST_Distance(ST_SetSRID(ST_MakePoint((p.value->>0)::float8, (p.value->>1)::float8), 4326)::geography,
          ST_Boundary(u.area)::geography) AS distance_m
        FROM org_units u, json_array_elements(${JSON.stringify(points)}::json) WITH ORDINALITY AS p(value, i)
        WHERE u.id = ${ringUnitId}
        ORDER BY p.i`);
      return result.rows.map((r) => Number(r.distance_m));
    },
  };
}
export type CirclesRepo = ReturnType<typeof createCirclesRepo>;
