import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { north } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { createAuditRepo } from '../../platform/audit/audit.repo.js';
import { createChangeRunner, systemPrincipal } from '../../platform/change.js';
import type { OpenIncidentInput } from './incident-sources.js';
import { shanghaiDay } from './incidents.service.js';

let t: TestApp;
let inHongta: [number, number];
let inJiangchuan: [number, number];
/** Points in separate grids of 红塔区, one per test that needs a place of its own. */
let hongtaGrids: [number, number][];
/** A part of SafeForest opening incidents, as a source module does inside its own change. */
let openAs: (input: OpenIncidentInput) => ReturnType<TestApp['services']['incidentsService']['openIn']>;

const point = (coordinates: [number, number]) => ({ type: 'Point', coordinates });
const phoneCall = (coordinates: [number, number], extra: Record<string, unknown> = {}) => ({
  category: 'illegal_logging',
  title: '群众来电：有人砍伐林木',
  description: '报警人称听到电锯声',
  location: point(coordinates),
  source: 'phone',
  reporterName: '张先生',
  reporterPhone: '13800000001',
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  inHongta = await t.pointIn('53040200101');
  inJiangchuan = await t.pointIn('530403');
  const hongta = await t.unit('530402');
  const { rows } = await t.database.pool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(area) AS p, code FROM org_units
      WHERE kind = 'grid' AND path LIKE $1 AND code <> '53040200101') q ORDER BY code LIMIT 8`,
    [`${hongta.path}%`],
  );
  hongtaGrids = rows.map((r) => [r.lon, r.lat]);
  const runChange = createChangeRunner({ db: t.database.db, auditRepo: createAuditRepo(), events: t.events });
  openAs = (input) =>
    runChange(systemPrincipal('system'), async (ctx) => {
      const opened = await t.services.incidentsService.openIn(ctx, input);
      ctx.audit({ action: 'test.source', entity: 'test', entityId: opened.id, orgUnitId: null });
      return opened;
    });
});
afterAll(() => t.close());

describe('recording an incident', () => {
  it('a duty officer records a phone call: 201 with a readable code, placed in county, township, grid and station', async () => {
    const res = await t.post('duty', '/api/incidents', phoneCall(inHongta));
    expect(res.statusCode).toBe(201);
    const incident = res.json();
    expect(incident).toMatchObject({
      status: 'new',
      countyCode: '530402',
      category: 'illegal_logging',
      categoryName: '盗伐滥伐林木',
      priority: 2,
      source: 'phone',
      linked: false,
      reporterPhone: '13800000001',
    });
    expect(incident.code).toMatch(new RegExp(`^JQ${shanghaiDay(new Date())}-\\d{4}$`));
    const grid = await t.unit('53040200101');
    expect(incident.gridId).toBe(grid.id);
    expect(incident.orgUnitId).toBe(grid.id);
    expect(incident.townshipId).not.toBeNull();
    expect(incident.stationId).not.toBeNull();
    expect(incident.timeline.map((e: { kind: string }) => e.kind)).toEqual(['opened']);
    expect(incident.reports).toHaveLength(1);
    const detail = (await t.get('hongta', `/api/incidents/${incident.id}`)).json();
    expect(detail).toMatchObject({ id: incident.id, code: incident.code, reporterName: '张先生' });
  });

  it('codes run on in sequence through the day', async () => {
    const a = (await t.post('duty', '/api/incidents', phoneCall(inJiangchuan, { category: 'dispute', title: '林权纠纷' }))).json();
    const b = (await t.post('duty', '/api/incidents', phoneCall(inJiangchuan, { category: 'public_order', title: '治安' }))).json();
    const seq = (code: string) => Number(code.split('-')[1]);
    expect(seq(b.code)).toBe(seq(a.code) + 1);
  });

  it('concurrent openings never share a code', async () => {
    const categories = ['rescue', 'other', 'wildlife', 'land_occupation', 'forest_fire'];
    const opened = await Promise.all(
      categories.map((category, i) =>
        openAs({ category, title: `并发 ${i}`, location: north(inJiangchuan, 2000 * i), source: 'camera', sourceRef: `cam-${i}` }),
      ),
    );
    expect(new Set(opened.map((o) => o.code)).size).toBe(categories.length);
  });

  it('the category’s default priority applies unless one is given; unknown categories are a 400 on body.category', async () => {
    const fire = (await t.post('duty', '/api/incidents', phoneCall(hongtaGrids[0], { category: 'forest_fire', title: '冒烟' }))).json();
    expect(fire.priority).toBe(1);
    const given = await t.post('duty', '/api/incidents', phoneCall(hongtaGrids[1], { category: 'dispute', priority: 2 }));
    expect(given.json().priority).toBe(2);
    const unknown = await t.post('duty', '/api/incidents', phoneCall(inHongta, { category: 'volcano' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toBe('body.category');
  });

  it('a typed-in place outside Yuxi is refused on body.location; an automatic source outside belongs to the city', async () => {
    const res = await t.post('duty', '/api/incidents', phoneCall([100.2, 26.8]));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.location');
    const sos = await openAs({ category: 'rescue', title: '越界 SOS', location: [100.2, 26.8], source: 'sos', sourceRef: 'outside-1' });
    const root = await t.unit('530400');
    const seen = (await t.get('duty', `/api/incidents/${sos.id}`)).json();
    expect(seen).toMatchObject({ orgUnitId: root.id, countyCode: null });
    expect((await t.get('hongta', `/api/incidents/${sos.id}`)).statusCode).toBe(404);
  });

  it('a county officer records only in their own county', async () => {
    const res = await t.post('hongta', '/api/incidents', phoneCall(inJiangchuan));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.location');
    expect((await t.post('hongta', '/api/incidents', phoneCall(hongtaGrids[2], { category: 'wildlife' }))).statusCode).toBe(201);
  });
});

describe('repeats are linked, not duplicated', () => {
  it('a second call within 500 m and 2 h of an open incident of the same category is linked to it', async () => {
    const here = hongtaGrids[3];
    const first = (await t.post('duty', '/api/incidents', phoneCall(here, { category: 'land_occupation', title: '有人挖林地' }))).json();
    const again = await t.post(
      'duty',
      '/api/incidents',
      phoneCall(north(here, 300), { category: 'land_occupation', title: '又一人报同一处' }),
    );
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ id: first.id, code: first.code, linked: true, reportCount: 2 });
    expect(again.json().timeline.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'report_linked']);
    // Farther than 500 m, another category, or more than 2 h apart: each opens its own.
    const far = (await t.post('duty', '/api/incidents', phoneCall(north(here, 800), { category: 'land_occupation' }))).json();
    expect(far.linked).toBe(false);
    const other = (await t.post('duty', '/api/incidents', phoneCall(north(here, 100), { category: 'wildlife' }))).json();
    expect(other.linked).toBe(false);
    const later = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const late = (
      await t.post('duty', '/api/incidents', phoneCall(north(here, 100), { category: 'land_occupation', reportedAt: later }))
    ).json();
    expect(late.linked).toBe(false);
  });

  it('a tip-off near an open incident links; a camera alarm nearby does not (it carries its own reference)', async () => {
    const here = hongtaGrids[4];
    const call = (await t.post('duty', '/api/incidents', phoneCall(here, { category: 'wildlife', title: '捕鸟网' }))).json();
    const tip = await openAs({ category: 'wildlife', title: '举报捕鸟', location: north(here, 200), source: 'tipoff', sourceRef: 'TIP-1' });
    expect(tip).toEqual({ id: call.id, code: call.code, linked: true });
    const camera = await openAs({
      category: 'wildlife',
      title: '摄像头',
      location: north(here, 100),
      source: 'camera',
      sourceRef: 'CAM-9',
    });
    expect(camera.linked).toBe(false);
  });

  it('the same source and reference links to the open incident, until it is closed', async () => {
    const here = north(inJiangchuan, 10_000);
    const a = await openAs({ category: 'forest_fire', title: '热点群', location: here, source: 'hotspot', sourceRef: 'cluster-7' });
    const b = await openAs({
      category: 'forest_fire',
      title: '热点群',
      location: north(here, 3000),
      source: 'hotspot',
      sourceRef: 'cluster-7',
    });
    expect(b).toEqual({ id: a.id, code: a.code, linked: true });
    expect((await t.post('duty', `/api/incidents/${a.id}/status`, { status: 'false_alarm', note: '农事用火' })).statusCode).toBe(200);
    const c = await openAs({ category: 'forest_fire', title: '热点群', location: here, source: 'hotspot', sourceRef: 'cluster-7' });
    expect(c.linked).toBe(false);
  });
});
