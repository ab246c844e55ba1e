import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { type Checkpoint, capture, checkpointsOf } from '../captures/captures.test-helpers.js';
import { entryProblem, likePatternOf, normalizePlate } from './plates.js';
import { WatchlistMatcher } from './watchlists.matcher.js';

let t: TestApp;
let hongta: Checkpoint[];
let jiangchuan: Checkpoint[];
const HOUR = 3600_000;
const period = () => ({
  validFrom: new Date(Date.now() - HOUR).toISOString(),
  validTo: new Date(Date.now() + 30 * 24 * HOUR).toISOString(),
});
let plateSeq = 0;
/** A plate no other test uses. */
const freshPlate = () => `云F${String(10000 + ++plateSeq).slice(-5)}`.replace(/^云F/, `云${'ABCDEFGHJK'[plateSeq % 10]}`);

beforeAll(async () => {
  t = await createTestApp();
  hongta = await checkpointsOf(t, '530402');
  jiangchuan = await checkpointsOf(t, '530403');
  // A checkpoint platform of 红塔区 (its account's unit bounds what it may send) and one of the city.
  await t.addAccount('kakou-hongta', ['captures:ingest'], '530402');
});
afterAll(() => t?.close());

async function createApproved(as: string, approver: string, entries: string[], extra: Record<string, unknown> = {}) {
  const res = await t.post(as, '/api/watchlists', {
    name: '盗伐嫌疑车辆',
    reason: '涉嫌非法运输木材',
    ...period(),
    entries: entries.map((plate) => ({ plate })),
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  const approved = await t.post(approver, `/api/watchlists/${res.json().id}/approve`, { note: '同意布控' });
  expect(approved.statusCode, approved.body).toBe(200);
  return approved.json();
}

describe('plates and the matcher', () => {
  it('reads plates as stored: no dot or spaces, capitals, full-width characters folded', () => {
    expect(normalizePlate('云F·a2345')).toBe('云FA2345');
    expect(normalizePlate(' 云F Ａ2345 ')).toBe('云FA2345');
    expect(normalizePlate('云F？2345')).toBe('云F?2345');
  });

  it('refuses patterns that would watch nearly every vehicle', () => {
    expect(entryProblem('云F?????')).toMatch(/known characters/);
    expect(entryProblem('云F?2345')).toBeNull();
    expect(entryProblem('云F<2345')).toMatch(/Chinese characters/);
  });

  it('turns searches into LIKE patterns: ? one character, * or prefix any rest, exact plates none', () => {
    expect(likePatternOf('云FA2345', false)).toBeNull();
    expect(likePatternOf('云F?2345', false)).toBe('云F_2345');
    expect(likePatternOf('云F12*', false)).toBe('云F12%');
    expect(likePatternOf('云F12', true)).toBe('云F12%');
  });

  it('matches exact plates and patterns inside the period and the watchlist’s area only', () => {
    const m = new WatchlistMatcher();
    const base = { watchlistName: 'w', reason: 'r', orgUnitId: 3, validFrom: new Date('2026-01-01'), validTo: new Date('2026-02-01') };
    m.load([
      { ...base, entryId: 'e1', entryPlate: '云FA2345', watchlistId: 'w1', orgPath: '/1/3/' },
      { ...base, entryId: 'e2', entryPlate: '云F?2345', watchlistId: 'w1', orgPath: '/1/3/' },
      { ...base, entryId: 'e3', entryPlate: '云F?2345', watchlistId: 'w2', orgPath: '/1/' },
    ]);
    const at = new Date('2026-01-15');
    expect(m.match('云FA2345', at, '/1/3/7/').map((e) => e.entryId)).toEqual(['e1', 'e3']);
    expect(m.match('云FB2345', at, '/1/3/7/').map((e) => e.entryId)).toEqual(['e2', 'e3']);
    expect(m.match('云FB2345', at, '/1/4/').map((e) => e.entryId)).toEqual(['e3']);
    expect(m.match('云FB23456', at, '/1/3/')).toEqual([]);
    expect(m.match('云FA2345', new Date('2026-02-01'), '/1/3/')).toEqual([]);
  });
});

describe('filing and approving watchlists', () => {
  it('a county files a watchlist: pending, its own, not active until the city approves it', async () => {
    const res = await t.post('hongta', '/api/watchlists', {
      name: '可疑运输车辆',
      reason: '群众举报夜间运输原木',
      ...period(),
      entries: [{ plate: '云F·a1111' }, { plate: '云F?2222' }, { plate: '云FA1111' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const w = res.json();
    expect(w).toMatchObject({ state: 'pending', active: false, level: 'county', orgUnitName: '红塔区', entryCount: 2, mayDecide: false });
    expect(w.entries.map((e: { plate: string }) => e.plate).sort()).toEqual(['云F?2222', '云FA1111']);
    // The county cannot approve its own; another county does not even see it; the city may.
    expect((await t.post('hongta', `/api/watchlists/${w.id}/approve`, {})).statusCode).toBe(403);
    expect((await t.get('jiangchuan', `/api/watchlists/${w.id}`)).statusCode).toBe(404);
    expect((await t.get('city', `/api/watchlists/${w.id}`)).json().mayDecide).toBe(true);
    expect((await t.get('city', '/api/watchlists?awaitingMe=true')).json().items.map((x: { id: string }) => x.id)).toContain(w.id);
    const rejected = await t.post('city', `/api/watchlists/${w.id}/reject`, { note: '证据不足' });
    expect(rejected.json()).toMatchObject({ state: 'rejected', decidedBy: 'city', decisionNote: '证据不足', active: false });
    expect((await t.post('city', `/api/watchlists/${w.id}/approve`, {})).statusCode).toBe(409);
  });

  it('a city watchlist is approved by another officer of the city, not by the one who filed it', async () => {
    const res = await t.post('duty', '/api/watchlists', {
      name: '市级布控',
      reason: '跨县盗运',
      ...period(),
      entries: [{ plate: freshPlate() }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().level).toBe('city');
    expect((await t.post('duty', `/api/watchlists/${res.json().id}/approve`, {})).statusCode).toBe(403);
    const approved = await t.post('city', `/api/watchlists/${res.json().id}/approve`, {});
    expect(approved.json()).toMatchObject({ state: 'approved', active: true });
  });

  it('refuses bad input naming the field', async () => {
    const bad = async (body: Record<string, unknown>, path: string) => {
      const res = await t.post('hongta', '/api/watchlists', {
        name: 'x',
        reason: 'y',
        ...period(),
        entries: [{ plate: '云FA1234' }],
        ...body,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    await bad({ entries: [{ plate: '云F?????' }] }, 'body.entries.0.plate');
    await bad({ entries: [] }, 'body.entries');
    await bad({ validTo: new Date(Date.now() - 2 * HOUR).toISOString() }, 'body.validTo');
    await bad({ validFrom: '2026-02-30T00:00:00' }, 'body.validFrom');
    await bad({ sharedWith: [(await t.unit('530403')).id] }, 'body.sharedWith');
    await bad({ orgUnitId: (await t.unit('530403')).id }, 'body.orgUnitId');
  });
});

describe('a capture hitting an active watchlist', () => {
  it('stores the hit, raises the alert on the owner’s and the duty officer’s sockets (not another county’s) and opens an incident', async () => {
    const plate = freshPlate();
    const w = await createApproved('hongta', 'city', [plate]);
    const [duty, owner, other] = await Promise.all([
      t.listen('duty', ['alerts']),
      t.listen('hongta', ['alerts']),
      t.listen('jiangchuan', ['alerts']),
    ]);
    const at = new Date(Date.now() - 60_000);
    const res = await t.post('kakou-hongta', '/api/ingest/captures', [capture(hongta[0].id, plate, at)]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ stored: 1, duplicates: 0, hits: 1 });
    await Promise.all([duty.settle(), owner.settle(), other.settle()]);
    const hitAlert = (m: { type: string; kind?: unknown }) => m.type === 'alert' && m.kind === 'watchlist_hit';
    for (const socket of [duty, owner]) {
      const alert = socket.received.find(hitAlert) as { topic: string; details: Record<string, unknown> } | undefined;
      expect(alert?.topic).toBe('alerts');
      expect(alert?.details).toMatchObject({ plate, watchlistId: w.id, checkpointName: hongta[0].name });
    }
    expect(other.received.filter(hitAlert)).toEqual([]);
    for (const s of [duty, owner, other]) s.close();

    const hits = (await t.get('hongta', `/api/watchlist-hits?watchlistId=${w.id}`)).json();
    expect(hits.total).toBe(1);
    expect(hits.items[0]).toMatchObject({ plate, checkpointId: hongta[0].id, watchlistName: '盗伐嫌疑车辆' });
    const incident = (await t.get('duty', `/api/incidents/${hits.items[0].incidentId}`)).json();
    expect(incident.source).toBe('watchlist');
    expect((await t.get('jiangchuan', `/api/watchlist-hits?watchlistId=${w.id}`)).json().total).toBe(0);
    // The same passage sent again is a duplicate and hits nothing twice.
    const again = await t.post('kakou-hongta', '/api/ingest/captures', [capture(hongta[0].id, plate, at)]);
    expect(again.json()).toEqual({ stored: 0, duplicates: 1, hits: 0 });
    expect((await t.get('hongta', `/api/watchlist-hits?watchlistId=${w.id}`)).json().total).toBe(1);
  });

  it('a pattern hits a misread plate; a pending, revoked or ended watchlist hits nothing', async () => {
    const plate = freshPlate();
    const pattern = `${[...plate].slice(0, 2).join('')}?${[...plate].slice(3).join('')}`;
    const w = await createApproved('hongta', 'city', [pattern]);
    const seen = [...plate];
    seen[2] = seen[2] === 'X' ? 'Y' : 'X';
    const at = new Date(Date.now() - 120_000);
    const hit = await t.post('kakou-hongta', '/api/ingest/captures', capture(hongta[1].id, seen.join(''), at));
    expect(hit.json()).toEqual({ stored: 1, duplicates: 0, hits: 1 });

    expect((await t.post('hongta', `/api/watchlists/${w.id}/revoke`, { note: '已查获' })).json().state).toBe('revoked');
    const after = await t.post('kakou-hongta', '/api/ingest/captures', capture(hongta[1].id, seen.join(''), new Date(at.getTime() + 1000)));
    expect(after.json()).toEqual({ stored: 1, duplicates: 0, hits: 0 });

    const pendingPlate = freshPlate();
    await t.post('hongta', '/api/watchlists', { name: '待批', reason: 'r', ...period(), entries: [{ plate: pendingPlate }] });
    expect((await t.post('kakou-hongta', '/api/ingest/captures', capture(hongta[1].id, pendingPlate, at))).json().hits).toBe(0);
  });

  it('a county’s watchlist watches its own checkpoints only; a city-wide one given to a county shows it the hits at its checkpoints', async () => {
    const plate = freshPlate();
    await createApproved('hongta', 'city', [plate]);
    const at = new Date(Date.now() - 300_000);
    // The city platform pushes for every county.
    const elsewhere = await t.post('kakou', '/api/ingest/captures', capture(jiangchuan[0].id, plate, at));
    expect(elsewhere.json()).toEqual({ stored: 1, duplicates: 0, hits: 0 });

    const cityPlate = freshPlate();
    const w = await createApproved('duty', 'city', [cityPlate], { sharedWith: [(await t.unit('530403')).id] });
    expect(w.sharedWith.map((u: { name: string }) => u.name)).toEqual(['江川区']);
    await t.post('kakou', '/api/ingest/captures', [capture(jiangchuan[0].id, cityPlate, at), capture(hongta[0].id, cityPlate, at)]);
    expect((await t.get('jiangchuan', `/api/watchlists/${w.id}`)).statusCode).toBe(200);
    expect((await t.get('hongta', `/api/watchlists/${w.id}`)).statusCode).toBe(404);
    const seenByJiangchuan = (await t.get('jiangchuan', `/api/watchlist-hits?watchlistId=${w.id}`)).json();
    expect(seenByJiangchuan.items.map((h: { checkpointId: string }) => h.checkpointId)).toEqual([jiangchuan[0].id]);
    expect((await t.get('city', `/api/watchlist-hits?watchlistId=${w.id}`)).json().total).toBe(2);
    // A county given a watchlist sees it but cannot withdraw it.
    expect((await t.post('jiangchuan', `/api/watchlists/${w.id}/revoke`, {})).statusCode).toBe(403);
  });
});
