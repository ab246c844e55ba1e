import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { north, pointIn, rangerOfAccount, type TestRanger } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let ranger: TestRanger;
let here: [number, number];
let jiangchuanGrid: { id: number };

beforeAll(async () => {
  t = await createTestApp();
  ranger = await rangerOfAccount(t, 'ranger1');
  here = await pointIn(t, ranger.orgUnitId);
  jiangchuanGrid = await t.unit('53040300101');
});
afterAll(() => t.close());

const pointBody = (orgUnitId: number, coordinates: [number, number], extra: Record<string, unknown> = {}) => ({
  name: '瞭望塔打卡点',
  orgUnitId,
  location: { type: 'Point', coordinates },
  ...extra,
});

describe('check-in points', () => {
  it('an officer places a point inside a unit of the county; ranger and officer both see it', async () => {
    const res = await t.post('hongta', '/api/checkin-points', pointBody(ranger.orgUnitId, here));
    expect(res.statusCode).toBe(201);
    const point = res.json();
    expect(point).toMatchObject({ name: '瞭望塔打卡点', orgUnitId: ranger.orgUnitId, radiusM: 100 });
    for (const who of ['hongta', 'ranger1']) {
      const list = (await t.get(who, '/api/checkin-points')).json();
      expect(list.items.map((p: { id: string }) => p.id)).toContain(point.id);
    }
    expect((await t.get('jiangchuan', '/api/checkin-points')).json().items.map((p: { id: string }) => p.id)).not.toContain(point.id);
    expect((await t.get('liaison1', '/api/checkin-points')).statusCode).toBe(403);
    expect((await t.get(null, '/api/checkin-points')).statusCode).toBe(401);
  });

  it('refuses a point outside its unit’s area, in another county, or from an account without patrols:write', async () => {
    const outside = await t.post('hongta', '/api/checkin-points', pointBody(ranger.orgUnitId, [101.5, 23.5]));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.details[0].path).toBe('body.location');
    const foreign = await t.post('hongta', '/api/checkin-points', pointBody(jiangchuanGrid.id, await pointIn(t, jiangchuanGrid.id)));
    expect(foreign.json().error.details).toEqual([{ path: 'body.orgUnitId', message: 'no such org unit in your area' }]);
    expect((await t.post('ranger1', '/api/checkin-points', pointBody(ranger.orgUnitId, here))).statusCode).toBe(403);
    const radius = await t.post('hongta', '/api/checkin-points', pointBody(ranger.orgUnitId, here, { radiusM: 5 }));
    expect(radius.json().error.details[0].path).toBe('body.radiusM');
  });

  it('removes a point from use: gone from lists, 404 to another county', async () => {
    const point = (await t.post('hongta', '/api/checkin-points', pointBody(ranger.orgUnitId, here, { name: '临时点' }))).json();
    expect((await t.del('jiangchuan', `/api/checkin-points/${point.id}`)).statusCode).toBe(404);
    expect((await t.del('hongta', `/api/checkin-points/${point.id}`)).statusCode).toBe(204);
    expect((await t.get('hongta', '/api/checkin-points')).json().items.map((p: { id: string }) => p.id)).not.toContain(point.id);
    expect((await t.del('hongta', `/api/checkin-points/${point.id}`)).statusCode).toBe(404);
  });
});

describe('checking in on patrol', () => {
  let point: { id: string };
  let patrolId: string;
  beforeAll(async () => {
    point = (await t.post('hongta', '/api/checkin-points', pointBody(ranger.orgUnitId, here, { name: '水源地打卡点' }))).json();
    await t.database.pool.query('UPDATE patrols SET ended_at = now() WHERE ranger_id = $1 AND ended_at IS NULL', [ranger.id]);
    patrolId = (await t.post('ranger1', '/api/patrols/start', {})).json().id;
  });

  it('accepts a check-in within the radius and shows it on the patrol', async () => {
    const [lon, lat] = north(here, 50);
    const res = await t.post('ranger1', `/api/patrols/${patrolId}/checkins`, { pointId: point.id, lon, lat });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ pointId: point.id, pointName: '水源地打卡点', lon, lat });
    expect(res.json().distanceM).toBeCloseTo(50, 0);
    const patrol = (await t.get('hongta', `/api/patrols/${patrolId}`)).json();
    expect(patrol.checkins.map((c: { id: string }) => c.id)).toEqual([res.json().id]);
  });

  it('refuses a check-in farther than the radius, saying how far', async () => {
    const [lon, lat] = north(here, 123.3);
    const res = await t.post('ranger1', `/api/patrols/${patrolId}/checkins`, { pointId: point.id, lon, lat });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'body.lon', message: 'too far from the point (123 m > 100 m)' }]);
  });

  it("refuses a deleted or another county's point, and a time before the patrol", async () => {
    const gone = (await t.post('hongta', '/api/checkin-points', pointBody(ranger.orgUnitId, here))).json();
    await t.del('hongta', `/api/checkin-points/${gone.id}`);
    const res = await t.post('ranger1', `/api/patrols/${patrolId}/checkins`, { pointId: gone.id, lon: here[0], lat: here[1] });
    expect(res.json().error.details).toEqual([{ path: 'body.pointId', message: 'no such check-in point in your area' }]);
    const early = await t.post('ranger1', `/api/patrols/${patrolId}/checkins`, {
      pointId: point.id,
      lon: here[0],
      lat: here[1],
      at: new Date(Date.now() - 86_400_000).toISOString(),
    });
    expect(early.json().error.details[0].path).toBe('body.at');
  });

  it('only the ranger’s own active patrol takes check-ins', async () => {
    const body = { pointId: point.id, lon: here[0], lat: here[1] };
    expect((await t.post('hongta', `/api/patrols/${patrolId}/checkins`, body)).statusCode).toBe(403);
    expect((await t.post('ranger1', `/api/patrols/${crypto.randomUUID()}/checkins`, body)).statusCode).toBe(404);
    await t.post('ranger1', `/api/patrols/${patrolId}/end`, {});
    const ended = await t.post('ranger1', `/api/patrols/${patrolId}/checkins`, body);
    expect(ended.statusCode).toBe(409);
  });

  it('bad check-in bodies name the field', async () => {
    const cases: [unknown, string][] = [
      [{ lon: 102, lat: 24 }, 'body.pointId'],
      [{ pointId: point.id, lon: 200, lat: 24 }, 'body.lon'],
      [{ pointId: point.id, lon: 102, lat: 'north' }, 'body.lat'],
      [{ pointId: point.id, lon: 102, lat: 24, at: 'noon' }, 'body.at'],
    ];
    for (const [body, path] of cases) {
      const res = await t.post('ranger1', `/api/patrols/${patrolId}/checkins`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
  });
});
