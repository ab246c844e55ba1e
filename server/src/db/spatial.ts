import { type SQL, sql } from 'drizzle-orm';
import { customType } from 'drizzle-orm/pg-core';

/**
 * PostGIS geometry columns. Geometry always leaves the database as GeoJSON through
 * `ST_AsGeoJSON` in a repo query and enters through `ST_GeomFromGeoJSON`, so the column's
 * own driver value (WKB hex) never reaches application code.
 */
function geometryColumn(kind: 'Point' | 'MultiPolygon' | 'LineString' | 'Geometry') {
  return customType<{ data: string; driverData: string }>({
    dataType: () => `geometry(${kind},4326)`,
  });
}

export const pointColumn = geometryColumn('Point');
export const multiPolygonColumn = geometryColumn('MultiPolygon');
export const lineStringColumn = geometryColumn('LineString');

export type Point = { type: 'Point'; coordinates: [number, number] };

/** A GeoJSON point parameter as a PostGIS geometry in EPSG:4326. */
export function pointFromGeoJson(point: Point): SQL {
  return sql`ST_SetSRID(ST_MakePoint(${point.coordinates[0]}, ${point.coordinates[1]}), 4326)`;
}

/** A geometry column as parsed GeoJSON in a select list (decimal places limited to ~1 cm). */
export function asGeoJson(column: SQL | unknown, decimals = 7): SQL<Point> {
  return sql`ST_AsGeoJSON(${column}, ${sql.raw(String(decimals))})::json`.mapWith((v) =>
    typeof v === 'string' ? JSON.parse(v) : v,
  ) as SQL<Point>;
}
