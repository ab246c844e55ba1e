import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAlert,
  createCheckin,
  createCheckinPoint,
  createHotspot,
  createIncident,
  createPatrol,
  createRanger,
  createUnitWithArea,
  insertFixes,
  type TestRanger,
} from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { indicatorPeriod, perTransaction } from '../../platform/indicators.js';
import { CELLS_PER_DEGREE_LAT, CELLS_PER_DEGREE_LON } from '../performance/performance.repo.js';

/**
 * 2025 in a test township of 红塔区 with one grid, built by hand:
 *
 * - rangers 甲 and 乙 of the grid; 甲 patrols on 3 February (09:00–12:00) and on 10 May (08:00–10:00),
 *   乙 never; the grid has check-in points P1, P2 and P3 (P3 removed in 2024): 甲 checks in at P1 on
 *   the first patrol and at P1 and P2 on the second, so 3 of 4 expected check-ins;
 * - incidents of the grid: a priority-1 forest fire reached in 30 min, a forest fire reached in
 *   50 min, an illegal logging reached in 10 min, a dispute never reached; a merged land
 *   occupation, a false-alarm fire and a dispute of 2024 are not counted;
 * - hotspots of the grid: fed back after 5 h, after 30 h, never; one of 江川区;
 * - SOS alerts of 甲: two in 2025, one in 2024, and one alert of another kind;
 * - sites of the grid: a complete police post, a complete scenic area, a scenic area without a phone,
 *   a deleted one.
 */
const I0 = 20504;
const J0 = 5405;
const EPS = 1e-6;
const cell = (i: number, j: number) => ({ lon: (I0 + i + 0.5) / CELLS_PER_DEGREE_LON, lat: (J0 + j + 0.5) / CELLS_PER_DEGREE_LAT });
const cst = (local: string) => `${local}+08:00`;
const area: [number, number, number, number] = [
  I0 / CELLS_PER_DEGREE_LON + EPS,
  J0 / CELLS_PER_DEGREE_LAT + EPS,
  (I0 + 4) / CELLS_PER_DEGREE_LON - EPS,
  (J0 + 10) / CELLS_PER_DEGREE_LAT - EPS,
];

type Item = {
  key: string;
  name: string;
  nameEn: string;
  value: number | null;
  unit: string;
  definition: string;
  module: string;
  basis: { records: number; link?: { path: string; query: Record<string, string> } };
};

let t: TestApp;
let township: { id: number; path: string; code: string };
let grid: { id: number; path: string; code: string };
let ranger: TestRanger;

const sql = (text: string, values: unknown[] = []) => t.database.pool.query(text, values);

async function withCode(unit: { id: number; path: string }) {
  const { rows } = await sql('SELECT code FROM org_units WHERE id = $1', [unit.id]);
  return { ...unit, code: rows[0].code as string };
}

async function indicators(as: string, query: string) {
  const res = await t.get(as, `/api/assessment/indicators?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  const items = res.json().items as Item[];
  return Object.fromEntries(items.map((i) => [i.key, i])) as Record<string, Item>;
}

async function incident(i: { category: string; priority: number; status: string; reportedAt: string; onSceneAfterMin?: number }) {
  const id = await createIncident(t, {
    orgUnitId: grid.id,
    ...cell(1, 1),
    category: i.category,
    status: i.status,
    reportedAt: i.reportedAt,
  });
  await sql(
    `UPDATE incidents SET priority = $2,
       first_on_scene_at = CASE WHEN $3::int IS NULL THEN NULL ELSE reported_at + make_interval(mins => $3::int) END
     WHERE id = $1`,
    [id, i.priority, i.onSceneAfterMin ?? null],
  );
}

async function hotspot(detectedAt: string, feedbackAfterHours: number | null, unitId = grid.id, county = '530402') {
  const id = await createHotspot(t, { orgUnitId: unitId, countyCode: county, ...cell(2, 2), detectedAt });
  if (feedbackAfterHours === null) return;
  await sql(
    `INSERT INTO hotspot_checks (hotspot_id, org_unit_id, assigned_at, assigned_by, result, checked_at, feedback_at)
     SELECT h.id, h.county_id, h.detected_at, 'test', 'agricultural', h.detected_at + make_interval(hours => $2::int),
       h.detected_at + make_interval(hours => $2::int)
     FROM hotspots h WHERE h.id = $1`,
    [id, feedbackAfterHours],
  );
}

async function site(fields: { kind: string; phone?: string | null; deleted?: boolean; staffed?: boolean }) {
  await sql(
    `INSERT INTO sites (name, kind, org_unit_id, location, address, phone, person_in_charge, staff_count, duty_hours, created_at, deleted_at)
     VALUES ('测试站点', $1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), '测试路 1 号', $5, '张三', $6, $7, '2025-01-01T00:00:00+08:00', $8)`,
    [
      fields.kind,
      grid.id,
      cell(3, 3).lon,
      cell(3, 3).lat,
      fields.phone === undefined ? '0877-1234567' : fields.phone,
      fields.staffed ? 3 : null,
      fields.staffed ? '全天' : null,
      fields.deleted ? new Date() : null,
    ],
  );
}

beforeAll(async () => {
  t = await createTestApp();
  const county = await t.unit('530402');
  township = await withCode(await createUnitWithArea(t, county.id, 'township', '指标测试乡', area));
  grid = await withCode(await createUnitWithArea(t, township.id, 'grid', '指标测试网格', area));
  ranger = await createRanger(t, grid.id, { name: '指标甲' });
  await createRanger(t, grid.id, { name: '指标乙' });

  // The patrol network.
  const first = await createPatrol(t, { rangerId: ranger.id, startedAt: cst('2025-02-03T09:00:00'), endedAt: cst('2025-02-03T12:00:00') });
  const second = await createPatrol(t, { rangerId: ranger.id, startedAt: cst('2025-05-10T08:00:00'), endedAt: cst('2025-05-10T10:00:00') });
  await insertFixes(t, ranger, [
    { at: cst('2025-02-03T09:00:00'), ...cell(1, 1) },
    { at: cst('2025-02-03T11:00:00'), ...cell(1, 5) },
    { at: cst('2025-05-10T08:30:00'), ...cell(2, 1) },
  ]);
  const p1 = await createCheckinPoint(t, { orgUnitId: grid.id, name: 'P1', ...cell(1, 1) });
  const p2 = await createCheckinPoint(t, { orgUnitId: grid.id, name: 'P2', ...cell(2, 1) });
  const p3 = await createCheckinPoint(t, { orgUnitId: grid.id, name: 'P3', ...cell(3, 1) });
  await sql(`UPDATE checkin_points SET deleted_at = '2024-06-01T00:00:00Z' WHERE id = $1`, [p3]);
  for (const [patrolId, pointId, at] of [
    [first, p1, '2025-02-03T09:05:00'],
    [second, p1, '2025-05-10T08:10:00'],
    [second, p2, '2025-05-10T08:40:00'],
  ]) {
    const id = await createCheckin(t, { rangerId: ranger.id, pointId, at: cst(at), ...cell(1, 1), distanceM: 3 });
    await sql('UPDATE checkins SET patrol_id = $2 WHERE id = $1', [id, patrolId]);
  }

  // The command centre.
  await incident({ category: 'forest_fire', priority: 1, status: 'resolved', reportedAt: cst('2025-03-01T10:00:00'), onSceneAfterMin: 30 });
  await incident({ category: 'forest_fire', priority: 2, status: 'closed', reportedAt: cst('2025-03-05T10:00:00'), onSceneAfterMin: 50 });
  await incident({
    category: 'illegal_logging',
    priority: 2,
    status: 'on_scene',
    reportedAt: cst('2025-06-01T10:00:00'),
    onSceneAfterMin: 10,
  });
  await incident({ category: 'dispute', priority: 4, status: 'new', reportedAt: cst('2025-07-01T10:00:00') });
  await incident({ category: 'land_occupation', priority: 3, status: 'merged', reportedAt: cst('2025-07-02T10:00:00') });
  await incident({
    category: 'forest_fire',
    priority: 1,
    status: 'false_alarm',
    reportedAt: cst('2025-07-03T10:00:00'),
    onSceneAfterMin: 5,
  });
  await incident({ category: 'dispute', priority: 4, status: 'closed', reportedAt: cst('2024-12-31T23:00:00') });

  await hotspot(cst('2025-02-10T09:00:00'), 5);
  await hotspot(cst('2025-02-11T09:00:00'), 30);
  await hotspot(cst('2025-02-12T09:00:00'), null);
  const jiangchuan = await t.unit('530403');
  await hotspot(cst('2025-02-13T09:00:00'), 1, jiangchuan.id, '530403');

  for (const [kind, at] of [
    ['sos', '2025-04-01T10:00:00'],
    ['sos', '2025-08-01T10:00:00'],
    ['sos', '2024-08-01T10:00:00'],
    ['left_area', '2025-04-02T10:00:00'],
  ]) {
    const id = await createAlert(t, {
      ...cell(1, 1),
      rangerId: ranger.id,
      deviceId: ranger.deviceId,
      orgUnitId: grid.id,
      countyCode: '530402',
      kind,
    });
    // Resolved, so that the next one of the kind may be raised (one open alert per ranger and kind).
    await sql(`UPDATE alerts SET raised_at = $2, state = 'resolved', resolved_at = $2 WHERE id = $1`, [id, cst(at)]);
  }

  // The site register.
  await site({ kind: 'police_post', staffed: true });
  await site({ kind: 'scenic_area' });
  await site({ kind: 'scenic_area', phone: null });
  await site({ kind: 'scenic_area', phone: null, deleted: true });
});
afterAll(() => t.close());

describe('indicators computed from operations', () => {
  it('computes every indicator of a unit’s year from the records, with their count and the list that shows them', async () => {
    const all = await indicators('hongta', `unit=${grid.code}&year=2025`);
    expect(all.ranger_on_post_rate).toMatchObject({
      name: '护林员上岗率',
      nameEn: 'Ranger on-post rate',
      unit: 'ratio',
      module: 'performance',
      value: expect.closeTo(2 / 365 / 2, 4),
      basis: { records: 2, link: { path: '/performance', query: { orgUnitId: String(grid.id), year: '2025' } } },
    });
    expect(all.ranger_on_post_rate.definition).toContain('巡护天数');
    expect(all.ranger_online_rate.value).toBeCloseTo(2 / 365 / 2, 4);
    expect(all.ranger_count).toMatchObject({ value: 2, basis: { records: 2 } });
    expect(all.patrol_km_per_ranger.value).toBeGreaterThan(0);
    expect(all.checkin_compliance).toMatchObject({ value: 0.75, basis: { records: 2 } });

    expect(all.incident_count).toMatchObject({ value: 4, basis: { records: 4 } });
    expect(all.incident_count.basis.link).toEqual({
      path: '/incidents',
      query: {
        orgUnitId: String(grid.id),
        from: '2024-12-31T16:00:00.000Z',
        to: '2025-12-31T16:00:00.000Z',
        status: 'new,dispatched,on_scene,resolved,closed',
      },
    });
    expect(all.incident_median_response_minutes).toMatchObject({ value: 30, unit: 'minutes', basis: { records: 3 } });
    expect(all.major_forest_fire_count).toMatchObject({ value: 1, basis: { link: { query: { category: 'forest_fire', priority: '1' } } } });
    expect(all.forest_fire_incident_count.value).toBe(2);
    expect(all.illegal_logging_incident_count.value).toBe(1);
    expect(all.dispute_incident_count.value).toBe(1);
    expect(all.land_occupation_incident_count.value).toBe(0);

    expect(all.hotspot_check_within_24h_rate).toMatchObject({ value: expect.closeTo(1 / 3, 4), basis: { records: 3 } });
    expect(all.sos_alert_count).toMatchObject({ value: 2, basis: { records: 2, link: { path: '/alerts', query: { kind: 'sos' } } } });
    expect(all.site_register_completeness).toMatchObject({ value: expect.closeTo(2 / 3, 4), basis: { records: 3 } });
  });

  it('a month counts only its own records, and the township counts its grid', async () => {
    const february = await indicators('hongta', `unit=${grid.code}&year=2025&month=2`);
    expect(february.ranger_on_post_rate.value).toBeCloseTo(1 / 28 / 2, 4);
    expect(february.ranger_on_post_rate.basis.link?.query).toEqual({ orgUnitId: String(grid.id), month: '2025-02' });
    expect(february.checkin_compliance).toMatchObject({ value: 0.5, basis: { records: 1 } });
    expect(february.incident_count.value).toBe(0);
    expect(february.incident_median_response_minutes.value).toBeNull();
    expect(february.hotspot_check_within_24h_rate.value).toBeCloseTo(1 / 3, 4);
    expect(february.sos_alert_count.value).toBe(0);

    const wider = await indicators('city', `unit=${township.code}&year=2025`);
    expect(wider.incident_count.value).toBe(4);
    expect(wider.ranger_count.value).toBe(2);
    expect(wider.checkin_compliance.value).toBe(0.75);
  });

  it('the records behind a value are what the list page shows with the link’s filter', async () => {
    const all = await indicators('hongta', `unit=${grid.code}&year=2025`);
    const listed = async (api: string, item: Item) => {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(item.basis.link?.query ?? {})) for (const part of value.split(',')) query.append(key, part);
      const res = await t.get('hongta', `${api}?${query}`);
      expect(res.statusCode, `${api}?${query} ${res.body}`).toBe(200);
      return res.json().total as number;
    };
    expect(await listed('/api/incidents', all.incident_count)).toBe(4);
    expect(await listed('/api/incidents', all.major_forest_fire_count)).toBe(1);
    expect(await listed('/api/incidents', all.dispute_incident_count)).toBe(1);
    expect(await listed('/api/hotspots', all.hotspot_check_within_24h_rate)).toBe(3);
    expect(await listed('/api/alerts', all.sos_alert_count)).toBe(2);
    expect(await listed('/api/sites', all.site_register_completeness)).toBe(3);
  });

  it('the on-post and online rates equal what /api/performance says for the unit and period', async () => {
    const cases: [string, { id: number; code: string }, string, string][] = [
      ['hongta', grid, 'grid', 'year=2025'],
      ['hongta', grid, 'grid', 'month=2025-02'],
      ['hongta', township, 'township', 'year=2025'],
      ['city', { id: (await t.unit('530402')).id, code: '530402' }, 'county', 'year=2025'],
      ['hongta', { id: (await t.unit('530402')).id, code: '530402' }, 'county', `year=${new Date().getFullYear()}`],
    ];
    for (const [as, unit, level, period] of cases) {
      const summary = await t.get(as, `/api/performance/summary?${period}&level=${level}&orgUnitId=${unit.id}`);
      expect(summary.statusCode, summary.body).toBe(200);
      const row = summary.json().items.find((u: { orgUnitId: number }) => u.orgUnitId === unit.id);
      const [year, month] = period.slice(period.indexOf('=') + 1).split('-');
      const values = await indicators(as, `unit=${unit.code}&year=${year}${month ? `&month=${Number(month)}` : ''}`);
      expect(values.ranger_on_post_rate.value, `${unit.code} ${period}`).toBe(row?.onPostRate ?? null);
      expect(values.ranger_online_rate.value, `${unit.code} ${period}`).toBe(row?.onlineRate ?? null);
      expect(values.ranger_count.value ?? 0).toBe(row?.rangers ?? 0);
    }
    // A whole city's summary shows the same county row.
    const counties = (await t.get('city', '/api/performance/summary?year=2025&level=county')).json();
    expect(counties).toMatchObject({ year: 2025, daysCounted: 365 });
    expect(counties.month).toBeUndefined();
    const hongta = counties.items.find((u: { orgUnitName: string }) => u.orgUnitName === '红塔区');
    expect((await indicators('city', 'unit=530402&year=2025')).ranger_on_post_rate.value).toBe(hongta.onPostRate);
  });

  it('lists the definitions without values', async () => {
    const res = await t.get('liaison1', '/api/assessment/indicator-definitions');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.map((i) => i.key)).toEqual(
      expect.arrayContaining([
        'ranger_on_post_rate',
        'ranger_online_rate',
        'patrol_km_per_ranger',
        'checkin_compliance',
        'ranger_count',
        'incident_count',
        'incident_median_response_minutes',
        'major_forest_fire_count',
        'forest_fire_incident_count',
        'dispute_incident_count',
        'illegal_logging_incident_count',
        'land_occupation_incident_count',
        'hotspot_check_within_24h_rate',
        'sos_alert_count',
        'site_register_completeness',
      ]),
    );
    for (const item of items) {
      expect(item).not.toHaveProperty('value');
      expect(item.definition).toMatch(/[\u4e00-\u9fff]/);
      expect(item.definitionEn).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('who may ask, and for what', () => {
  it('a county account asking for another county’s unit, or an unknown code, gets 404', async () => {
    for (const query of [`unit=${grid.code}&year=2025`, 'unit=530402&year=2025', 'unit=NOPE-1&year=2025']) {
      const res = await t.get('jiangchuan', `/api/assessment/indicators?${query}`);
      expect(res.statusCode, query).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await t.get('jiangchuan', '/api/assessment/indicators?unit=530403&year=2025')).statusCode).toBe(200);
  });

  it('refuses bad input with the field, and accounts without assessment:read', async () => {
    for (const [query, field] of [
      ['unit=530402&year=abc', 'querystring.year'],
      ['unit=530402', 'querystring.year'],
      ['unit=530402&year=1800', 'querystring.year'],
      ['unit=530402&year=2025&month=13', 'querystring.month'],
      ['year=2025', 'querystring.unit'],
      ['unit=%00&year=2025', 'querystring.unit'],
    ]) {
      const res = await t.get('hongta', `/api/assessment/indicators?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    for (const [query, field] of [
      ['year=2025&month=2025-02', 'querystring.year'],
      ['year=25', 'querystring.year'],
      ['', 'querystring.month'],
    ]) {
      const res = await t.get('hongta', `/api/performance/summary?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.details[0].path).toBe(field);
    }
    expect((await t.get('ranger1', '/api/assessment/indicators?unit=530402&year=2025')).statusCode).toBe(403);
    expect((await t.get('checkpoint1', '/api/assessment/indicator-definitions')).statusCode).toBe(403);
    expect((await t.get(null, '/api/assessment/indicators?unit=530402&year=2025')).statusCode).toBe(401);
  });
});

describe('a computation shared by several indicators', () => {
  it('runs once per transaction, and every time on the database handle (which outlives requests)', async () => {
    let runs = 0;
    const shared = perTransaction(async () => ++runs);
    const hongta = await t.unit('530402');
    const unit = { id: hongta.id, code: '530402', name: '红塔区', kind: 'county', path: hongta.path };
    const period = indicatorPeriod(2026);
    const { db } = t.database;
    expect([await shared(db, unit, period), await shared(db, unit, period)]).toEqual([1, 2]);
    await db.transaction(async (tx) => {
      expect([await shared(tx, unit, period), await shared(tx, unit, period)]).toEqual([3, 3]);
    });
    await db.transaction(async (tx) => {
      expect(await shared(tx, unit, period)).toBe(4);
    });
  });
});
