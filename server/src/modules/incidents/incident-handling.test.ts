/** Handling an incident: status and its times, edits, notes and photos, merge and split, scope, the dictionary, bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFile, north } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { createAuditRepo } from '../../platform/audit/audit.repo.js';
import { createChangeRunner, type RunChange, systemPrincipal } from '../../platform/change.js';

let t: TestApp;
let runChange: RunChange;
/** Points in separate grids of 红塔区 (far enough apart that reports there never repeat each other). */
let grids: [number, number][];
let inJiangchuan: [number, number];
let spot = 0;

const call = (coordinates: [number, number], extra: Record<string, unknown> = {}) => ({
  category: 'public_order',
  title: '林区治安警情',
  location: { type: 'Point', coordinates },
  source: 'phone',
  reporterName: '王女士',
  reporterPhone: '13900000002',
  ...extra,
});
/** A new incident in its own grid of 红塔区, recorded by the duty officer. */
async function open(extra: Record<string, unknown> = {}) {
  const res = await t.post('duty', '/api/incidents', call(grids[spot++], extra));
  expect(res.statusCode).toBe(201);
  return res.json();
}
const setStatus = (as: string, id: string, body: Record<string, unknown>) => t.post(as, `/api/incidents/${id}/status`, body);
const detail = async (id: string, as = 'duty') => (await t.get(as, `/api/incidents/${id}`)).json();
const kinds = (d: { timeline: { kind: string }[] }) => d.timeline.map((e) => e.kind);

beforeAll(async () => {
  t = await createTestApp();
  const hongta = await t.unit('530402');
  const { rows } = await t.database.pool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(area) AS p, code FROM org_units
      WHERE kind = 'grid' AND path LIKE $1) q ORDER BY code LIMIT 30`,
    [`${hongta.path}%`],
  );
  grids = rows.map((r) => [r.lon, r.lat]);
  inJiangchuan = await t.pointIn('530403');
  runChange = createChangeRunner({ db: t.database.db, auditRepo: createAuditRepo(), events: t.events });
});
afterAll(() => t.close());

describe('status and the times it records', () => {
  it('moves along the legal path only, recording dispatched, first on scene, resolved and closed; response time is derived', async () => {
    const incident = await open();
    const dispatched = await setStatus('hongta', incident.id, { status: 'dispatched' });
    expect(dispatched.statusCode).toBe(200);
    expect(dispatched.json().dispatchedAt).not.toBeNull();
    expect(dispatched.json().responseSeconds).toBeNull();
    const onScene = (await setStatus('hongta', incident.id, { status: 'on_scene', note: '民警已到场' })).json();
    expect(onScene.firstOnSceneAt).not.toBeNull();
    const expected = Math.round((Date.parse(onScene.firstOnSceneAt) - Date.parse(onScene.reportedAt)) / 1000);
    expect(Math.abs(onScene.responseSeconds - expected)).toBeLessThanOrEqual(1);
    const back = await setStatus('hongta', incident.id, { status: 'dispatched' });
    expect(back.statusCode).toBe(409);
    expect(back.json().error.details).toEqual({ status: 'on_scene' });
    expect((await setStatus('hongta', incident.id, { status: 'closed' })).statusCode).toBe(409);
    expect((await setStatus('hongta', incident.id, { status: 'resolved' })).json().resolvedAt).not.toBeNull();
    const closed = (await setStatus('hongta', incident.id, { status: 'closed', note: '结案' })).json();
    expect(closed).toMatchObject({ status: 'closed' });
    expect(closed.closedAt).not.toBeNull();
    expect(kinds(closed)).toEqual(['opened', 'status', 'status', 'status', 'status']);
    expect(closed.timeline[2]).toMatchObject({ by: 'hongta', text: '民警已到场', data: { from: 'dispatched', to: 'on_scene' } });
    for (const status of ['resolved', 'false_alarm', 'dispatched'])
      expect((await setStatus('hongta', incident.id, { status })).statusCode).toBe(409);
    const { rows } = await t.database.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'incident.status' AND entity_id = $1",
      [incident.id],
    );
    expect(rows[0].n).toBe(4);
  });

  it('a false alarm is closed at once; new and merged are not statuses one sets', async () => {
    const incident = await open();
    const res = (await setStatus('duty', incident.id, { status: 'false_alarm', note: '误报' })).json();
    expect(res.status).toBe('false_alarm');
    expect(res.closedAt).not.toBeNull();
    for (const status of ['new', 'merged', 'gone']) {
      const bad = await setStatus('duty', incident.id, { status });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].path).toBe('body.status');
    }
  });

  it('advanceIn (the dispatch module) moves forward only and sets each time once', async () => {
    const incident = await open();
    const { incidentsService } = t.services;
    const advance = (to: 'dispatched' | 'on_scene', at: Date) =>
      runChange(systemPrincipal('system'), async (ctx) => {
        const row = await incidentsService.advanceIn(ctx, incident.id, to, at, 'dispatch-test');
        ctx.audit({ action: 'test.advance', entity: 'test', entityId: incident.id, orgUnitId: null });
        return row;
      });
    const arrived = new Date(Date.now() + 60_000);
    const onScene = await advance('on_scene', arrived);
    expect(onScene).toMatchObject({ status: 'on_scene', firstOnSceneAt: arrived, dispatchedAt: null });
    const later = await advance('dispatched', new Date(Date.now() + 120_000));
    expect(later.status).toBe('on_scene');
    expect(later.dispatchedAt).not.toBeNull();
    const again = await advance('on_scene', new Date(Date.now() + 180_000));
    expect(again.firstOnSceneAt).toEqual(arrived);
    const d = await detail(incident.id);
    expect(kinds(d)).toEqual(['opened', 'status']);
    expect(d.timeline[1]).toMatchObject({ by: 'dispatch-test', data: { from: 'new', to: 'on_scene' } });
  });
});

describe('editing', () => {
  it('a stale version is a 409 with the current version; a current one applies and is on the timeline', async () => {
    const incident = await open();
    const ok = await t.patch('hongta', `/api/incidents/${incident.id}`, { title: '改标题', priority: 1, version: incident.version });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ title: '改标题', priority: 1, version: incident.version + 1 });
    const stale = await t.patch('hongta', `/api/incidents/${incident.id}`, { title: '再改', version: incident.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details).toEqual({ currentVersion: incident.version + 1 });
    expect((await t.patch('hongta', `/api/incidents/${incident.id}`, { title: '无版本' })).json().error.details[0].path).toBe(
      'body.version',
    );
    expect(kinds(await detail(incident.id))).toEqual(['opened', 'updated']);
  });

  it('a new location re-places it; the county cannot move it out of its area; a closed one is not edited', async () => {
    const incident = await open();
    const far = await t.patch('hongta', `/api/incidents/${incident.id}`, {
      location: { type: 'Point', coordinates: inJiangchuan },
      version: 1,
    });
    expect(far.statusCode).toBe(400);
    expect(far.json().error.details[0].path).toBe('body.location');
    const moved = await t.patch('duty', `/api/incidents/${incident.id}`, {
      location: { type: 'Point', coordinates: inJiangchuan },
      version: 1,
    });
    expect(moved.json().countyCode).toBe('530403');
    expect(moved.json().gridId).not.toBe(incident.gridId);
    expect((await t.get('hongta', `/api/incidents/${incident.id}`)).statusCode).toBe(404);
    await setStatus('duty', incident.id, { status: 'false_alarm' });
    const closed = await t.patch('duty', `/api/incidents/${incident.id}`, { title: 'x', version: 3 });
    expect(closed.statusCode).toBe(409);
  });

  it('notes and photos go on the timeline; a photo of another county is refused on body.fileId', async () => {
    const incident = await open();
    const note = await t.post('hongta', `/api/incidents/${incident.id}/notes`, { text: '已联系村委会' });
    expect(note.json()).toMatchObject({ kind: 'note', by: 'hongta', text: '已联系村委会' });
    const own = await createFile(t, { orgUnitId: (await t.unit('530402')).id });
    const foreign = await createFile(t, { orgUnitId: (await t.unit('530403')).id });
    const bad = await t.post('hongta', `/api/incidents/${incident.id}/photos`, { fileId: foreign });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body.fileId');
    const added = await t.post('hongta', `/api/incidents/${incident.id}/photos`, { fileId: own });
    expect(added.json().photos).toMatchObject([{ fileId: own, addedBy: 'hongta' }]);
    expect((await t.post('hongta', `/api/incidents/${incident.id}/photos`, { fileId: own })).statusCode).toBe(409);
    expect(kinds(await detail(incident.id))).toEqual(['opened', 'note', 'photo']);
  });
});

describe('merge and split', () => {
  it('merging moves the reports and photos, marks it merged, and both timelines record it; repeats then link to the survivor', async () => {
    const a = await open({ category: 'wildlife', title: '电鱼' });
    // A tip-off with a tracking code of its own is linked to A before the merge.
    const tip = await runChange(systemPrincipal('system'), async (ctx) => {
      const linked = await t.services.incidentsService.openIn(ctx, {
        category: 'wildlife',
        title: '举报',
        location: a.location.coordinates,
        source: 'tipoff',
        sourceRef: 'TIP-MERGE',
      });
      ctx.audit({ action: 'test.source', entity: 'test', entityId: linked.id, orgUnitId: null });
      return linked;
    });
    expect(tip).toMatchObject({ id: a.id, linked: true });
    const b = await open({ category: 'wildlife', title: '电鱼（另一报警）' });
    const file = await createFile(t, { orgUnitId: (await t.unit('530402')).id });
    await t.post('duty', `/api/incidents/${a.id}/photos`, { fileId: file });
    const res = await t.post('duty', `/api/incidents/${a.id}/merge`, { intoId: b.id });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: b.id, reportCount: 3, photos: [{ fileId: file }] });
    expect(kinds(res.json())).toEqual(['opened', 'merged_from']);
    const merged = await detail(a.id);
    expect(merged).toMatchObject({ status: 'merged', mergedInto: b.id, reportCount: 0 });
    expect(kinds(merged)).toEqual(['opened', 'report_linked', 'photo', 'merged']);
    // The same tip-off again (its tracking code), even from far away, now links to B, where the report lives.
    const repeat = await runChange(systemPrincipal('system'), async (ctx) => {
      const opened = await t.services.incidentsService.openIn(ctx, {
        category: 'wildlife',
        title: '同一举报',
        location: grids[spot++],
        source: 'tipoff',
        sourceRef: 'TIP-MERGE',
      });
      ctx.audit({ action: 'test.source', entity: 'test', entityId: opened.id, orgUnitId: null });
      return opened;
    });
    expect(repeat).toMatchObject({ id: b.id, linked: true });
    // Merging again, into itself, or into a closed incident.
    expect((await t.post('duty', `/api/incidents/${a.id}/merge`, { intoId: b.id })).statusCode).toBe(409);
    expect((await t.post('duty', `/api/incidents/${b.id}/merge`, { intoId: b.id })).json().error.details[0].path).toBe('body.intoId');
    expect((await t.post('duty', `/api/incidents/${b.id}/merge`, { intoId: a.id })).statusCode).toBe(409);
  });

  it('splitting turns a linked report into an incident of its own', async () => {
    const first = await open({ category: 'rescue', title: '游客迷路' });
    const second = await t.post(
      'duty',
      '/api/incidents',
      call(north(first.location.coordinates, 200), { category: 'rescue', title: '另一游客受伤' }),
    );
    expect(second.json()).toMatchObject({ id: first.id, linked: true });
    const linked = second.json().reports.find((r: { primary: boolean }) => !r.primary);
    const primary = second.json().reports.find((r: { primary: boolean }) => r.primary);
    const notPrimary = await t.post('duty', `/api/incidents/${first.id}/split`, { reportId: primary.id });
    expect(notPrimary.json().error.details[0].path).toBe('body.reportId');
    const res = await t.post('duty', `/api/incidents/${first.id}/split`, { reportId: linked.id });
    expect(res.statusCode).toBe(200);
    const split = res.json();
    expect(split).toMatchObject({ title: '另一游客受伤', status: 'new', reportCount: 1, category: 'rescue', reporterPhone: '13900000002' });
    expect(split.code).not.toBe(first.code);
    expect(kinds(split)).toEqual(['split_from']);
    const rest = await detail(first.id);
    expect(rest.reportCount).toBe(1);
    expect(kinds(rest)).toEqual(['opened', 'report_linked', 'split']);
    expect((await t.post('duty', `/api/incidents/${first.id}/split`, { reportId: linked.id })).statusCode).toBe(400);
  });
});

describe('scope', () => {
  it('a county never sees another county’s incident in the list, the detail or on the socket; the city and duty officer see all', async () => {
    const hongta = await t.listen('hongta', ['incidents']);
    const jiangchuan = await t.listen('jiangchuan', ['incidents']);
    const city = await t.listen('city', ['incidents']);
    const theirs = (
      await t.post('jiangchuan', '/api/incidents', call(inJiangchuan, { category: 'dispute', title: '江川林权纠纷' }))
    ).json();
    expect(theirs.countyCode).toBe('530403');
    await expect.poll(() => jiangchuan.received.some((m) => m.type === 'incident')).toBe(true);
    await expect.poll(() => city.received.some((m) => m.type === 'incident')).toBe(true);
    await hongta.settle();
    expect(hongta.received).toEqual([]);
    expect((await t.get('hongta', `/api/incidents/${theirs.id}`)).statusCode).toBe(404);
    expect((await setStatus('hongta', theirs.id, { status: 'dispatched' })).statusCode).toBe(404);
    expect((await t.post('hongta', `/api/incidents/${theirs.id}/notes`, { text: 'x' })).statusCode).toBe(404);
    const list = (await t.get('hongta', '/api/incidents?pageSize=500')).json();
    expect(list.items.every((i: { countyCode: string }) => i.countyCode === '530402')).toBe(true);
    expect((await t.get('hongta', `/api/incidents?orgUnitId=${(await t.unit('530403')).id}`)).statusCode).toBe(404);
    const cityList = (await t.get('city', '/api/incidents?pageSize=500')).json();
    expect(cityList.items.map((i: { id: string }) => i.id)).toContain(theirs.id);
    // A merge into another county's incident names a foreign id.
    const ours = await open();
    const foreign = await t.post('hongta', `/api/incidents/${ours.id}/merge`, { intoId: theirs.id });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.details[0].path).toBe('body.intoId');
    for (const s of [hongta, jiangchuan, city]) s.close();
  });

  it('the reporter’s contact is shown to the handling accounts only, never in lists', async () => {
    const incident = await open();
    expect(await detail(incident.id, 'hongta')).toMatchObject({ reporterName: '王女士', reporterPhone: '13900000002' });
    const readOnly = await detail(incident.id, 'city');
    expect(readOnly.reporterPhone).toBeUndefined();
    expect(JSON.stringify(readOnly)).not.toContain('13900000002');
    const list = await t.get('hongta', '/api/incidents?pageSize=500');
    expect(list.body).not.toContain('13900000002');
  });

  it('roles without incident permissions are refused; a ranger uses the dispatch routes, not these', async () => {
    expect((await t.get('ranger1', '/api/incidents')).statusCode).toBe(403);
    expect((await t.post('city', '/api/incidents', call(grids[0]))).statusCode).toBe(403);
    expect((await t.get(null, '/api/incidents')).statusCode).toBe(401);
  });
});

describe('filters and bad input', () => {
  it('filters by status, category, source, priority and time', async () => {
    const a = await open({ category: 'other', title: '筛选测试', priority: 4 });
    const q = async (query: string) =>
      (await t.get('duty', `/api/incidents?pageSize=500&${query}`)).json().items.map((i: { id: string }) => i.id) as string[];
    expect(await q('category=other&priority=4&source=phone&status=new')).toContain(a.id);
    expect(await q('category=dispute')).not.toContain(a.id);
    expect(await q('status=closed,false_alarm')).not.toContain(a.id);
    const from = new Date(Date.parse(a.reportedAt) - 1000).toISOString();
    expect(await q(`from=${encodeURIComponent(from)}`)).toContain(a.id);
    expect(await q(`to=${encodeURIComponent(from)}`)).not.toContain(a.id);
    expect(await q(`q=${encodeURIComponent(a.code)}`)).toEqual([a.id]);
  });

  it('answers malformed input with a 400 naming the field', async () => {
    const path = async (res: { json(): { error: { details: { path: string }[] } } }) => res.json().error.details[0].path;
    expect(await path(await t.get('duty', '/api/incidents?from=2026-02-30'))).toBe('querystring.from');
    expect(await path(await t.get('duty', '/api/incidents?from=2026-03-02&to=2026-03-01'))).toBe('querystring.to');
    expect(await path(await t.get('duty', '/api/incidents?priority=5'))).toMatch(/^querystring\.priority/);
    expect(await path(await t.get('duty', '/api/incidents?source=fax'))).toMatch(/^querystring\.source/);
    expect((await t.get('duty', '/api/incidents/not-a-uuid')).statusCode).toBe(400);
    expect(await path(await t.post('duty', '/api/incidents', call(grids[0], { title: 'a\u0000b' })))).toBe('body.title');
    expect(await path(await t.post('duty', '/api/incidents', call([102.5, 95])))).toBe('body.location.coordinates.1');
    expect(await path(await t.post('duty', '/api/incidents', call(grids[0], { source: 'sos' })))).toBe('body.source');
    expect(await path(await t.post('duty', '/api/incidents', call(grids[0], { reportedAt: '2026-13-01T00:00:00Z' })))).toBe(
      'body.reportedAt',
    );
    expect(await path(await t.post('duty', '/api/incidents', call(grids[0], { reporterPhone: '<script>' })))).toBe('body.reporterPhone');
    const foreignFile = await createFile(t, { orgUnitId: (await t.unit('530403')).id });
    expect(await path(await t.post('hongta', '/api/incidents', call(grids[0], { photoFileIds: [foreignFile] })))).toBe(
      'body.photoFileIds.0',
    );
    expect((await t.post('duty', `/api/incidents/00000000-0000-4000-8000-000000000000/status`, { status: 'resolved' })).statusCode).toBe(
      404,
    );
  });
});

describe('the category dictionary', () => {
  it('lists the eight categories in order with their Chinese names', async () => {
    const { items } = (await t.get('ranger1', '/api/incident-categories')).json();
    expect(items.slice(0, 8).map((c: { code: string; name: string }) => `${c.code}:${c.name}`)).toEqual([
      'forest_fire:森林火灾',
      'illegal_logging:盗伐滥伐林木',
      'land_occupation:非法占用林地',
      'wildlife:破坏野生动物资源',
      'dispute:林权纠纷',
      'public_order:治安',
      'rescue:救援',
      'other:其他',
    ]);
  });

  it('only a city-wide account changes it; a stale version is a 409; an inactive category opens nothing', async () => {
    const body = { name: '古树名木', nameEn: 'Ancient trees', defaultPriority: 3, sortOrder: 90 };
    expect((await t.request('hongta', { method: 'PUT', url: '/api/incident-categories/ancient_trees', payload: body })).statusCode).toBe(
      403,
    );
    const added = await t.request('duty', { method: 'PUT', url: '/api/incident-categories/ancient_trees', payload: body });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ code: 'ancient_trees', version: 1, active: true });
    const off = await t.request('duty', {
      method: 'PUT',
      url: '/api/incident-categories/ancient_trees',
      payload: { ...body, active: false, version: 1 },
    });
    expect(off.json()).toMatchObject({ active: false, version: 2 });
    const stale = await t.request('duty', {
      method: 'PUT',
      url: '/api/incident-categories/ancient_trees',
      payload: { ...body, version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    const refused = await t.post('duty', '/api/incidents', call(grids[0], { category: 'ancient_trees' }));
    expect(refused.json().error.details[0].path).toBe('body.category');
    const badCode = await t.request('duty', { method: 'PUT', url: '/api/incident-categories/Bad%20Code', payload: body });
    expect(badCode.json().error.details[0].path).toBe('params.code');
  });
});
