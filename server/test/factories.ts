/**
 * Test factories (beside the harness, for every module's tests) for the patrol network: rangers with a bound device, position fixes written
 * straight into `positions` (as the ingest pipeline would), units with a chosen area, and
 * distances on the ground turned into degrees. Used by the patrol, field report and
 * performance tests.
 */
import { randomUUID } from 'node:crypto';
import type { TestApp } from './harness.js';

export type TestRanger = { id: string; deviceId: string; orgUnitId: number; name: string };

/** Metres along a meridian per degree of latitude at `lat` (WGS 84; good to about 1 m in 100 km). */
export function metresPerDegreeLat(lat: number): number {
  const phi = (lat * Math.PI) / 180;
  return 111_132.954 - 559.822 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
}

/** The position `metres` due north of [lon, lat]: along a meridian, so the geodesic length is exact to the formula above. */
export function north(point: [number, number], metres: number): [number, number] {
  // Use the mean latitude of the step so the result is right for steps of a few km.
  let lat = point[1] + metres / metresPerDegreeLat(point[1]);
  lat = point[1] + metres / metresPerDegreeLat((point[1] + lat) / 2);
  return [point[0], lat];
}

/** A point inside a unit's area, from PostGIS. */
export async function pointIn(t: TestApp, unitId: number): Promise<[number, number]> {
  const { rows } = await t.database.pool.query<{ lon: number; lat: number }>(
    'SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(area) AS p FROM org_units WHERE id = $1) q',
    [unitId],
  );
  return [rows[0].lon, rows[0].lat];
}

/** A new device bound to the ranger since 2020. */
export async function bindDevice(t: TestApp, rangerId: string, orgUnitId: number): Promise<string> {
  const { rows } = await t.database.pool.query<{ id: string }>(
    `INSERT INTO devices (unique_id, name, org_unit_id) VALUES ($1, $2, $3) RETURNING id`,
    [`TEST-${randomUUID().slice(0, 8)}`, '测试手机', orgUnitId],
  );
  await t.database.pool.query(`INSERT INTO device_bindings (device_id, ranger_id, valid_from) VALUES ($1, $2, '2020-01-01T00:00:00Z')`, [
    rows[0].id,
    rangerId,
  ]);
  return rows[0].id;
}

/** A new ranger assigned to the unit (optionally linked to an account), with a bound device. */
export async function createRanger(t: TestApp, orgUnitId: number, options: { name?: string; userId?: string } = {}): Promise<TestRanger> {
  const name = options.name ?? `测试护林员${randomUUID().slice(0, 4)}`;
  const { rows } = await t.database.pool.query<{ id: string }>(
    `INSERT INTO rangers (name, kind, org_unit_id, user_id, status) VALUES ($1, 'full_time', $2, $3, 'active') RETURNING id`,
    [name, orgUnitId, options.userId ?? null],
  );
  const id = rows[0].id;
  return { id, deviceId: await bindDevice(t, id, orgUnitId), orgUnitId, name };
}

/**
 * The ranger linked to a demo account (the seed links ranger1 to the ranger of its grid); when
 * the seeded data has none, one is created in the account's unit.
 */
export async function rangerOfAccount(t: TestApp, username: string): Promise<TestRanger> {
  const { rows: users } = await t.database.pool.query<{ id: string; org_unit_id: number }>(
    'SELECT id, org_unit_id FROM users WHERE username = $1',
    [username],
  );
  const user = users[0];
  const { rows } = await t.database.pool.query<{ id: string; name: string; org_unit_id: number }>(
    'SELECT id, name, org_unit_id FROM rangers WHERE user_id = $1 AND deleted_at IS NULL',
    [user.id],
  );
  if (!rows[0]) return createRanger(t, user.org_unit_id, { userId: user.id, name: '李建华' });
  const { rows: bound } = await t.database.pool.query<{ device_id: string }>(
    'SELECT device_id FROM device_bindings WHERE ranger_id = $1 AND valid_to IS NULL LIMIT 1',
    [rows[0].id],
  );
  return {
    id: rows[0].id,
    name: rows[0].name,
    orgUnitId: rows[0].org_unit_id,
    deviceId: bound[0]?.device_id ?? (await bindDevice(t, rows[0].id, rows[0].org_unit_id)),
  };
}

export type TestFix = { at: Date | string; lon: number; lat: number; valid?: boolean; speed?: number | null };

/** Writes fixes of the ranger's device into `positions` (one statement). */
export async function insertFixes(t: TestApp, ranger: Pick<TestRanger, 'id' | 'deviceId'>, fixes: TestFix[]) {
  if (fixes.length === 0) return;
  const json = JSON.stringify(
    fixes.map((f) => ({
      fix_time: new Date(f.at).toISOString(),
      lon: f.lon,
      lat: f.lat,
      valid: f.valid ?? true,
      speed: f.speed ?? null,
    })),
  );
  await t.database.pool.query(
    `INSERT INTO positions (device_id, fix_time, server_time, ranger_id, lon, lat, valid, speed)
     SELECT $1, f.fix_time, f.fix_time, $2, f.lon, f.lat, f.valid, f.speed
     FROM json_to_recordset($3::json) AS f(fix_time timestamptz, lon float8, lat float8, valid boolean, speed real)`,
    [ranger.deviceId, ranger.id, json],
  );
}

/**
 * A unit of the given kind under `parentId` whose area is the rectangle [west, south, east, north]
 * (e.g. a grid aligned to the performance cells).
 */
export async function createUnitWithArea(
  t: TestApp,
  parentId: number,
  kind: string,
  name: string,
  [west, south, east, northEdge]: [number, number, number, number],
): Promise<{ id: number; path: string }> {
  const { rows: inserted } = await t.database.pool.query<{ id: number }>(
    `INSERT INTO org_units (parent_id, path, depth, kind, code, name, area, location, approximate)
     SELECT p.id, '', p.depth + 1, $2, $3, $4,
       ST_Multi(ST_MakeEnvelope($5, $6, $7, $8, 4326)), ST_Centroid(ST_MakeEnvelope($5, $6, $7, $8, 4326)), true
     FROM org_units p WHERE p.id = $1
     RETURNING id`,
    [parentId, kind, `TEST-${randomUUID().slice(0, 6)}`, name, west, south, east, northEdge],
  );
  const { rows } = await t.database.pool.query<{ id: number; path: string }>(
    `UPDATE org_units u SET path = p.path || u.id || '/' FROM org_units p WHERE u.id = $1 AND p.id = u.parent_id RETURNING u.id, u.path`,
    [inserted[0].id],
  );
  return rows[0];
}
