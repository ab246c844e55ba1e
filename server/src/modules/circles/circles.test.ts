import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitWithArea, metresPerDegreeLat, north } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { createCirclesRepo } from './circles.repo.js';

let t: TestApp;
let city: { id: number; path: string };
let hongta: { id: number; path: string };
let jiangchuan: { id: number; path: string };
/** A constructed county: the rectangle 100.0–100.5°E × 20.0–20.5°N, far from Yuxi, whose border lengths are known. */
let square: { id: number; path: string };
const WEST = 100;
const SOUTH = 20;
const MID: [number, number] = [WEST, 20.25];
const repo = createCirclesRepo();

/** Metres along a parallel per degree of longitude at `lat` (WGS 84). */
const metresPerDegreeLon = (lat: number) => {
  const phi = (lat * Math.PI) / 180;
  return 111_412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi);
};
/** The point `metres` due west of `p` (short steps: along the parallel). */
const west = (p: [number, number], metres: number): [number, number] => [p[0] - metres / metresPerDegreeLon(p[1]), p[1]];

const gapsOf = (points: [number, number][], distanceM = 10_000) => repo.gaps(t.database.db, square.id, points, distanceM);
const total = (gaps: { lengthM: number }[]) => gaps.reduce((s, g) => s + g.lengthM, 0);

/** A site registered through the API as the admin; answers its id. */
async function createSite(as: string, body: Record<string, unknown>) {
  const res = await t.post(as, '/api/sites', { status: 'in_service', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const circleOf = async (as: string, id: number, query = '') => {
  const res = await t.get(as, `/api/circles/${id}${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  t = await createTestApp();
  city = await t.unit('530400');
  hongta = await t.unit('530402');
  jiangchuan = await t.unit('530403');
  square = await createUnitWithArea(t, city.id, 'county', '测试县', [WEST, SOUTH, WEST + 0.5, SOUTH + 0.5]);
});
afterAll(() => t.close());

describe('gaps on a border of known length', () => {
  it('a border without an active checkpoint is one gap as long as the border', async () => {
    const { borderLengthM, gaps } = await gapsOf([]);
    // Two meridian edges of 0.5° and two parallels of 0.5° at 20° and 20.5° (as geodesics, a little shorter).
    const meridians = 2 * 0.5 * metresPerDegreeLat(20.25);
    expect(borderLengthM).toBeGreaterThan(meridians + 2 * 0.5 * metresPerDegreeLon(20.5) - 200);
    expect(borderLengthM).toBeLessThan(meridians + 2 * 0.5 * metresPerDegreeLon(20) + 200);
    expect(gaps).toHaveLength(1);
    expect(gaps[0].lengthM).toBeCloseTo(borderLengthM, -1);
  });

  it('a checkpoint on the border covers the distance either way along it', async () => {
    const { borderLengthM, gaps } = await gapsOf([MID]);
    expect(gaps).toHaveLength(1);
    expect(Math.abs(borderLengthM - total(gaps) - 20_000)).toBeLessThan(20);
  });

  it('a checkpoint 6 km off the border covers a chord of 2 × 8 km', async () => {
    const { borderLengthM, gaps } = await gapsOf([west(MID, 6_000)]);
    expect(Math.abs(borderLengthM - total(gaps) - 16_000)).toBeLessThan(30);
  });

  it('overlapping checkpoints count their union once, and a farther distance covers more', async () => {
    const { borderLengthM, gaps } = await gapsOf([MID, north(MID, 15_000)]);
    expect(gaps).toHaveLength(1);
    expect(Math.abs(borderLengthM - total(gaps) - 35_000)).toBeLessThan(20);
    const wider = await gapsOf([MID], 20_000);
    expect(Math.abs(wider.borderLengthM - total(wider.gaps) - 40_000)).toBeLessThan(20);
  });

  it('checkpoints far apart leave two gaps, each with its own length', async () => {
    const corner: [number, number] = [WEST + 0.5, SOUTH + 0.5];
    const { borderLengthM, gaps } = await gapsOf([MID, corner]);
    expect(gaps).toHaveLength(2);
    // The far corner covers 10 km along each of its two edges.
    expect(Math.abs(borderLengthM - total(gaps) - 40_000)).toBeLessThan(20);
    for (const gap of gaps) {
      expect(gap.geometry.type).toBe('LineString');
      // The place to close it lies inside the square, 300 m from the border (a geodesic: the
      // edges along parallels bow up to ~20 m poleward, so this is measured by PostGIS).
      const [lon, lat] = gap.deployAt ?? [0, 0];
      expect(lon > WEST && lon < WEST + 0.5 && lat > SOUTH && lat < SOUTH + 0.5).toBe(true);
      const [fromBorder] = await repo.distancesToBorder(t.database.db, square.id, [[lon, lat]]);
      expect(Math.abs(fromBorder - 300)).toBeLessThan(3);
    }
  });
});

describe('the circles of the demo territory', () => {
  it('the city sees the city ring and every county ring, with members, coverage and gaps', async () => {
    const res = await t.get('city', '/api/circles');
    expect(res.statusCode, res.body).toBe(200);
    const { items, gapDistanceM } = res.json();
    expect(gapDistanceM).toBe(10_000);
    const levels = items.map((c: { level: string }) => c.level);
    expect(levels.filter((l: string) => l === 'city')).toHaveLength(1);
    expect(levels.filter((l: string) => l === 'county').length).toBeGreaterThanOrEqual(9);
    const cityRing = items.find((c: { level: string }) => c.level === 'city');
    expect(cityRing.unitCode).toBe('530400');
    expect(cityRing.members.length).toBeGreaterThan(3);
    expect(cityRing.coveragePercent).toBeGreaterThan(0);
    expect(cityRing.coveragePercent).toBeLessThan(100);
    expect(cityRing.gaps.type).toBe('FeatureCollection');
    expect(cityRing.gaps.features.length).toBeGreaterThan(0);
    const gapSum = cityRing.gaps.features.reduce((s: number, f: { properties: { lengthM: number } }) => s + f.properties.lengthM, 0);
    expect(Math.abs(gapSum - cityRing.gapLengthM)).toBeLessThan(cityRing.gaps.features.length + 1);
    expect(cityRing.coveragePercent).toBeCloseTo((1 - cityRing.gapLengthM / cityRing.borderLengthM) * 100, 0);
  });

  it('the demo rings hold the border checkpoints, with one mobile checkpoint deployed and one idle', async () => {
    const { items } = (await t.get('city', '/api/circles')).json();
    const mobileOf = (code: string) =>
      items.find((c: { unitCode: string }) => c.unitCode === code).members.filter((m: { kind: string }) => m.kind === 'mobile_checkpoint');
    expect(mobileOf('530427').some((m: { active: boolean; deployment: unknown }) => m.active && m.deployment)).toBe(true);
    expect(mobileOf('530426').some((m: { active: boolean }) => !m.active)).toBe(true);
    for (const ring of items.filter((c: { unitCode: string }) => /^5304\d\d$/.test(c.unitCode)))
      expect(ring.members.length, ring.unitCode).toBeGreaterThan(0);
  });

  it('a county sees the city ring and its own, not another county’s', async () => {
    const { items } = (await t.get('hongta', '/api/circles')).json();
    expect(items.map((c: { unitCode: string }) => c.unitCode).sort()).toEqual(['530400', '530402']);
    const cityRing = items.find((c: { unitCode: string }) => c.unitCode === '530400');
    expect(cityRing.canManage).toBe(false);
    // Other counties' members of the city ring count, unnamed.
    const full = (await t.get('city', `/api/circles/${city.id}`)).json();
    expect(
      cityRing.members.every((m: { orgUnitName: string }) =>
        full.members.some((f: { orgUnitName: string }) => f.orgUnitName === m.orgUnitName),
      ),
    ).toBe(true);
    expect(cityRing.members.length + cityRing.membersElsewhere.total).toBe(full.members.length);
    expect(cityRing.coveragePercent).toBe(full.coveragePercent);
    expect(items.find((c: { unitCode: string }) => c.unitCode === '530402').canManage).toBe(true);
    expect((await t.get('hongta', `/api/circles/${jiangchuan.id}`)).statusCode).toBe(404);
    const detail = await circleOf('hongta', hongta.id);
    expect(detail.boundary.geometry.type).toBe('MultiLineString');
  });

  it('the police read the rings but keep no members; a ranger sees none', async () => {
    expect((await t.get('police1', '/api/circles')).statusCode).toBe(200);
    expect((await t.post('police1', `/api/circles/${hongta.id}/members`, { siteIds: [] })).statusCode).toBe(403);
    expect((await t.get('ranger1', '/api/circles')).statusCode).toBe(403);
  });

  it('a county cannot change the city ring', async () => {
    const { items } = (await t.get('hongta', '/api/circles')).json();
    const own = items.find((c: { unitCode: string }) => c.unitCode === '530402');
    const res = await t.post('hongta', `/api/circles/${city.id}/members`, { siteIds: [own.members[0].siteId] });
    expect(res.statusCode).toBe(403);
    expect((await t.del('hongta', `/api/circles/${city.id}/members/${own.members[0].siteId}`)).statusCode).toBe(403);
  });

  it('rejects bad input with the field named', async () => {
    const bad = await t.get('city', '/api/circles?at=2026-02-30T00:00:00');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('querystring.at');
    expect((await t.get('city', '/api/circles?distanceKm=0.1')).statusCode).toBe(400);
    const notUuid = await t.post('city', `/api/circles/${city.id}/members`, { siteIds: ['nope'] });
    expect(notUuid.statusCode).toBe(400);
    expect(JSON.stringify(notUuid.json())).toContain('body.siteIds.0');
    expect((await t.get('city', '/api/circles/999999')).statusCode).toBe(404);
  });

  it('proposes the county’s checkpoints near its border, marking those already members', async () => {
    const res = await t.get('hongta', `/api/circles/${hongta.id}/proposal`);
    expect(res.statusCode, res.body).toBe(200);
    const { items, proposalDistanceM } = res.json();
    expect(proposalDistanceM).toBe(5_000);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.distanceM).toBeLessThanOrEqual(5_000);
    expect(items.every((i: { member: boolean }) => i.member)).toBe(true);
  });

  it('the coverage indicator answers a county’s ring and nothing for a township', async () => {
    const year = new Date().getFullYear();
    const indicator = async (unit: string) => {
      const res = await t.get('city', `/api/assessment/indicators?unit=${unit}&year=${year}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.find((i: { key: string }) => i.key === 'circle_coverage_percent');
    };
    const ring = await circleOf('city', hongta.id);
    const county = await indicator('530402');
    expect(county.unit).toBe('percent');
    expect(county.value).toBe(ring.coveragePercent);
    expect(county.basis.records).toBe(ring.members.length);
    expect((await indicator('530402001')).value).toBeNull();
  });
});

describe('members and mobile deployments', () => {
  let mobile: string;
  let police: string;
  let timber: string;

  beforeAll(async () => {
    const common = {
      orgUnitId: square.id,
      address: '测试',
      phone: '0877-1234567',
      personInCharge: '测试',
      staffCount: 3,
      dutyHours: '全天',
    };
    mobile = await createSite('admin', {
      ...common,
      name: '测试流动检查点',
      kind: 'mobile_checkpoint',
      location: { type: 'Point', coordinates: [100.25, 20.25] },
      activeFrom: '2026-01-01T00:00:00+08:00',
      activeTo: '2027-12-31T00:00:00+08:00',
    });
    timber = await createSite('admin', {
      ...common,
      name: '测试木材检查站',
      kind: 'timber_checkpoint',
      grade: 1,
      location: { type: 'Point', coordinates: west([WEST + 0.5, 20.25], 100) },
    });
    police = await createSite('admin', {
      ...common,
      name: '测试派出所',
      kind: 'police_station',
      location: { type: 'Point', coordinates: [100.2, 20.2] },
    });
  });

  it('only checkpoints of the ring’s unit become members', async () => {
    const res = await t.post('admin', `/api/circles/${square.id}/members`, { siteIds: [police] });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('body.siteIds.0');
    const other = await t.post('admin', `/api/circles/${hongta.id}/members`, { siteIds: [timber] });
    expect(other.statusCode).toBe(400);
    const { items } = (await t.get('jiangchuan', '/api/circles')).json();
    const jc = items.find((c: { unitCode: string }) => c.unitCode === '530403');
    // Another county's checkpoint is not found for hongta.
    expect((await t.post('hongta', `/api/circles/${hongta.id}/members`, { siteIds: [jc.members[0].siteId] })).statusCode).toBe(404);
  });

  it('a mobile member counts only while deployed, at its deployment, and a past instant shows the past', async () => {
    const before = await t.post('admin', `/api/circles/${square.id}/members`, { siteIds: [mobile, timber, timber] });
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json().added).toBe(2);
    const idle = await circleOf('admin', square.id);
    expect(idle.members).toHaveLength(2);
    expect(idle.members.find((m: { siteId: string }) => m.siteId === mobile).active).toBe(false);
    // The timber checkpoint 100 m inside the east edge covers ~20 km of it.
    expect(idle.borderLengthM - idle.gapLengthM).toBeGreaterThan(19_900);
    expect(idle.borderLengthM - idle.gapLengthM).toBeLessThan(20_100);

    const start = new Date(Date.now() - 60_000);
    const end = new Date(Date.now() + 3_600_000);
    const socket = await t.listen('admin', ['circles']);
    const deployed = await t.post('admin', '/api/circles/deployments', {
      siteId: mobile,
      location: { type: 'Point', coordinates: MID },
      from: start.toISOString(),
      to: end.toISOString(),
      note: '测试布设',
    });
    expect(deployed.statusCode, deployed.body).toBe(201);
    expect(deployed.json().status).toBe('under_way');
    await socket.settle();
    expect(socket.received.some((m) => m.type === 'circle.changed' && m.circleId === square.id)).toBe(true);
    socket.close();

    // The clock's own transitions (announced by the module's timer) find the start, not yet the end.
    const moved = await repo.transitions(t.database.db, new Date(start.getTime() - 1000), new Date(start.getTime() + 1000));
    expect(moved.filter((m) => m.id === deployed.json().id).map((m) => m.started)).toEqual([true]);
    expect((await repo.transitions(t.database.db, new Date(end.getTime() - 1000), end)).map((m) => m.started)).toEqual([false]);

    const now = await circleOf('admin', square.id);
    const member = now.members.find((m: { siteId: string }) => m.siteId === mobile);
    expect(member.active).toBe(true);
    expect(member.location.coordinates).toEqual(MID);
    expect(now.borderLengthM - now.gapLengthM).toBeGreaterThan(39_900);
    expect(now.coveragePercent).toBeGreaterThan(idle.coveragePercent);

    const past = await circleOf('admin', square.id, `?at=${encodeURIComponent(new Date(start.getTime() - 60_000).toISOString())}`);
    expect(past.coveragePercent).toBe(idle.coveragePercent);

    const overlap = await t.post('admin', '/api/circles/deployments', {
      siteId: mobile,
      location: { type: 'Point', coordinates: [100.3, 20.3] },
      from: new Date(Date.now() + 60_000).toISOString(),
      to: new Date(Date.now() + 7_200_000).toISOString(),
    });
    expect(overlap.statusCode).toBe(409);

    const ended = await t.post('admin', `/api/circles/deployments/${deployed.json().id}/end`, { version: 1 });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().status).toBe('ended');
    expect((await t.post('admin', `/api/circles/deployments/${deployed.json().id}/end`, { version: 2 })).statusCode).toBe(409);
    expect((await circleOf('admin', square.id)).coveragePercent).toBe(idle.coveragePercent);

    const audit = await t.database.pool.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY at`, [deployed.json().id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['mobile_deployment.create', 'mobile_deployment.end']);
  });

  it('a deployment that has not begun is cancelled (audited, listed no more); one that has begun is not', async () => {
    const at = (d: number) => new Date(Date.now() + d).toISOString();
    const planned = await t.post('admin', '/api/circles/deployments', {
      siteId: mobile,
      location: { type: 'Point', coordinates: MID },
      from: at(86_400_000),
      to: at(90_000_000),
    });
    expect(planned.statusCode, planned.body).toBe(201);
    expect(planned.json().status).toBe('planned');
    const id = planned.json().id;
    const listed = (await t.get('admin', `/api/circles/deployments?siteId=${mobile}&status=planned`)).json();
    expect(listed.items.map((d: { id: string }) => d.id)).toContain(id);
    // Ending is for one under way; another county, a stale version and a bad id are refused.
    expect((await t.post('admin', `/api/circles/deployments/${id}/end`, { version: 1 })).statusCode).toBe(409);
    expect((await t.post('jiangchuan', `/api/circles/deployments/${id}/cancel`, { version: 1 })).statusCode).toBe(404);
    expect((await t.post('admin', `/api/circles/deployments/${id}/cancel`, { version: 7 })).statusCode).toBe(409);
    expect((await t.post('admin', '/api/circles/deployments/not-a-uuid/cancel', { version: 1 })).json().error.details[0].path).toBe(
      'params.id',
    );
    expect((await t.post('admin', `/api/circles/deployments/${id}/cancel`, {})).json().error.details[0].path).toBe('body.version');
    const watching = await t.listen('admin', ['circles']);
    const elsewhere = await t.listen('jiangchuan', ['circles']);
    const cancelled = await t.post('admin', `/api/circles/deployments/${id}/cancel`, { version: 1 });
    expect(cancelled.statusCode, cancelled.body).toBe(204);
    await watching.settle();
    await elsewhere.settle();
    expect(watching.received.filter((m) => m.type === 'circle.changed')).toEqual([
      expect.objectContaining({ circleId: square.id, change: 'deployment_cancelled' }),
    ]);
    expect(elsewhere.received.filter((m) => m.type === 'circle.changed')).toEqual([]);
    watching.close();
    elsewhere.close();
    expect((await t.get('admin', `/api/circles/deployments?siteId=${mobile}`)).json().items.map((d: { id: string }) => d.id)).not.toContain(
      id,
    );
    expect((await t.post('admin', `/api/circles/deployments/${id}/cancel`, { version: 1 })).statusCode).toBe(404);
    const audit = await t.database.pool.query(`SELECT action, before FROM audit_log WHERE entity_id = $1 ORDER BY at`, [id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['mobile_deployment.create', 'mobile_deployment.cancel']);
    expect(audit.rows[1].before).toMatchObject({ siteId: mobile, status: 'planned' });

    // One that has begun (here the one ended above) is not cancelled.
    const begun = (await t.get('admin', `/api/circles/deployments?siteId=${mobile}&status=ended`)).json().items[0];
    expect(begun).toBeDefined();
    expect((await t.post('admin', `/api/circles/deployments/${begun.id}/cancel`, { version: begun.version })).statusCode).toBe(409);
  });

  it('a deployment is of a mobile checkpoint, within its period and its unit, its end after its start', async () => {
    const at = (d: number) => new Date(Date.now() + d).toISOString();
    const base = { siteId: mobile, location: { type: 'Point', coordinates: [100.25, 20.25] }, from: at(0), to: at(3_600_000) };
    const cases: [Record<string, unknown>, string][] = [
      [{ siteId: timber }, 'body.siteId'],
      [{ to: at(-1) }, 'body.to'],
      [{ to: '2029-01-01T00:00:00+08:00' }, 'body.to'],
      [{ location: { type: 'Point', coordinates: [102.5, 24.3] } }, 'body.location'],
      [{ from: '2026-13-01T00:00:00' }, 'body.from'],
      [{ note: 'a\u0000b' }, 'body'],
    ];
    for (const [change, field] of cases) {
      const res = await t.post('admin', '/api/circles/deployments', { ...base, ...change });
      expect(res.statusCode, JSON.stringify(change)).toBe(400);
      expect(JSON.stringify(res.json()), JSON.stringify(change)).toContain(field);
    }
    // Another county's checkpoint is not found.
    expect((await t.post('hongta', '/api/circles/deployments', base)).statusCode).toBe(404);
  });

  it('removing a member is audited and told to the ring’s viewers only', async () => {
    const own = await t.listen('hongta', ['circles']);
    const other = await t.listen('jiangchuan', ['circles']);
    const { members } = await circleOf('hongta', hongta.id);
    const siteId = members[0].siteId;
    expect((await t.del('hongta', `/api/circles/${hongta.id}/members/${siteId}`)).statusCode).toBe(204);
    expect((await t.del('hongta', `/api/circles/${hongta.id}/members/${siteId}`)).statusCode).toBe(404);
    await own.settle();
    await other.settle();
    expect(own.received.filter((m) => m.type === 'circle.changed')).toHaveLength(1);
    expect(other.received.filter((m) => m.type === 'circle.changed')).toHaveLength(0);
    expect((await t.post('hongta', `/api/circles/${hongta.id}/members`, { siteIds: [siteId] })).json().added).toBe(1);
    own.close();
    other.close();
  });

  it('the gap distance is a setting, and a query may ask for another', async () => {
    const wide = await circleOf('admin', square.id, '?distanceKm=20');
    expect(wide.gapDistanceM).toBe(20_000);
    const put = await t.request('admin', {
      method: 'PUT',
      url: '/api/circles/settings',
      payload: { gapDistanceM: 20_000, proposalDistanceM: 5_000 },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await circleOf('admin', square.id)).coveragePercent).toBe(wide.coveragePercent);
    expect((await t.request('hongta', { method: 'PUT', url: '/api/circles/settings', payload: { gapDistanceM: 1000 } })).statusCode).toBe(
      403,
    );
    await t.request('admin', { method: 'PUT', url: '/api/circles/settings', payload: { gapDistanceM: 10_000, proposalDistanceM: 5_000 } });
  });
});
