import { and, asc, eq, ilike, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Point } from '../../db/spatial.js';
import type { Actor } from '../actor.js';
import { unitPathInScope } from '../scope.js';
import type { OrgUnit } from './org.schema.js';
import { orgUnits } from './org.tables.js';

const LAYER_KINDS = {
  counties: ['county'],
  townships: ['township'],
  grids: ['grid'],
  reserves: ['nature_reserve'],
  forest_farms: ['forest_farm'],
} as const;
export type MapLayer = keyof typeof LAYER_KINDS;

const unitColumns = {
  id: orgUnits.id,
  parentId: orgUnits.parentId,
  path: orgUnits.path,
  depth: orgUnits.depth,
  kind: orgUnits.kind,
  code: orgUnits.code,
  name: orgUnits.name,
  nameEn: orgUnits.nameEn,
  approximate: orgUnits.approximate,
  center: sql<[number, number] | null>`CASE
      WHEN ${orgUnits.location} IS NOT NULL THEN ARRAY[ST_X(${orgUnits.location}), ST_Y(${orgUnits.location})]
      WHEN ${orgUnits.area} IS NOT NULL THEN ARRAY[ST_X(ST_PointOnSurface(${orgUnits.area})), ST_Y(ST_PointOnSurface(${orgUnits.area}))]
    END`,
  hasArea: sql<boolean>`${orgUnits.area} IS NOT NULL`,
};

const inTree = (actor: Actor): SQL => unitPathInScope(actor, orgUnits.path);

/** Units' areas as GeoJSON features, simplified to about one screen pixel at the zoom level. */
async function areaFeatures(tx: Tx, where: SQL, zoom: number) {
  const tolerance = 360 / (256 * 2 ** zoom);
  const rows = await tx
    .select({
      id: orgUnits.id,
      kind: orgUnits.kind,
      code: orgUnits.code,
      name: orgUnits.name,
      parentId: orgUnits.parentId,
      approximate: orgUnits.approximate,
      geometry: sql<string>`ST_AsGeoJSON(ST_SimplifyPreserveTopology(${orgUnits.area}, ${tolerance}), 6)`,
    })
    .from(orgUnits)
    .where(where)
    .orderBy(asc(orgUnits.id));
  return rows.map(({ geometry, ...properties }) => ({
    type: 'Feature' as const,
    id: properties.id,
    geometry: JSON.parse(geometry),
    properties,
  }));
}

export function createOrgRepo() {
  const repo = {
    async list(tx: Tx, actor: Actor, filter: { kinds?: string[]; parentId?: number; q?: string }) {
      const conditions: SQL[] = [inTree(actor)];
      if (filter.kinds?.length) conditions.push(inArray(orgUnits.kind, filter.kinds));
      if (filter.parentId) conditions.push(eq(orgUnits.parentId, filter.parentId));
      if (filter.q) conditions.push(ilike(orgUnits.name, `%${filter.q}%`));
      const rows = await tx
        .select(unitColumns)
        .from(orgUnits)
        .where(and(...conditions))
        .orderBy(asc(orgUnits.depth), asc(orgUnits.sortOrder), asc(orgUnits.code), asc(orgUnits.id));
      return rows as OrgUnit[];
    },

    /** One unit of the actor's subtree, or null (a unit outside it is treated as unknown). */
    async findInScope(tx: Tx, actor: Actor, id: number) {
      const [row] = await tx
        .select(unitColumns)
        .from(orgUnits)
        .where(and(eq(orgUnits.id, id), inTree(actor)));
      return (row as OrgUnit | undefined) ?? null;
    },

    /**
     * For each point, whether it lies in its unit's area — or, for a unit without one (a
     * department, a police station), in the area of its nearest ancestor that has one. One query
     * for any number of points.
     */
    async areasCover(tx: Tx, items: { unitPath: string; point: Point }[]): Promise<boolean[]> {
      if (items.length === 0) return [];
      const json = JSON.stringify(items.map((i, n) => ({ n, path: i.unitPath, lon: i.point.coordinates[0], lat: i.point.coordinates[1] })));
      const result = await tx.execute<{ covers: boolean }>(sql`
        SELECT COALESCE((
          SELECT ST_Covers(u.area, ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326))
          FROM org_units u
          WHERE u.area IS NOT NULL AND i.path LIKE u.path || '%'
          ORDER BY u.depth DESC
          LIMIT 1), true) AS covers
        FROM json_to_recordset(${json}::json) AS i(n int, path text, lon float8, lat float8)
        ORDER BY i.n`);
      return result.rows.map((r) => r.covers);
    },

    /**
     * Where each point lies in the territory: its county, township and grid (by their areas) and
     * the forest police station answering for it (a station has no area of its own: the county's
     * station nearest the point, as rangers are assigned theirs). `unit` is the deepest of grid,
     * township and county, the unit a record placed there belongs to; all null outside every
     * county. One query for any number of points, in their order.
     */
    async locate(tx: Tx, points: readonly (readonly [number, number])[]): Promise<Placement[]> {
      if (points.length === 0) return [];
      const json = JSON.stringify(points.map(([lon, lat], n) => ({ n, lon, lat })));
      const result = await tx.execute<{
        county_id: number | null;
        county_code: string | null;
        township_id: number | null;
        grid_id: number | null;
        station_id: number | null;
        unit_id: number | null;
        unit_path: string | null;
      }>(sql`
        SELECT c.id AS county_id, c.code AS county_code, t.id AS township_id, g.id AS grid_id, s.id AS station_id,
          COALESCE(g.id, t.id, c.id) AS unit_id, COALESCE(g.path, t.path, c.path) AS unit_path
        FROM json_to_recordset(${json}::json) AS i(n int, lon float8, lat float8)
        CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326) AS at) p
        LEFT JOIN LATERAL (SELECT u.id, u.code, u.path FROM org_units u
          WHERE u.kind = 'county' AND u.area && p.at AND ST_Covers(u.area, p.at) ORDER BY u.code LIMIT 1) c ON true
        LEFT JOIN LATERAL (SELECT u.id, u.path FROM org_units u
          WHERE u.kind = 'township' AND u.parent_id = c.id AND u.area && p.at AND ST_Covers(u.area, p.at) ORDER BY u.code LIMIT 1) t ON true
        LEFT JOIN LATERAL (SELECT u.id, u.path FROM org_units u
          WHERE u.kind = 'grid' AND u.parent_id = t.id AND u.area && p.at AND ST_Covers(u.area, p.at) ORDER BY u.code LIMIT 1) g ON true
        LEFT JOIN LATERAL (SELECT u.id FROM org_units u
          WHERE u.kind = 'police_station' AND u.parent_id = c.id AND u.location IS NOT NULL
          ORDER BY u.location <-> p.at, u.code LIMIT 1) s ON true
        ORDER BY i.n`);
      return result.rows.map((r) => ({
        countyId: r.county_id,
        countyCode: r.county_code,
        townshipId: r.township_id,
        gridId: r.grid_id,
        stationId: r.station_id,
        unitId: r.unit_id,
        unitPath: r.unit_path,
      }));
    },

    async areaCovers(tx: Tx, unitPath: string, point: Point) {
      const [covers] = await repo.areasCover(tx, [{ unitPath, point }]);
      return covers;
    },

    /** Units of the actor's subtree by code or by id, with the code (for spreadsheets). */
    async findManyByCode(tx: Tx, actor: Actor, by: { codes?: string[]; ids?: number[] }) {
      const key = by.codes
        ? inArray(orgUnits.code, by.codes.length ? by.codes : [''])
        : inArray(orgUnits.id, by.ids?.length ? by.ids : [0]);
      return tx
        .select({ id: orgUnits.id, code: orgUnits.code, path: orgUnits.path, name: orgUnits.name })
        .from(orgUnits)
        .where(and(key, inTree(actor)));
    },

    /**
     * A map layer as GeoJSON, simplified to about one screen pixel at the zoom level, limited to
     * the actor's subtree and to the bounding box when one is given.
     */
    async layer(tx: Tx, actor: Actor, layer: MapLayer, zoom: number, bbox?: [number, number, number, number]) {
      const conditions: SQL[] = [inTree(actor), inArray(orgUnits.kind, [...LAYER_KINDS[layer]]), isNotNull(orgUnits.area)];
      if (bbox) conditions.push(sql`${orgUnits.area} && ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326)`);
      return { type: 'FeatureCollection' as const, features: await areaFeatures(tx, and(...conditions) as SQL, zoom) };
    },

    /** Areas of counties, townships and grids for an in-memory point index (ingest enrichment). */
    indexAreas: async (tx: Tx) =>
      (
        await tx
          .select({
            id: orgUnits.id,
            kind: orgUnits.kind,
            code: orgUnits.code,
            path: orgUnits.path,
            parentId: orgUnits.parentId,
            area: sql<string>`ST_AsGeoJSON(${orgUnits.area}, 7)`,
          })
          .from(orgUnits)
          .where(and(inArray(orgUnits.kind, ['county', 'township', 'grid']), isNotNull(orgUnits.area)))
          .orderBy(asc(orgUnits.depth), asc(orgUnits.id))
      ).map((r) => ({ ...r, area: JSON.parse(r.area) as { type: 'MultiPolygon'; coordinates: number[][][][] } })),

    /** One unit's area as a GeoJSON feature simplified for the zoom level, or null (no area or out of scope). */
    async area(tx: Tx, actor: Actor, id: number, zoom: number) {
      const [feature] = await areaFeatures(tx, and(eq(orgUnits.id, id), inTree(actor), isNotNull(orgUnits.area)) as SQL, zoom);
      return feature ?? null;
    },

    /** The root of the tree (the city), used by the CLI and seed. */
    root: async (tx: Tx) =>
      (
        await tx
          .select({ id: orgUnits.id, path: orgUnits.path })
          .from(orgUnits)
          .where(sql`${orgUnits.parentId} IS NULL`)
          .orderBy(asc(orgUnits.id))
          .limit(1)
      )[0] ?? null,

    findByCode: async (tx: Tx, code: string) =>
      (
        await tx
          .select({ id: orgUnits.id, path: orgUnits.path, name: orgUnits.name })
          .from(orgUnits)
          .where(eq(orgUnits.code, code))
          .limit(1)
      )[0] ?? null,
  };
  return repo;
}
export type OrgRepo = ReturnType<typeof createOrgRepo>;

/** Where a point lies: see `locate`. Every field is null for a point outside every county. */
export type Placement = {
  countyId: number | null;
  countyCode: string | null;
  townshipId: number | null;
  gridId: number | null;
  stationId: number | null;
  unitId: number | null;
  unitPath: string | null;
};
