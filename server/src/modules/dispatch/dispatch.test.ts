import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeviceState, createPatrol, createRanger, north, type TestRanger } from '../../../test/factories.js';
import { type RangerPhoneApp, rangerPhoneApp } from '../../../test/ranger-phone.js';
import { navigationLinks } from './dispatch.schema.js';

let s: RangerPhoneApp;
/** The incident of 红塔区 every test works on, at a point of ranger1's grid. */
let incident: { id: string; code: string };
let at: [number, number];
let hongtaPath: string;
/** 红塔区 rangers: heard 20 minutes ago beside the incident; on patrol 3 km away; off patrol 250 m away. */
let offline: TestRanger;
let onPatrol: TestRanger;
let nearOffDuty: TestRanger;
/** A 江川区 ranger 300 m from the incident (over the county line of scope, not of the map). */
let foreignRanger: TestRanger;
let hongtaPost: string;
/** The ranger of a second ranger account (no live position). */
let ranger2: TestRanger;
let foreignPost: string;

const suggestions = async (as: string, id = incident.id, query = '') => s.t.get(as, `/api/incidents/${id}/suggestions${query}`);
const dispatch = (as: string, units: unknown, extra: Record<string, unknown> = {}, id = incident.id) =>
  s.t.post(as, `/api/incidents/${id}/dispatch`, { units, ...extra });
const myAssignments = async (as = 'ranger1') => (await s.t.get(as, '/api/me/assignments')).json().items;
const incidentOf = async (id = incident.id) => (await s.t.get('duty', `/api/incidents/${id}`)).json();

beforeAll(async () => {
  s = await rangerPhoneApp();
  const { t } = s;
  at = s.inGrid;
  hongtaPath = (await t.unit('530402')).path;
  await t.addAccount('jcpolice', ['incidents:read', 'incidents:write', 'incidents:dispatch'], '530403');
  const created = await t.post('police1', '/api/incidents', {
    category: 'forest_fire',
    title: '调度测试火情',
    location: { type: 'Point', coordinates: at },
    placeText: '调度测试地点',
    source: 'phone',
  });
  expect(created.statusCode, created.body).toBe(201);
  incident = created.json();

  const grid = await t.unit('53040200101');
  const now = new Date();
  offline = await createRanger(t, grid.id, { name: '离线护林员' });
  await createDeviceState(t, {
    deviceId: offline.deviceId,
    rangerId: offline.id,
    lon: at[0],
    lat: at[1],
    at: new Date(Date.now() - 20 * 60_000),
  });
  onPatrol = await createRanger(t, grid.id, { name: '巡护中护林员' });
  const [pLon, pLat] = north(at, 3000);
  await createDeviceState(t, { deviceId: onPatrol.deviceId, rangerId: onPatrol.id, lon: pLon, lat: pLat, at: now });
  await createPatrol(t, { rangerId: onPatrol.id });
  nearOffDuty = await createRanger(t, grid.id, { name: '附近护林员' });
  const [nLon, nLat] = north(at, 250);
  await createDeviceState(t, { deviceId: nearOffDuty.deviceId, rangerId: nearOffDuty.id, lon: nLon, lat: nLat, at: now });
  foreignRanger = await createRanger(t, (await t.unit('53040300101')).id, { name: '江川护林员' });
  const [fLon, fLat] = north(at, -300);
  await createDeviceState(t, { deviceId: foreignRanger.deviceId, rangerId: foreignRanger.id, lon: fLon, lat: fLat, at: now });

  // ranger1's phone reports 1.5 km north of the incident.
  expect((await s.fix(new Date(), north(at, 1500))).statusCode).toBe(200);

  const site = async (name: string, code: string, point: [number, number]) => {
    const { rows } = await t.database.pool.query<{ id: string }>(
      `INSERT INTO sites (name, kind, org_unit_id, location) SELECT $1, 'police_post', id, ST_SetSRID(ST_MakePoint($3, $4), 4326)
       FROM org_units WHERE code = $2 RETURNING id`,
      [name, code, point[0], point[1]],
    );
    return rows[0].id;
  };
  hongtaPost = await site('调度测试警务室', '530402', north(at, 600));
  // Registered to 江川区 though it stands near the incident: only a scope covering 江川区 may see it.
  foreignPost = await site('江川测试警务室', '530403', north(at, -400));
});
afterAll(() => s?.t.close());

describe('suggestions', () => {
  it('lists online rangers and stations, posts and checkpoints of the scope, nearest first, with travel estimates', async () => {
    const res = await suggestions('police1');
    expect(res.statusCode, res.body).toBe(200);
    const { items, travel } = res.json();
    expect(travel).toEqual({ detourFactor: 1.4, walkingKmh: 4, drivingKmh: 30 });
    const distances = items.map((i: { distanceM: number }) => i.distanceM);
    expect(distances).toEqual([...distances].sort((x, y) => x - y));
    const near = items.find((i: { id: string }) => i.id === nearOffDuty.id);
    expect(near).toMatchObject({ kind: 'ranger', name: '附近护林员', onDuty: false, unitTypeLabel: expect.any(String) });
    expect(Math.abs(near.distanceM - 250)).toBeLessThanOrEqual(2);
    // 250 m × 1.4 at 4 km/h = 5.25 min; at 30 km/h under a minute (at least 1).
    expect(near).toMatchObject({ walkMinutes: 5, driveMinutes: 1 });
    expect(items.find((i: { id: string }) => i.id === s.rangerId)).toMatchObject({ kind: 'ranger', onDuty: expect.any(Boolean) });
    expect(items.find((i: { id: string }) => i.id === onPatrol.id)).toMatchObject({ onDuty: true });
    expect(items.find((i: { id: string }) => i.id === hongtaPost)).toMatchObject({
      kind: 'site',
      unitType: 'police_post',
      unitTypeLabel: expect.any(String),
    });
    expect(items.filter((i: { kind: string }) => i.kind === 'site').length).toBeGreaterThan(0);
  });

  it('leaves out rangers not heard within 10 minutes', async () => {
    const { items } = (await suggestions('duty', incident.id, '?limit=50')).json();
    expect(items.map((i: { id: string }) => i.id)).not.toContain(offline.id);
  });

  it('always lists the nearest rangers on patrol, even when others off patrol are nearer', async () => {
    const { items } = (await suggestions('police1', incident.id, '?limit=1')).json();
    const rangers = items.filter((i: { kind: string }) => i.kind === 'ranger');
    expect(rangers).toHaveLength(1);
    expect(rangers[0]).toMatchObject({ onDuty: true });
    expect(rangers[0].id).not.toBe(nearOffDuty.id);
  });

  it('a county never gets another county’s rangers or sites; the city does; another county’s incident is 404', async () => {
    const own = (await suggestions('police1', incident.id, '?limit=50')).json().items as { id: string; orgUnitId: number }[];
    const ids = own.map((i) => i.id);
    expect(ids).not.toContain(foreignRanger.id);
    expect(ids).not.toContain(foreignPost);
    const { rows } = await s.t.database.pool.query<{ id: number }>('SELECT id FROM org_units WHERE path LIKE $1', [`${hongtaPath}%`]);
    const inHongta = new Set(rows.map((r) => r.id));
    // A ranger is in scope by the unit assigned (or the station commanding); every one listed here is 红塔区's.
    expect(own.every((i) => inHongta.has(i.orgUnitId))).toBe(true);
    const city = (await suggestions('duty', incident.id, '?limit=50')).json().items.map((i: { id: string }) => i.id);
    expect(city).toContain(foreignRanger.id);
    expect(city).toContain(foreignPost);
    expect((await suggestions('jcpolice')).statusCode).toBe(404);
    expect((await suggestions('police1', '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('refuses other roles and bad queries', async () => {
    // A county office follows its incidents and may see who is nearest; it cannot send them (below).
    expect((await suggestions('hongta')).statusCode).toBe(200);
    expect((await suggestions('ranger1')).statusCode).toBe(403);
    expect((await suggestions('checkpoint1')).statusCode).toBe(403);
    expect((await suggestions(null as unknown as string)).statusCode).toBe(401);
    const bad = await suggestions('police1', incident.id, '?limit=0');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain('limit');
    expect((await s.t.get('police1', '/api/incidents/not-a-uuid/suggestions')).statusCode).toBe(400);
  });
});

describe('dispatch and unit status', () => {
  let rangerAssignment: string;
  let siteAssignment: string;

  it('refuses unknown and foreign units, NUL bytes, repeats and other roles, naming the field', async () => {
    const unknown = await dispatch('police1', [{ kind: 'ranger', id: '00000000-0000-4000-8000-000000000000' }]);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.details).toEqual([{ path: 'body.units.0.id', message: 'not found' }]);
    const foreign = await dispatch('police1', [
      { kind: 'site', id: hongtaPost },
      { kind: 'ranger', id: foreignRanger.id },
    ]);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.details[0].path).toBe('body.units.1.id');
    expect((await dispatch('police1', [{ kind: 'site', id: foreignPost }])).statusCode).toBe(404);
    const nul = await dispatch('police1', [{ kind: 'site', id: hongtaPost }], { note: 'a\u0000b' });
    expect(nul.statusCode).toBe(400);
    expect(JSON.stringify(nul.json())).toContain('note');
    const kind = await dispatch('police1', [{ kind: 'truck', id: hongtaPost }]);
    expect(kind.statusCode).toBe(400);
    expect(JSON.stringify(kind.json().error.details)).toContain('body.units.0.kind');
    expect((await dispatch('police1', [])).statusCode).toBe(400);
    const twice = await dispatch('police1', [
      { kind: 'site', id: hongtaPost },
      { kind: 'site', id: hongtaPost },
    ]);
    expect(twice.statusCode).toBe(400);
    expect((await dispatch('hongta', [{ kind: 'site', id: hongtaPost }])).statusCode).toBe(403);
    expect((await dispatch('ranger1', [{ kind: 'site', id: hongtaPost }])).statusCode).toBe(403);
    expect((await dispatch('jcpolice', [{ kind: 'site', id: foreignPost }])).statusCode).toBe(404);
    // Nothing was sent by any of these.
    expect((await s.t.get('police1', `/api/incidents/${incident.id}/assignments`)).json().items).toEqual([]);
    expect((await incidentOf()).status).toBe('new');
  });

  it('sends a ranger and a post: the incident becomes dispatched, the timeline and the socket of its scope say so', async () => {
    const duty = await s.t.listen('duty', ['incidents']);
    const other = await s.t.listen('jcpolice', ['incidents']);
    const res = await dispatch(
      'police1',
      [
        { kind: 'ranger', id: s.rangerId },
        { kind: 'site', id: hongtaPost },
      ],
      { note: '携带灭火器' },
    );
    expect(res.statusCode, res.body).toBe(200);
    const [ranger, post] = res.json().items;
    expect(ranger).toMatchObject({ unitKind: 'ranger', unitId: s.rangerId, status: 'assigned', statusLabel: '已派出', note: '携带灭火器' });
    // The sphere of PostGIS geography distances against the ellipsoid `north` steps on: within 0.5 %.
    expect(Math.abs(ranger.distanceM - 1500)).toBeLessThanOrEqual(8);
    expect(post).toMatchObject({ unitKind: 'site', unitId: hongtaPost, status: 'assigned', unitName: '调度测试警务室' });
    rangerAssignment = ranger.id;
    siteAssignment = post.id;

    const detail = await incidentOf();
    expect(detail.status).toBe('dispatched');
    expect(detail.dispatchedAt).not.toBeNull();
    const sent = detail.timeline.filter((e: { kind: string }) => e.kind === 'assignment');
    expect(sent.map((e: { text: string }) => e.text)).toEqual([
      expect.stringContaining('派出护林员'),
      expect.stringContaining('派出站点 调度测试警务室'),
    ]);
    await expect.poll(() => duty.received.filter((m) => m.type === 'incident.assignment').length).toBe(2);
    expect(duty.received.find((m) => m.type === 'incident.assignment')).toMatchObject({ change: 'dispatched', incidentId: incident.id });
    await other.settle();
    expect(other.received).toEqual([]);
    // The same unit again while its assignment is open: a conflict.
    const again = await dispatch('police1', [{ kind: 'site', id: hongtaPost }]);
    expect(again.statusCode).toBe(409);
    // The suggestions now say who is on it.
    const listed = (await suggestions('police1')).json().items.find((i: { id: string }) => i.id === hongtaPost);
    expect(listed).toMatchObject({ assignedHere: 'assigned', openAssignments: 1 });
    duty.close();
    other.close();
  });

  it('the ranger sees their own assignment with the incident and navigation links; other rangers do not', async () => {
    const items = await myAssignments();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: rangerAssignment,
      status: 'assigned',
      incident: {
        id: incident.id,
        code: incident.code,
        category: 'forest_fire',
        title: '调度测试火情',
        placeText: '调度测试地点',
        location: { type: 'Point' },
      },
    });
    expect(items[0].incident.priority).toEqual(expect.any(Number));
    expect(items[0].navigation).toEqual(navigationLinks(at, '调度测试地点'));
    expect(items[0].navigation.geo).toBe(
      `geo:${at[1].toFixed(6)},${at[0].toFixed(6)}?q=${at[1].toFixed(6)},${at[0].toFixed(6)}(${encodeURIComponent('调度测试地点')})`,
    );
    expect(items[0].navigation.amap).toContain(`position=${at[0].toFixed(6)},${at[1].toFixed(6)}`);

    await s.t.addAccount('ranger2', ['incidents:self'], '53040200101');
    const { rows } = await s.t.database.pool.query<{ id: string }>("SELECT id FROM users WHERE username = 'ranger2'");
    ranger2 = await createRanger(s.t, (await s.t.unit('53040200101')).id, { name: '第二护林员', userId: rows[0].id });
    expect(await myAssignments('ranger2')).toEqual([]);
    const foreign = await s.t.post('ranger2', `/api/me/assignments/${rangerAssignment}/status`, { status: 'accepted' });
    expect(foreign.statusCode).toBe(404);
    expect((await s.t.post('ranger1', `/api/me/assignments/${siteAssignment}/status`, { status: 'accepted' })).statusCode).toBe(404);
    expect((await s.t.get('police1', '/api/me/assignments')).statusCode).toBe(403);
  });

  it('the ranger accepts; wrong steps, a missing reason and a stale version are refused', async () => {
    const post = (body: unknown) => s.t.post('ranger1', `/api/me/assignments/${rangerAssignment}/status`, body);
    const done = await post({ status: 'done' });
    expect(done.statusCode).toBe(409);
    expect(done.json().error.details).toMatchObject({ status: 'assigned' });
    const noReason = await post({ status: 'declined' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details).toEqual([expect.objectContaining({ path: 'body.reason' })]);
    expect((await post({ status: 'accepted', version: 7 })).statusCode).toBe(409);
    expect((await post({ status: 'accepted\u0000' })).statusCode).toBe(400);
    const accepted = await post({ status: 'accepted', version: 1 });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', version: 2, acceptedAt: expect.any(String) });
    // An officer does not report a ranger's status for them.
    const byOfficer = await s.t.post('police1', `/api/incidents/${incident.id}/assignments/${rangerAssignment}/status`, {
      status: 'en_route',
    });
    expect(byOfficer.statusCode).toBe(409);
  });

  it('arrives when a fix through the OsmAnd endpoint comes within 200 m: on scene, the incident too, live', async () => {
    const duty = await s.t.listen('duty', ['incidents']);
    // Still 1.5 km away: nothing happens.
    expect((await s.fix(new Date(), north(at, 1400))).statusCode).toBe(200);
    const still = (await s.t.get('police1', `/api/incidents/${incident.id}/assignments`)).json().items;
    expect(still.find((a: { id: string }) => a.id === rangerAssignment).status).toBe('accepted');
    // Within 200 m. The detector follows the acceptance through the event bus; fixes keep coming as a phone's do.
    let arrived: { status: string; arrivalSource: string | null; onSceneAt: string | null } | undefined;
    for (let i = 0; i < 50 && arrived?.status !== 'on_scene'; i++) {
      expect((await s.fix(new Date(Date.now() + i * 1000), north(at, 120))).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      const list = await s.t.get('police1', `/api/incidents/${incident.id}/assignments`);
      arrived = list.json().items.find((a: { id: string }) => a.id === rangerAssignment);
    }
    expect(arrived).toMatchObject({ status: 'on_scene', arrivalSource: 'position', onSceneAt: expect.any(String) });
    const detail = await incidentOf();
    expect(detail.status).toBe('on_scene');
    expect(detail.firstOnSceneAt).not.toBeNull();
    expect(detail.timeline.some((e: { kind: string; text: string }) => e.kind === 'assignment' && e.text.includes('定位'))).toBe(true);
    await expect
      .poll(() => duty.received.find((m) => m.type === 'incident.assignment' && m.change === 'arrived'))
      .toMatchObject({ incidentId: incident.id, assignment: { id: rangerAssignment, status: 'on_scene' } });
    const { rows } = await s.t.database.pool.query(
      "SELECT actor_name FROM audit_log WHERE action = 'incident_assignment.arrive' AND entity_id = $1",
      [rangerAssignment],
    );
    expect(rows).toEqual([{ actor_name: 'analyzer' }]);
    duty.close();
    // The ranger finishes; the assignment leaves the phone page's list.
    const done = await s.t.post('ranger1', `/api/me/assignments/${rangerAssignment}/status`, { status: 'done' });
    expect(done.statusCode).toBe(200);
    expect(await myAssignments()).toEqual([]);
  });

  it('officers report a post’s status; another county cannot', async () => {
    const url = `/api/incidents/${incident.id}/assignments/${siteAssignment}/status`;
    expect((await s.t.post('jcpolice', url, { status: 'en_route' })).statusCode).toBe(404);
    expect((await s.t.post('hongta', url, { status: 'en_route' })).statusCode).toBe(403);
    const res = await s.t.post('police1', url, { status: 'en_route' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await s.t.post('police1', url, { status: 'on_scene' })).json()).toMatchObject({
      status: 'on_scene',
      arrivalSource: 'reported',
    });
    const declined = await s.t.post('police1', url, { status: 'declined', reason: '已在现场' });
    expect(declined.statusCode).toBe(409);
  });

  it('a ranger declines with a reason, which the timeline keeps; nobody else can answer it', async () => {
    const sent = await dispatch('police1', [{ kind: 'ranger', id: ranger2.id }]);
    expect(sent.statusCode, sent.body).toBe(200);
    const [assignment] = sent.json().items;
    // No live position: sent without a distance.
    expect(assignment.distanceM).toBeNull();
    const url = `/api/me/assignments/${assignment.id}/status`;
    expect((await s.t.post('ranger1', url, { status: 'declined', reason: '不是我' })).statusCode).toBe(404);
    const res = await s.t.post('ranger2', url, { status: 'declined', reason: '车辆故障' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'declined', declineReason: '车辆故障', declinedAt: expect.any(String) });
    expect((await s.t.post('ranger2', url, { status: 'accepted' })).statusCode).toBe(409);
    const timeline = (await incidentOf()).timeline;
    expect(timeline.at(-1)).toMatchObject({ kind: 'assignment', by: 'ranger2', text: expect.stringContaining('车辆故障') });
    // Declined, the ranger can be sent again.
    expect((await dispatch('police1', [{ kind: 'ranger', id: ranger2.id }])).statusCode).toBe(200);
  });
});
