/**
 * Test factories (beside the harness, for every module's tests): rows written straight into the
 * database where a test needs data the API would take many steps (or a clock in the past) to
 * make. Rangers with a bound device, position fixes (as the ingest pipeline would write them), a
 * device's live state, patrols, alerts, check-in points and check-ins, field reports, files,
 * patrol plans, units with a chosen area, and distances on the ground turned into degrees. Each
 * takes what the test cares about and fills in the rest; each answers the new row's id.
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

/** The first column of the first row a statement answers (the id of an inserted row). */
async function insertedId(t: TestApp, text: string, values: unknown[]): Promise<string> {
  const { rows } = await t.database.pool.query(text, values);
  if (!rows[0]) throw new Error(`no row for ${text}`);
  return String(Object.values(rows[0])[0]);
}

export type TestDevice = { uniqueId?: string; name?: string; validFrom?: Date | string };

/** A new device bound to the ranger (by default since 2020). */
export async function bindDevice(t: TestApp, rangerId: string, orgUnitId: number, device: TestDevice = {}): Promise<string> {
  const id = await insertedId(t, `INSERT INTO devices (unique_id, name, org_unit_id) VALUES ($1, $2, $3) RETURNING id`, [
    device.uniqueId ?? `TEST-${randomUUID().slice(0, 8)}`,
    device.name ?? '测试手机',
    orgUnitId,
  ]);
  await t.database.pool.query(`INSERT INTO device_bindings (device_id, ranger_id, valid_from) VALUES ($1, $2, $3)`, [
    id,
    rangerId,
    new Date(device.validFrom ?? '2020-01-01T00:00:00Z'),
  ]);
  return id;
}

/** A new ranger assigned to the unit (optionally linked to an account), with a bound device. */
export async function createRanger(
  t: TestApp,
  orgUnitId: number,
  options: { name?: string; userId?: string; device?: TestDevice } = {},
): Promise<TestRanger> {
  const name = options.name ?? `测试护林员${randomUUID().slice(0, 4)}`;
  const id = await insertedId(
    t,
    `INSERT INTO rangers (name, kind, org_unit_id, user_id, status) VALUES ($1, 'full_time', $2, $3, 'active') RETURNING id`,
    [name, orgUnitId, options.userId ?? null],
  );
  return { id, deviceId: await bindDevice(t, id, orgUnitId, options.device), orgUnitId, name };
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

/** A point as the factories take it. */
type At = { lon: number; lat: number };

/**
 * A device's live state (where the live map shows it): its last fix at `at` (default now), heard
 * of and last moved then. A device that has a state keeps it.
 */
export async function createDeviceState(t: TestApp, s: At & { deviceId: string; rangerId: string | null; at?: Date }) {
  await t.database.pool.query(
    `INSERT INTO device_states (device_id, ranger_id, fix_time, server_time, lon, lat, anchor_lon, anchor_lat, moved_at)
     VALUES ($1, $2, $3, $3, $4, $5, $4, $5, $3) ON CONFLICT (device_id) DO NOTHING`,
    [s.deviceId, s.rangerId, s.at ?? new Date(), s.lon, s.lat],
  );
}

/**
 * A patrol of the ranger opened by the ranger, in the ranger's unit unless told, started at
 * `startedAt` (default now) and active unless it has an `endedAt`; `durationS` as stored at its end.
 */
export async function createPatrol(
  t: TestApp,
  p: { rangerId: string; orgUnitId?: number; startedAt?: Date | string; endedAt?: Date | string; durationS?: number },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO patrols (ranger_id, org_unit_id, started_at, ended_at, opened_by, duration_s)
     SELECT r.id, COALESCE($2::int, r.org_unit_id), COALESCE($3::timestamptz, now()), $4::timestamptz, 'ranger', $5::int
     FROM rangers r WHERE r.id = $1
     RETURNING id`,
    [p.rangerId, p.orgUnitId ?? null, p.startedAt ?? null, p.endedAt ?? null, p.durationS ?? null],
  );
}

/** An open alert (default an SOS) of the ranger's device at a place, raised now. */
export async function createAlert(
  t: TestApp,
  a: At & { rangerId: string; deviceId: string; orgUnitId: number; countyCode: string; kind?: string },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO alerts (kind, ranger_id, device_id, org_unit_id, county_code, fix_time, lon, lat, details)
     VALUES ($1, $2, $3, $4, $5, now(), $6, $7, '{}') RETURNING id`,
    [a.kind ?? 'sos', a.rangerId, a.deviceId, a.orgUnitId, a.countyCode, a.lon, a.lat],
  );
}

/** A check-in point of the unit (radius: the table's default unless told). */
export async function createCheckinPoint(t: TestApp, p: At & { orgUnitId: number; name?: string; radiusM?: number }): Promise<string> {
  const radius = p.radiusM === undefined ? 'DEFAULT' : '$5';
  return insertedId(
    t,
    `INSERT INTO checkin_points (name, org_unit_id, location, radius_m)
     VALUES ($1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), ${radius}) RETURNING id`,
    [p.name ?? '测试点', p.orgUnitId, p.lon, p.lat, ...(p.radiusM === undefined ? [] : [p.radiusM])],
  );
}

/** A check-in of the ranger at a point, `distanceM` from it. */
export async function createCheckin(
  t: TestApp,
  c: At & { rangerId: string; pointId: string; at: Date | string; distanceM: number },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO checkins (ranger_id, point_id, at, lon, lat, distance_m) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [c.rangerId, c.pointId, c.at, c.lon, c.lat, c.distanceM],
  );
}

/** A field report of the ranger (default a fire hazard, reported now). */
export async function createFieldReport(
  t: TestApp,
  r: At & { rangerId: string; orgUnitId: number; kind?: string; reportedAt?: Date | string },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO field_reports (kind, ranger_id, org_unit_id, location, reported_at)
     VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), COALESCE($6::timestamptz, now())) RETURNING id`,
    [r.kind ?? 'fire_hazard', r.rangerId, r.orgUnitId, r.lon, r.lat, r.reportedAt ?? null],
  );
}

/** An incident of the unit (default a new forest fire entered by hand, reported now), with a code no day's sequence hands out. */
export async function createIncident(
  t: TestApp,
  i: At & { orgUnitId: number; category?: string; status?: string; title?: string; reportedAt?: Date | string },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO incidents (code, category, priority, title, location, source, status, org_unit_id, reported_at)
     VALUES ('JQT-' || gen_random_uuid(), $1, 2, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), 'manual', $5, $6, COALESCE($7::timestamptz, now()))
     RETURNING id`,
    [i.category ?? 'forest_fire', i.title ?? '测试警情', i.lon, i.lat, i.status ?? 'new', i.orgUnitId, i.reportedAt ?? null],
  );
}

/** A tip-off from the public in the unit, on an incident (default a fire), with a tracking code nobody holds. */
export async function createTipoff(
  t: TestApp,
  i: At & { orgUnitId: number; incidentId: string; description?: string; reporterPhone?: string },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO tipoffs (tracking_code_hash, category, description, location, org_unit_id, incident_id, reporter_phone)
     VALUES (gen_random_uuid()::text, 'forest_fire', $1, ST_SetSRID(ST_MakePoint($2, $3), 4326), $4, $5, $6) RETURNING id`,
    [i.description ?? '测试举报', i.lon, i.lat, i.orgUnitId, i.incidentId, i.reporterPhone ?? null],
  );
}

/** A stored file of one byte, owned by the unit. */
export async function createFile(t: TestApp, f: { orgUnitId: number }): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO files (org_unit_id, name, content_type, size, sha256, data) VALUES ($1, 'scope.png', 'image/png', 1, 'x', '\\x00') RETURNING id`,
    [f.orgUnitId],
  );
}

/** A patrol plan of the grid (default three patrols a week of two hours). */
export async function createPatrolPlan(
  t: TestApp,
  p: { orgUnitId: number; patrolsPerWeek?: number; minHoursPerPatrol?: number },
): Promise<string> {
  return insertedId(t, 'INSERT INTO patrol_plans (org_unit_id, patrols_per_week, min_hours_per_patrol) VALUES ($1, $2, $3) RETURNING id', [
    p.orgUnitId,
    p.patrolsPerWeek ?? 3,
    p.minHoursPerPatrol ?? 2,
  ]);
}

/** A FIRMS hotspot placed in a unit (as an import would store it; default VIIRS S-NPP, nominal, 2025-02-10 09:00 CST). */
export async function createHotspot(
  t: TestApp,
  h: { orgUnitId: number | null; countyCode: string | null; lon: number; lat: number; detectedAt?: string; satellite?: string },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO hotspots (source, satellite, satellite_code, instrument, detected_at, location, lon_e4, lat_e4, confidence, confidence_raw,
       frp, county_code, county_id, org_unit_id)
     VALUES ('firms', $1, 'N', 'VIIRS', $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), round($3 * 10000), round($4 * 10000), 'nominal', 'n',
       5.2, $5, (SELECT id FROM org_units WHERE code = $5), $6) RETURNING id`,
    [h.satellite ?? 'S-NPP', new Date(h.detectedAt ?? '2025-02-10T09:00:00+08:00'), h.lon, h.lat, h.countyCode, h.orgUnitId],
  );
}

/** A queued e-mail notification about something of the unit (default pending; `failed` for one to send again). */
export async function createNotificationDelivery(
  t: TestApp,
  n: { orgUnitId: number; status?: 'pending' | 'failed'; to?: string },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO notification_deliveries (channel, target, event, payload, subject, body, org_unit_id, status, max_attempts)
     VALUES ('email', $1, 'incident.created', '{}', '测试', '测试', $2, $3, 10) RETURNING id`,
    [n.to ?? 'scope@example.org', n.orgUnitId, n.status ?? 'pending'],
  );
}

/** An emergency plan of the unit (default: forest fire, level Ⅱ, one step, nobody notified). */
export async function createEmergencyPlan(
  t: TestApp,
  p: { orgUnitId: number; name?: string; category?: string; level?: number },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO emergency_plans (org_unit_id, name, category, level, notify, steps)
     VALUES ($1, $2, $3, $4, '{"orgUnitIds":[],"roles":[],"contacts":[],"webhookIds":[]}', '["赶赴现场"]') RETURNING id`,
    [p.orgUnitId, p.name ?? '测试预案', p.category ?? 'forest_fire', p.level ?? 2],
  );
}

/** The plan activated on the incident, belonging to the incident's unit, with one unchecked step. */
export async function createPlanActivation(t: TestApp, a: { planId: string; incidentId: string; orgUnitId: number }): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO plan_activations (plan_id, incident_id, org_unit_id, plan_name, level, steps, deliveries, activated_by)
     VALUES ($1, $2, $3, '测试预案', 2, '[{"text":"赶赴现场","done":false,"doneBy":null,"doneAt":null}]', 0, 'test') RETURNING id`,
    [a.planId, a.incidentId, a.orgUnitId],
  );
}

/** A round of the assessment run by the unit, on the sample standard (a county's township round by default). */
export async function createAssessmentRound(
  t: TestApp,
  r: { orgUnitId: number; year?: number; level?: 'county' | 'township' },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO assessment_rounds (year, level, standard_id, org_unit_id, created_by)
     VALUES ($1, $2, (SELECT id FROM assessment_standards WHERE sample ORDER BY created_at LIMIT 1), $3, 'test') RETURNING id`,
    [r.year ?? 2024, r.level ?? 'township', r.orgUnitId],
  );
}

/** A unit's entry in a round, submitted by default (so that the round's reviewers have it due). */
export async function createAssessmentEntry(
  t: TestApp,
  e: { roundId: string; orgUnitId: number; status?: 'draft' | 'submitted' | 'reviewing' | 'final' },
): Promise<string> {
  return insertedId(t, `INSERT INTO assessment_entries (round_id, org_unit_id, status) VALUES ($1, $2, $3) RETURNING id`, [
    e.roundId,
    e.orgUnitId,
    e.status ?? 'submitted',
  ]);
}

/** A county-level title of a unit, named by its county. */
export async function createAssessmentTitle(t: TestApp, n: { orgUnitId: number; namedByUnitId: number; year?: number }): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO assessment_titles (org_unit_id, level, year, document_number, named_on, named_by_unit_id, created_by)
     VALUES ($1, 'county', $2, '测试〔2024〕1号', '2025-03-01', $3, 'test') RETURNING id`,
    [n.orgUnitId, n.year ?? 2024, n.namedByUnitId],
  );
}

/** A responsibility register of the unit for the year (default 2025), with a leader in charge named for markers. */
export async function createResponsibilityRegister(
  t: TestApp,
  r: { orgUnitId: number; year?: number; inChargeName?: string },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO responsibility_registers (org_unit_id, year, leader_name, in_charge_name, created_by) VALUES ($1, $2, '测试主要领导', $3, 'test') RETURNING id`,
    [r.orgUnitId, r.year ?? 2025, r.inChargeName ?? '测试分管领导'],
  );
}

/** A target task of the register, measured by evidence, due at the end of 2025, with one progress report and one check. */
export async function createResponsibilityTask(t: TestApp, r: { registerId: string; orgUnitId: number; title?: string }): Promise<string> {
  const id = await insertedId(
    t,
    `INSERT INTO responsibility_tasks (register_id, org_unit_id, title, deadline, measure_kind, created_by)
     VALUES ($1, $2, $3, '2025-12-31', 'evidence', 'test') RETURNING id`,
    [r.registerId, r.orgUnitId, r.title ?? '测试目标任务'],
  );
  await t.database.pool.query(
    `INSERT INTO responsibility_progress (task_id, org_unit_id, percent, text, reported_by, reported_by_name) VALUES ($1, $2, 50, '测试进度', 'test', 'test')`,
    [id, r.orgUnitId],
  );
  await t.database.pool.query(
    `INSERT INTO responsibility_checks (task_id, org_unit_id, result, checked_by, checked_by_name, checker_org_unit_id)
     VALUES ($1, $2, 'pass', 'test', 'test', $2)`,
    [id, r.orgUnitId],
  );
  return id;
}

/** A watchlist of the unit (a county or the city; default pending, valid from an hour ago for a month) with one plate. */
export async function createWatchlist(t: TestApp, w: { orgUnitId: number; plate?: string; state?: string }): Promise<string> {
  const id = await insertedId(
    t,
    `INSERT INTO watchlists (name, reason, org_unit_id, owner_id, owner_username, valid_from, valid_to, state)
     VALUES ('测试布控', '测试', $1, gen_random_uuid(), 'test', now() - interval '1 hour', now() + interval '30 days', $2) RETURNING id`,
    [w.orgUnitId, w.state ?? 'pending'],
  );
  await t.database.pool.query('INSERT INTO watchlist_entries (watchlist_id, plate) VALUES ($1, $2)', [id, w.plate ?? '云FT0001']);
  return id;
}

/** A road-checkpoint capture at a site of the unit (now, unless `at`); its id. */
export async function createCapture(
  t: TestApp,
  c: { checkpointId: string; orgUnitId: number; plate: string; at?: Date; countyCode?: string },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO captures (checkpoint_id, org_unit_id, county_code, plate, plate_color, direction, captured_at)
     VALUES ($1, $2, $3, $4, 'blue', 'in', COALESCE($5::timestamptz, now())) RETURNING id`,
    [c.checkpointId, c.orgUnitId, c.countyCode ?? null, c.plate, c.at ?? null],
  );
}

/** A hit of a watchlist on a capture at a checkpoint of the unit. */
export async function createWatchlistHit(
  t: TestApp,
  h: { watchlistId: string; captureId: string; checkpointId: string; orgUnitId: number; plate: string },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO watchlist_hits (watchlist_id, entry_id, entry_plate, capture_id, plate, plate_color, checkpoint_id, checkpoint_name,
                                 org_unit_id, captured_at)
     VALUES ($1, gen_random_uuid(), $2, $3, $2, 'blue', $4, '测试卡口', $5, now()) RETURNING id`,
    [h.watchlistId, h.plate, h.captureId, h.checkpointId, h.orgUnitId],
  );
}

/** A mobile checkpoint's deployment at a point (default 2025-02-10 for a day), owned by `orgUnitId`. */
export async function createMobileDeployment(
  t: TestApp,
  d: { siteId: string; orgUnitId: number; lon: number; lat: number; from?: string; to?: string },
): Promise<string> {
  return insertedId(
    t,
    `INSERT INTO mobile_deployments (site_id, org_unit_id, location, starts_at, ends_at, recorded_by)
     VALUES ($1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6, 'factory') RETURNING id`,
    [d.siteId, d.orgUnitId, d.lon, d.lat, new Date(d.from ?? '2025-02-10T08:00:00+08:00'), new Date(d.to ?? '2025-02-11T08:00:00+08:00')],
  );
}
