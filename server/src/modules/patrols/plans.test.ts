import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatrol, createRanger } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { isoWeekStart } from './patrols.schema.js';

let t: TestApp;
let grid: { id: number; name: string };
let township: { id: number };
let jiangchuanGrid: { id: number };

beforeAll(async () => {
  t = await createTestApp();
  grid = await t.unit('53040200102');
  township = await t.unit('530402001');
  jiangchuanGrid = await t.unit('53040300101');
});
afterAll(() => t.close());

describe('patrol plans per grid', () => {
  it('a county sets a grid’s plan and changes it; the grid keeps one plan', async () => {
    const first = await t.request('hongta', {
      method: 'PUT',
      url: '/api/patrol-plans',
      payload: { orgUnitId: grid.id, patrolsPerWeek: 3, minHoursPerPatrol: 2, note: '防火期加密' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ orgUnitId: grid.id, orgUnitName: grid.name, townshipName: '玉兴街道', patrolsPerWeek: 3 });
    const second = await t.request('hongta', {
      method: 'PUT',
      url: '/api/patrol-plans',
      payload: { orgUnitId: grid.id, patrolsPerWeek: 5 },
    });
    expect(second.json()).toMatchObject({ id: first.json().id, patrolsPerWeek: 5, minHoursPerPatrol: 2, note: null });
    const list = (await t.get('hongta', '/api/patrol-plans')).json();
    expect(list.items.filter((p: { orgUnitId: number }) => p.orgUnitId === grid.id)).toHaveLength(1);
    expect((await t.get('jiangchuan', '/api/patrol-plans')).json().items).toEqual([]);
    const audit = await t.database.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'patrol_plan.put'`);
    expect(audit.rows[0].n).toBe(2);
  });

  it('refuses a township, another county’s grid, and out-of-range numbers, naming the field', async () => {
    const put = (as: string | null, payload: unknown) =>
      t.request(as, { method: 'PUT', url: '/api/patrol-plans', payload: payload as object });
    expect((await put('hongta', { orgUnitId: township.id, patrolsPerWeek: 3 })).json().error.details).toEqual([
      { path: 'body.orgUnitId', message: 'patrol plans are set per grid' },
    ]);
    expect((await put('hongta', { orgUnitId: jiangchuanGrid.id, patrolsPerWeek: 3 })).json().error.details[0].path).toBe('body.orgUnitId');
    expect((await put('hongta', { orgUnitId: grid.id, patrolsPerWeek: 22 })).json().error.details[0].path).toBe('body.patrolsPerWeek');
    expect((await put('hongta', { orgUnitId: grid.id, patrolsPerWeek: 2, minHoursPerPatrol: 0 })).json().error.details[0].path).toBe(
      'body.minHoursPerPatrol',
    );
    expect((await put('duty', { orgUnitId: grid.id, patrolsPerWeek: 3 })).statusCode).toBe(403);
    expect((await put(null, { orgUnitId: grid.id, patrolsPerWeek: 3 })).statusCode).toBe(401);
  });
});

describe('compliance with the plan in a week', () => {
  it('counts the grid’s patrols that ended in the ISO week and lasted the minimum', async () => {
    await t.request('hongta', {
      method: 'PUT',
      url: '/api/patrol-plans',
      payload: { orgUnitId: grid.id, patrolsPerWeek: 3, minHoursPerPatrol: 2 },
    });
    const ranger = await createRanger(t, grid.id);
    // 2025-W10 runs from Monday 2025-03-03 00:00 to Monday 2025-03-10 00:00, China Standard Time.
    const patrols: [string, string][] = [
      ['2025-03-03T08:00:00+08:00', '2025-03-03T11:00:00+08:00'], // 3 h: counts
      ['2025-03-09T21:00:00+08:00', '2025-03-09T23:30:00+08:00'], // 2.5 h on Sunday night: counts
      ['2025-03-05T08:00:00+08:00', '2025-03-05T09:00:00+08:00'], // 1 h: too short
      ['2025-03-09T23:00:00+08:00', '2025-03-10T01:30:00+08:00'], // ends in the next week
      ['2025-03-02T20:00:00+08:00', '2025-03-02T23:59:00+08:00'], // the week before
    ];
    for (const [from, to] of patrols) {
      const durationS = (Date.parse(to) - Date.parse(from)) / 1000;
      await createPatrol(t, { rangerId: ranger.id, orgUnitId: grid.id, startedAt: from, endedAt: to, durationS });
    }
    const res = await t.get('hongta', '/api/patrol-plans/compliance?week=2025-W10');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.from).toBe('2025-03-02T16:00:00.000Z');
    expect(body.to).toBe('2025-03-09T16:00:00.000Z');
    expect(body.items.find((i: { orgUnitId: number }) => i.orgUnitId === grid.id)).toEqual({
      orgUnitId: grid.id,
      orgUnitName: grid.name,
      townshipName: '玉兴街道',
      planned: 3,
      minHoursPerPatrol: 2,
      done: 2,
      met: false,
    });
    expect((await t.get('jiangchuan', '/api/patrol-plans/compliance?week=2025-W10')).json().items).toEqual([]);
  });

  it('refuses a malformed or non-existent week', async () => {
    for (const week of ['2025-10', '2025-W54', '2025-W53', '2025-W00']) {
      const res = await t.get('hongta', `/api/patrol-plans/compliance?week=${week}`);
      expect(res.statusCode, week).toBe(400);
      expect(res.json().error.details[0].path).toBe('querystring.week');
    }
    expect((await t.get('hongta', '/api/patrol-plans/compliance?week=2026-W53')).statusCode).toBe(200);
  });

  it('finds the Monday of ISO weeks across year ends', () => {
    expect(isoWeekStart('2026-W01')?.toISOString()).toBe('2025-12-28T16:00:00.000Z'); // Monday 2025-12-29
    expect(isoWeekStart('2021-W01')?.toISOString()).toBe('2021-01-03T16:00:00.000Z'); // Monday 2021-01-04
    expect(isoWeekStart('2020-W53')?.toISOString()).toBe('2020-12-27T16:00:00.000Z');
    expect(isoWeekStart('2021-W53')).toBeNull();
  });
});
