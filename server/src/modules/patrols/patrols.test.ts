import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDeviceState, createRanger, insertFixes, north, pointIn, rangerOfAccount, type TestRanger } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import type { PatrolsService } from './patrols.service.js';

let t: TestApp;
let ranger: TestRanger;
let service: PatrolsService;
let hongta: { id: number; path: string };

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

beforeAll(async () => {
  t = await createTestApp();
  ranger = await rangerOfAccount(t, 'ranger1');
  hongta = await t.unit('530402');
  // The app's own service: the one the ingest pipeline and the demo simulation call.
  service = t.services.patrolsService;
});
afterAll(() => t.close());

/** Ends whatever patrol the ranger has open and moves their patrols three days back, so each test starts clean. */
async function endOpenPatrols(rangerId: string) {
  await t.database.pool.query(
    `UPDATE patrols SET ended_at = COALESCE(ended_at, started_at) - interval '3 days', started_at = started_at - interval '3 days'
     WHERE ranger_id = $1`,
    [rangerId],
  );
}

describe('a ranger on patrol', () => {
  it('starts a patrol in their assigned area, cannot start a second, and ends it with the track from their fixes', async () => {
    await endOpenPatrols(ranger.id);
    const startedAt = minutesAgo(120);
    const start = await t.post('ranger1', '/api/patrols/start', { at: startedAt.toISOString(), note: '例行巡护' });
    expect(start.statusCode).toBe(201);
    const patrol = start.json();
    expect(patrol).toMatchObject({
      rangerId: ranger.id,
      orgUnitId: ranger.orgUnitId,
      openedBy: 'ranger',
      active: true,
      endedAt: null,
      note: '例行巡护',
      track: null,
      checkins: [],
    });
    expect(new Date(patrol.startedAt).getTime()).toBe(startedAt.getTime());

    const second = await t.post('ranger1', '/api/patrols/start', {});
    expect(second.statusCode).toBe(409);
    expect(second.json().error.details).toEqual({ patrolId: patrol.id });

    // Three fixes 1 km apart due north: the track is 2 km. An invalid fix and a fix before the
    // start are left out.
    const a = await pointIn(t, ranger.orgUnitId);
    const b = north(a, 1000);
    const c = north(b, 1000);
    await insertFixes(t, ranger, [
      { at: minutesAgo(130), lon: a[0] + 0.05, lat: a[1] },
      { at: minutesAgo(100), lon: a[0], lat: a[1] },
      { at: minutesAgo(90), lon: a[0] + 0.2, lat: a[1] + 0.2, valid: false },
      { at: minutesAgo(80), lon: b[0], lat: b[1] },
      { at: minutesAgo(60), lon: c[0], lat: c[1] },
    ]);

    const current = (await t.get('ranger1', '/api/patrols/current')).json().patrol;
    expect(current.id).toBe(patrol.id);
    expect(current.track.coordinates).toHaveLength(3);
    expect(current.distanceM).toBeGreaterThan(1980);

    const end = await t.post('ranger1', `/api/patrols/${patrol.id}/end`, {});
    expect(end.statusCode).toBe(200);
    const ended = end.json();
    expect(ended.active).toBe(false);
    expect(ended.distanceM).toBeGreaterThan(2000 * 0.99);
    expect(ended.distanceM).toBeLessThan(2000 * 1.01);
    expect(Math.abs(ended.durationS - 7200)).toBeLessThan(30);
    expect(ended.track).toEqual({
      type: 'LineString',
      coordinates: [a, b, c].map(([x, y]) => [expect.closeTo(x, 6), expect.closeTo(y, 6)]),
    });
    expect((await t.get('ranger1', '/api/patrols/current')).json()).toEqual({ patrol: null });

    const stored = await t.database.pool.query('SELECT distance_m, ST_NPoints(track) AS points FROM patrols WHERE id = $1', [patrol.id]);
    expect(stored.rows[0].points).toBe(3);
    const again = await t.post('ranger1', `/api/patrols/${patrol.id}/end`, {});
    expect(again.statusCode).toBe(409);
    const audit = await t.database.pool.query('SELECT action, actor_name FROM audit_log WHERE entity_id = $1 ORDER BY at', [patrol.id]);
    expect(audit.rows).toEqual([
      { action: 'patrol.start', actor_name: 'ranger1' },
      { action: 'patrol.end', actor_name: 'ranger1' },
    ]);
  });

  it('an end before the start, a start in the future or before the previous end is a 400 on body.at', async () => {
    await endOpenPatrols(ranger.id);
    const future = await t.post('ranger1', '/api/patrols/start', { at: new Date(Date.now() + 3600_000).toISOString() });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.details[0].path).toBe('body.at');
    const { rows } = await t.database.pool.query<{ ended_at: Date }>('SELECT max(ended_at) AS ended_at FROM patrols WHERE ranger_id = $1', [
      ranger.id,
    ]);
    const overlapping = await t.post('ranger1', '/api/patrols/start', { at: new Date(rows[0].ended_at.getTime() - 60_000).toISOString() });
    expect(overlapping.statusCode).toBe(400);
    expect(overlapping.json().error.details[0].path).toBe('body.at');

    const patrol = (await t.post('ranger1', '/api/patrols/start', {})).json();
    const early = await t.post('ranger1', `/api/patrols/${patrol.id}/end`, { at: minutesAgo(600).toISOString() });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details[0].path).toBe('body.at');
    expect((await t.post('ranger1', `/api/patrols/${patrol.id}/end`)).statusCode).toBe(200);
  });

  it('an account that is not a ranger cannot start a patrol', async () => {
    expect((await t.post('hongta', '/api/patrols/start', {})).statusCode).toBe(403);
    const admin = await t.post('admin', '/api/patrols/start', {});
    expect(admin.statusCode).toBe(403);
    expect(admin.json().error.message).toBe('This account is not linked to a ranger');
    expect((await t.post(null, '/api/patrols/start', {})).statusCode).toBe(401);
  });

  it('a ranger cannot end another ranger’s patrol (404) nor read the officers’ lists (403)', async () => {
    const other = await createRanger(t, ranger.orgUnitId);
    const [id] = await service.openByMovement([other.id], minutesAgo(30)).then((p) => p.map((x) => x.id));
    expect((await t.post('ranger1', `/api/patrols/${id}/end`, {})).statusCode).toBe(404);
    expect((await t.get('ranger1', '/api/patrols')).statusCode).toBe(403);
    expect((await t.get('ranger1', `/api/patrols/${id}`)).statusCode).toBe(403);
  });
});

describe('officers following patrols', () => {
  let patrolId: string;
  beforeAll(async () => {
    await endOpenPatrols(ranger.id);
    patrolId = (await t.post('ranger1', '/api/patrols/start', { at: minutesAgo(45).toISOString() })).json().id;
  });

  it('the county sees the active patrol in its list and with its track so far', async () => {
    const list = (await t.get('hongta', `/api/patrols?state=active&rangerId=${ranger.id}`)).json();
    expect(list.items.map((p: { id: string }) => p.id)).toEqual([patrolId]);
    expect(list.items[0]).toMatchObject({ rangerName: ranger.name, active: true, distanceM: null });
    expect(list.items[0].durationS).toBeGreaterThanOrEqual(45 * 60 - 5);
    const detail = await t.get('hongta', `/api/patrols/${patrolId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().durationS).toBeGreaterThanOrEqual(45 * 60 - 5);
    const ended = (await t.get('hongta', `/api/patrols?state=ended&rangerId=${ranger.id}`)).json();
    expect(ended.items.every((p: { active: boolean }) => !p.active)).toBe(true);
    const inUnit = (await t.get('city', `/api/patrols?orgUnitId=${hongta.id}&pageSize=100`)).json();
    expect(inUnit.items.map((p: { id: string }) => p.id)).toContain(patrolId);
    const before = (
      await t.get('hongta', `/api/patrols?to=${encodeURIComponent(minutesAgo(600).toISOString())}&rangerId=${ranger.id}`)
    ).json();
    expect(before.items.map((p: { id: string }) => p.id)).not.toContain(patrolId);
  });

  it("a county officer cannot see another county's patrols: 404 on read and end, absent from lists", async () => {
    expect((await t.get('jiangchuan', `/api/patrols/${patrolId}`)).statusCode).toBe(404);
    expect((await t.post('jiangchuan', `/api/patrols/${patrolId}/end`, {})).statusCode).toBe(404);
    const list = (await t.get('jiangchuan', '/api/patrols?pageSize=500')).json();
    expect(list.items.map((p: { id: string }) => p.id)).not.toContain(patrolId);
    expect((await t.get('jiangchuan', `/api/patrols?orgUnitId=${hongta.id}`)).statusCode).toBe(404);
  });

  it('a forest police station commanding the ranger from another county sees the patrol', async () => {
    const { rows } = await t.database.pool.query<{ id: number }>(
      `SELECT s.id FROM org_units s JOIN org_units c ON s.path LIKE c.path || '%' WHERE c.code = '530403' AND s.kind = 'police_station' LIMIT 1`,
    );
    await t.database.pool.query('UPDATE rangers SET commanding_unit_id = $1 WHERE id = $2', [rows[0].id, ranger.id]);
    expect((await t.get('jiangchuan', `/api/patrols/${patrolId}`)).statusCode).toBe(200);
    const list = (await t.get('jiangchuan', '/api/patrols?state=active&pageSize=500')).json();
    expect(list.items.map((p: { id: string }) => p.id)).toContain(patrolId);
    await t.database.pool.query('UPDATE rangers SET commanding_unit_id = NULL WHERE id = $1', [ranger.id]);
    expect((await t.get('jiangchuan', `/api/patrols/${patrolId}`)).statusCode).toBe(404);
  });

  it('an officer with patrols:write ends a ranger’s patrol; one without it is refused', async () => {
    expect((await t.post('liaison1', `/api/patrols/${patrolId}/end`, {})).statusCode).toBe(403);
    const res = await t.post('hongta', `/api/patrols/${patrolId}/end`, { note: '已电话确认收队' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ active: false, note: '已电话确认收队' });
  });

  it('bad filters and ids are 400s with the field', async () => {
    const cases: [string, string][] = [
      ['/api/patrols?state=paused', 'querystring.state'],
      ['/api/patrols?rangerId=42', 'querystring.rangerId'],
      ['/api/patrols?from=yesterday', 'querystring.from'],
      ['/api/patrols?pageSize=0', 'querystring.pageSize'],
      ['/api/patrols/not-a-uuid', 'params.id'],
    ];
    for (const [url, path] of cases) {
      const res = await t.get('hongta', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details[0].path).toBe(path);
    }
    const res = await t.post('hongta', `/api/patrols/${patrolId}/end`, { at: 'soon' });
    expect(res.json().error.details).toEqual([{ path: 'body.at', message: 'expected a date-time such as 2026-03-01T08:30:00+08:00' }]);
  });
});

describe('patrols opened and closed by the pipeline', () => {
  it('opens a movement patrol for rangers without one, as the system, and tells the county live', async () => {
    const live = await t.listen('hongta', ['patrols']);
    const elsewhere = await t.listen('jiangchuan', ['patrols']);
    const moving = await createRanger(t, ranger.orgUnitId);
    await endOpenPatrols(ranger.id);
    await t.post('ranger1', '/api/patrols/start', {});
    const opened = await service.openByMovement([moving.id, ranger.id, moving.id], minutesAgo(5));
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ rangerId: moving.id, openedBy: 'movement', active: true });
    expect(await service.openByMovement([moving.id], new Date())).toEqual([]);
    const audit = await t.database.pool.query('SELECT action, actor_name FROM audit_log WHERE entity_id = $1', [opened[0].id]);
    expect(audit.rows).toEqual([{ action: 'patrol.open_by_movement', actor_name: 'system' }]);
    await expect.poll(() => live.received.filter((m) => m.type === 'patrol.started').length).toBeGreaterThanOrEqual(2);
    expect(live.received.at(-1)).toMatchObject({ topic: 'patrols', patrol: { id: opened[0].id, openedBy: 'movement' } });
    await elsewhere.settle();
    expect(elsewhere.received).toEqual([]);
    live.close();
    elsewhere.close();
  });

  it('closes patrols whose ranger has been silent too long, at the last fix, with the track', async () => {
    const silent = await createRanger(t, ranger.orgUnitId);
    const talking = await createRanger(t, ranger.orgUnitId);
    const [silentPatrol] = await service.openByMovement([silent.id], minutesAgo(180));
    const [talkingPatrol] = await service.openByMovement([talking.id], minutesAgo(180));
    const a = await pointIn(t, ranger.orgUnitId);
    const b = north(a, 500);
    const lastFixAt = minutesAgo(150);
    await insertFixes(t, silent, [
      { at: minutesAgo(170), lon: a[0], lat: a[1] },
      { at: lastFixAt, lon: b[0], lat: b[1] },
    ]);
    await insertFixes(t, talking, [{ at: minutesAgo(2), lon: a[0], lat: a[1] }]);
    await createDeviceState(t, { deviceId: silent.deviceId, rangerId: silent.id, at: lastFixAt, lon: a[0], lat: a[1] });
    await createDeviceState(t, { deviceId: talking.deviceId, rangerId: talking.id, at: minutesAgo(2), lon: a[0], lat: a[1] });
    const closed = await service.closeIdle(30, new Date());
    const ids = closed.map((p) => p.id);
    expect(ids).toContain(silentPatrol.id);
    expect(ids).not.toContain(talkingPatrol.id);
    const patrol = (await t.get('hongta', `/api/patrols/${silentPatrol.id}`)).json();
    expect(new Date(patrol.endedAt).getTime()).toBe(lastFixAt.getTime());
    expect(patrol.distanceM).toBeGreaterThan(495);
    expect(patrol.distanceM).toBeLessThan(505);
    expect(Math.abs(patrol.durationS - 30 * 60)).toBeLessThan(60);
    const audit = await t.database.pool.query('SELECT action, actor_name FROM audit_log WHERE entity_id = $1 ORDER BY at', [
      silentPatrol.id,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(['patrol.open_by_movement', 'patrol.close_idle']);
    expect(await service.closeIdle(30, new Date())).not.toContainEqual(expect.objectContaining({ id: silentPatrol.id }));
  });
});

describe('patrols from the real ingest and the analyzer pass', () => {
  /** A device's unique id and a sender of OsmAnd fixes for it. */
  async function phoneOf(r: TestRanger) {
    const { rows } = await t.database.pool.query('SELECT unique_id FROM devices WHERE id = $1', [r.deviceId]);
    return (at: Date, [lon, lat]: [number, number]) =>
      t.get(null, `/api/ingest/osmand?id=${rows[0].unique_id}&lat=${lat}&lon=${lon}&timestamp=${at.toISOString()}`);
  }
  const activePatrols = async (rangerId: string) =>
    (await t.database.pool.query('SELECT opened_by FROM patrols WHERE ranger_id = $1 AND ended_at IS NULL', [rangerId])).rows;

  it('a ranger walking in the assigned area gets a patrol opened by movement; standing still or with the setting off, none', async () => {
    const walker = await createRanger(t, ranger.orgUnitId);
    const standing = await createRanger(t, ranger.orgUnitId);
    const a = await pointIn(t, ranger.orgUnitId);
    const [walk, stand] = [await phoneOf(walker), await phoneOf(standing)];
    // A first fix is no movement; 10 m is within the 50 m immobility radius; 200 m is movement.
    for (const [send, to] of [
      [stand, a],
      [stand, north(a, 10)],
      [walk, a],
    ] as const)
      expect((await send(minutesAgo(3), to)).statusCode).toBe(200);
    expect(await activePatrols(walker.id)).toEqual([]);
    await walk(minutesAgo(2), north(a, 200));
    await expect.poll(() => activePatrols(walker.id)).toEqual([{ opened_by: 'movement' }]);
    expect(await activePatrols(standing.id)).toEqual([]);

    const settings = (await t.get('admin', '/api/settings/analyzers')).json();
    await t.request('admin', { method: 'PUT', url: '/api/settings/analyzers', payload: { ...settings, movementOpensPatrol: false } });
    // The pipeline asks for an opening before it answers the fix: had it asked, the call would be here.
    const opening = vi.spyOn(service, 'openByMovement');
    try {
      await stand(minutesAgo(1), north(a, 300));
      expect(opening).not.toHaveBeenCalled();
      expect(await activePatrols(standing.id)).toEqual([]);
    } finally {
      opening.mockRestore();
      await t.request('admin', { method: 'PUT', url: '/api/settings/analyzers', payload: settings });
    }
  });

  it('the analyzer pass closes a patrol whose ranger sent nothing for the setting’s minutes', async () => {
    const quiet = await createRanger(t, ranger.orgUnitId);
    const [patrol] = await service.openByMovement([quiet.id], minutesAgo(200));
    const a = await pointIn(t, ranger.orgUnitId);
    await (await phoneOf(quiet))(minutesAgo(199), a);
    // Heard of 120 minutes ago: past the default 90.
    await t.database.pool.query('UPDATE device_states SET server_time = $2 WHERE device_id = $1', [quiet.deviceId, minutesAgo(120)]);
    await t.network.analyzeOnce();
    expect(await activePatrols(quiet.id)).toEqual([]);
    expect((await t.get('hongta', `/api/patrols/${patrol.id}`)).json()).toMatchObject({ active: false });
  });
});
