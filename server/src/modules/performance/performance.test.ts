import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCheckin,
  createCheckinPoint,
  createFieldReport,
  createPatrol,
  createRanger,
  createUnitWithArea,
  insertFixes,
  metresPerDegreeLat,
  type TestRanger,
} from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { CELLS_PER_DEGREE_LAT, CELLS_PER_DEGREE_LON } from './performance.repo.js';
import { PERFORMANCE_SHEET_COLUMNS } from './performance.schema.js';
import { monthWindow } from './performance.service.js';

/**
 * February 2025, built by hand in a test grid of 4 × 10 coverage cells (cell i, j has its
 * south-west corner at lon (I0 + i) / 200, lat (J0 + j) / 222):
 *
 * - patrol A, 3 Feb 09:00–12:00 CST, fixes in cells (1,1) (1,3) (1,5) (1,7);
 * - patrol B, 10 Feb 23:00 – 11 Feb 01:00, fixes in (2,1) (2,3): two patrol days;
 * - patrol C, 28 Feb 23:00 – 1 Mar 01:00, a fix in (3,1) in February and one in March;
 * - patrol D on 31 January, outside the month;
 * - other fixes: 15 Feb in (1,1) again and one outside the grid, 20 Feb an invalid fix in (0,9);
 * - check-ins on 3 and 10 Feb and 31 Jan; reports on 11 Feb and 2 Mar.
 *
 * So: 4 patrol days, 6 hours, 4 legs of two cells north (8/222° of latitude), online on 6 days
 * (3, 10, 11, 15, 20, 28), 7 of 40 cells visited, 2 check-ins, 1 report; rates over 28 days.
 */
const I0 = 20504;
const J0 = 5405;
const EPS = 1e-6;
const cell = (i: number, j: number) => ({ lon: (I0 + i + 0.5) / CELLS_PER_DEGREE_LON, lat: (J0 + j + 0.5) / CELLS_PER_DEGREE_LAT });
const cst = (local: string) => `${local}+08:00`;

const expectedKm = ((8 / CELLS_PER_DEGREE_LAT) * metresPerDegreeLat((J0 + 4) / CELLS_PER_DEGREE_LAT)) / 1000;

let t: TestApp;
let grid: { id: number; path: string };
let active: TestRanger;
let idle: TestRanger;

const patrol = (ranger: TestRanger, from: string, to: string) => createPatrol(t, { rangerId: ranger.id, startedAt: from, endedAt: to });

beforeAll(async () => {
  t = await createTestApp();
  const township = await t.unit('530402001');
  grid = await createUnitWithArea(t, township.id, 'grid', '绩效测试网格', [
    I0 / CELLS_PER_DEGREE_LON + EPS,
    J0 / CELLS_PER_DEGREE_LAT + EPS,
    (I0 + 4) / CELLS_PER_DEGREE_LON - EPS,
    (J0 + 10) / CELLS_PER_DEGREE_LAT - EPS,
  ]);
  active = await createRanger(t, grid.id, { name: '测试甲' });
  idle = await createRanger(t, grid.id, { name: '测试乙' });

  await patrol(active, cst('2025-02-03T09:00:00'), cst('2025-02-03T12:00:00'));
  await patrol(active, cst('2025-02-10T23:00:00'), cst('2025-02-11T01:00:00'));
  await patrol(active, cst('2025-02-28T23:00:00'), cst('2025-03-01T01:00:00'));
  await patrol(active, cst('2025-01-31T20:00:00'), cst('2025-01-31T22:00:00'));
  const outside = { lon: (I0 + 10.5) / CELLS_PER_DEGREE_LON, lat: cell(1, 1).lat };
  await insertFixes(t, active, [
    { at: cst('2025-02-03T09:00:00'), ...cell(1, 1) },
    { at: cst('2025-02-03T10:00:00'), ...cell(1, 3) },
    { at: cst('2025-02-03T11:00:00'), ...cell(1, 5) },
    { at: cst('2025-02-03T12:00:00'), ...cell(1, 7) },
    { at: cst('2025-02-10T23:30:00'), ...cell(2, 1) },
    { at: cst('2025-02-11T00:30:00'), ...cell(2, 3) },
    { at: cst('2025-02-28T23:30:00'), ...cell(3, 1) },
    { at: cst('2025-03-01T00:30:00'), ...cell(3, 3) },
    { at: cst('2025-01-31T21:00:00'), ...cell(0, 0) },
    { at: cst('2025-02-15T10:00:00'), ...cell(1, 1) },
    { at: cst('2025-02-15T11:00:00'), ...outside },
    { at: cst('2025-02-20T10:00:00'), ...cell(0, 9), valid: false },
  ]);
  const pointId = await createCheckinPoint(t, { name: '测试点', orgUnitId: grid.id, ...cell(1, 1) });
  for (const at of ['2025-02-03T09:05:00', '2025-02-10T23:40:00', '2025-01-31T21:00:00']) {
    await createCheckin(t, { rangerId: active.id, pointId, at: cst(at), ...cell(1, 1), distanceM: 3 });
  }
  for (const at of ['2025-02-11T08:00:00', '2025-03-02T08:00:00']) {
    await createFieldReport(t, { kind: 'pests', rangerId: active.id, orgUnitId: grid.id, ...cell(2, 2), reportedAt: cst(at) });
  }
});
afterAll(() => t.close());

describe('monthly ranger performance', () => {
  it('matches the figures computed by hand for a constructed month', async () => {
    const res = await t.get('hongta', `/api/performance/rangers?month=2025-02&orgUnitId=${grid.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ month: '2025-02', from: '2025-01-31T16:00:00.000Z', to: '2025-02-28T16:00:00.000Z', daysCounted: 28 });
    const row = body.items.find((r: { rangerId: string }) => r.rangerId === active.id);
    expect(row).toEqual({
      rangerId: active.id,
      rangerName: '测试甲',
      orgUnitId: grid.id,
      orgUnitName: '绩效测试网格',
      countyId: expect.any(Number),
      countyName: '红塔区',
      patrolDays: 4,
      patrolHours: 6,
      patrolKm: expect.closeTo(expectedKm, 2),
      onlineDays: 6,
      onPostRate: expect.closeTo(4 / 28, 4),
      onlineRate: expect.closeTo(6 / 28, 4),
      coverage: 0.175,
      visitedCells: 7,
      areaCells: 40,
      checkins: 2,
      reports: 1,
    });
    expect(body.items.find((r: { rangerId: string }) => r.rangerId === idle.id)).toMatchObject({
      patrolDays: 0,
      patrolHours: 0,
      patrolKm: 0,
      onPostRate: 0,
      onlineRate: 0,
      coverage: 0,
      areaCells: 40,
    });
  });

  it('sums counts, hours and km and averages rates per grid, township and county', async () => {
    const grids = (await t.get('hongta', '/api/performance/summary?month=2025-02&level=grid')).json();
    expect(grids.level).toBe('grid');
    expect(grids.items.find((u: { orgUnitId: number }) => u.orgUnitId === grid.id)).toEqual({
      orgUnitId: grid.id,
      orgUnitName: '绩效测试网格',
      orgUnitKind: 'grid',
      countyName: '红塔区',
      rangers: 2,
      patrolDays: 4,
      patrolHours: 6,
      patrolKm: expect.closeTo(expectedKm, 2),
      onlineDays: 6,
      onPostRate: expect.closeTo(4 / 28 / 2, 4),
      onlineRate: expect.closeTo(6 / 28 / 2, 4),
      coverage: expect.closeTo(0.0875, 4),
      checkins: 2,
      reports: 1,
    });

    const rangers = (await t.get('city', '/api/performance/rangers?month=2025-02')).json().items as {
      countyName: string;
      patrolDays: number;
      onPostRate: number;
      coverage: number | null;
    }[];
    const counties = (await t.get('city', '/api/performance/summary?month=2025-02&level=county')).json().items;
    expect(counties.map((c: { orgUnitKind: string }) => c.orgUnitKind)).toEqual(Array(counties.length).fill('county'));
    expect(counties.reduce((n: number, c: { rangers: number }) => n + c.rangers, 0)).toBe(rangers.length);
    const hongta = counties.find((c: { orgUnitName: string }) => c.orgUnitName === '红塔区');
    const own = rangers.filter((r) => r.countyName === '红塔区');
    expect(hongta.rangers).toBe(own.length);
    expect(hongta.patrolDays).toBe(own.reduce((n, r) => n + r.patrolDays, 0));
    expect(hongta.patrolDays).toBeGreaterThanOrEqual(4);
    expect(hongta.onPostRate).toBeCloseTo(own.reduce((n, r) => n + r.onPostRate, 0) / own.length, 3);

    const townships = (await t.get('hongta', '/api/performance/summary?month=2025-02&level=township')).json().items;
    const yuxing = townships.find((u: { orgUnitName: string }) => u.orgUnitName === '玉兴街道');
    expect(yuxing).toMatchObject({ orgUnitKind: 'township', patrolHours: 6, checkins: 2 });
  });

  it('counts only the rangers in scope: assigned to the subtree or commanded by a station in it', async () => {
    const jiangchuan = (await t.get('jiangchuan', '/api/performance/rangers?month=2025-02')).json();
    expect(jiangchuan.items.map((r: { rangerId: string }) => r.rangerId)).not.toContain(active.id);
    expect((await t.get('jiangchuan', `/api/performance/rangers?month=2025-02&orgUnitId=${grid.id}`)).statusCode).toBe(404);
    const station = await t.unit('530402-P01');
    await t.database.pool.query('UPDATE rangers SET commanding_unit_id = $1 WHERE id = $2', [station.id, idle.id]);
    await t.database.pool.query('UPDATE rangers SET commanding_unit_id = NULL WHERE id = $1', [active.id]);
    const commanded = (await t.get('police1', `/api/performance/rangers?month=2025-02&orgUnitId=${station.id}`)).json();
    const ids = commanded.items.map((r: { rangerId: string }) => r.rangerId);
    expect(ids).toContain(idle.id);
    expect(ids).not.toContain(active.id);
  });

  it('exports the rangers’ month as a workbook with Chinese headers', async () => {
    const res = await t.get('hongta', `/api/performance/rangers/export?month=2025-02&orgUnitId=${grid.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('护林员绩效 2025-02');
    expect(sheet.getRow(1).values).toEqual([undefined, ...PERFORMANCE_SHEET_COLUMNS.map((c) => c.header)]);
    expect(sheet.rowCount).toBe(3);
    const values = [2, 3].map((n) => sheet.getRow(n).values as unknown[]).find((v) => v[1] === '测试甲') as unknown[];
    expect(values.slice(1)).toEqual(['测试甲', '红塔区', '绩效测试网格', 4, 6, expect.closeTo(expectedKm, 2), 6, 14.3, 21.4, 17.5, 2, 1]);
  });

  it('refuses bad months and levels with the field, and accounts without performance:read', async () => {
    for (const url of ['/api/performance/rangers?month=2025-13', '/api/performance/rangers', '/api/performance/rangers?month=2025-2']) {
      const res = await t.get('hongta', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details[0].path).toBe('querystring.month');
    }
    const level = await t.get('hongta', '/api/performance/summary?month=2025-02&level=village');
    expect(level.json().error.details[0].path).toBe('querystring.level');
    expect((await t.get('ranger1', '/api/performance/rangers?month=2025-02')).statusCode).toBe(403);
    expect((await t.get(null, '/api/performance/summary?month=2025-02')).statusCode).toBe(401);
  });
});

describe('the days a month counts', () => {
  it('a past month counts all its days, the current month up to today (CST), a future month none', () => {
    expect(monthWindow('2024-02', new Date('2026-01-01T00:00:00Z')).daysCounted).toBe(29);
    // 2026-03-10T20:00Z is already 11 March in China.
    expect(monthWindow('2026-03', new Date('2026-03-10T20:00:00Z')).daysCounted).toBe(11);
    expect(monthWindow('2026-03', new Date('2026-02-28T16:00:00Z')).daysCounted).toBe(1);
    expect(monthWindow('2026-03', new Date('2026-02-28T15:59:59Z')).daysCounted).toBe(0);
  });
});
