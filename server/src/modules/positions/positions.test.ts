import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRanger, insertFixes, pointIn, rangerOfAccount, type TestRanger } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { demoDeviceKey } from '../../seed/rangers.js';

/**
 * The positions module: a device's fixes in a time range, the live picture of every device in
 * scope, the ranger page's own fixes and SOS, and a ranger's day track for the replay; each within the caller's
 * scope, each refusing what is not a position.
 */
let t: TestApp;
const PHONE = 'YX5304020001'; // ranger1's phone, in 红塔区
let phone: { id: string; uniqueId: string };
let otherPhone: { id: string; uniqueId: string }; // a phone of 江川区
let inGrid: [number, number];
let inJiangchuan: [number, number];
let rangerId: string;
/** Three fixes of PHONE, a minute apart, two hours ago. */
const walkStart = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3_600_000;
const walk = [0, 1, 2].map((i) => new Date(walkStart + i * 60_000));

const osmand = (uniqueId: string, at: Date, [lon, lat]: [number, number], extra = '') =>
  t.get(
    null,
    `/api/ingest/osmand?id=${uniqueId}&key=${demoDeviceKey(uniqueId)}&lat=${lat}&lon=${lon}&timestamp=${at.toISOString()}${extra}`,
  );
const history = (as: string | null, query: string) => t.get(as, `/api/positions?${query}`);
const errorPaths = (res: { json: () => { error: { details?: { path: string }[] } } }) => res.json().error.details?.map((d) => d.path);
/** The China Standard Time calendar day of a moment. */
const cstDate = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp();
  inGrid = await t.pointIn('53040200101');
  inJiangchuan = await t.pointIn('530403');
  rangerId = await t.rangerIdOf('ranger1');
  phone = (await t.get('hongta', `/api/devices?q=${PHONE}`)).json().items[0];
  otherPhone = (await t.get('jiangchuan', '/api/devices?q=YX&pageSize=1')).json().items[0];
  for (const [i, at] of walk.entries()) {
    const res = await osmand(PHONE, at, [inGrid[0] + i * 0.001, inGrid[1]], '&speed=1.5');
    expect(res.statusCode, res.body).toBe(200);
  }
  expect((await osmand(otherPhone.uniqueId, walk[0], inJiangchuan)).statusCode).toBe(200);
});
afterAll(() => t.close());

describe('GET /api/positions: one device’s fixes in a time range', () => {
  const range = `from=${new Date(walkStart - 1_000).toISOString()}&to=${new Date(walkStart + 3 * 60_000).toISOString()}`;

  it('answers the fixes oldest first, by uniqueId or by deviceId alike', async () => {
    const byUniqueId = await history('hongta', `uniqueId=${PHONE}&${range}`);
    expect(byUniqueId.statusCode, byUniqueId.body).toBe(200);
    const items = byUniqueId.json().items;
    expect(items.map((p: { fixTime: string }) => p.fixTime)).toEqual(walk.map((d) => d.toISOString()));
    expect(items[0]).toMatchObject({ lon: expect.closeTo(inGrid[0], 6), lat: expect.closeTo(inGrid[1], 6), rangerId, valid: true });
    // OsmAnd sends knots; the API answers metres per second.
    expect(items[0].speed).toBeCloseTo(1.5 * 0.514444, 3);
    expect((await history('hongta', `deviceId=${phone.id}&${range}`)).json().items).toEqual(items);
  });

  it('takes only the range asked for, and at most `limit` fixes', async () => {
    const middle = `from=${walk[1].toISOString()}&to=${walk[1].toISOString()}`;
    expect((await history('hongta', `uniqueId=${PHONE}&${middle}`)).json().items.map((p: { fixTime: string }) => p.fixTime)).toEqual([
      walk[1].toISOString(),
    ]);
    expect((await history('hongta', `uniqueId=${PHONE}&${range}&limit=2`)).json().items).toHaveLength(2);
    // Without from/to: the last 24 hours.
    expect((await history('hongta', `uniqueId=${PHONE}`)).json().items.length).toBeGreaterThanOrEqual(3);
    const longAgo = `from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z`;
    expect((await history('hongta', `uniqueId=${PHONE}&${longAgo}`)).json().items).toEqual([]);
  });

  it('the city sees a county’s device; another county, an unknown device and an unknown id are 404 alike', async () => {
    expect((await history('city', `uniqueId=${PHONE}&${range}`)).json().items).toHaveLength(3);
    for (const query of [
      `uniqueId=${PHONE}`,
      `deviceId=${phone.id}`,
      'uniqueId=NO-SUCH-DEVICE',
      'deviceId=00000000-0000-0000-0000-000000000000',
    ]) {
      const res = await history('jiangchuan', query);
      expect([query, res.statusCode, res.json().error.code]).toEqual([query, 404, 'not_found']);
    }
    expect((await history('hongta', `uniqueId=${otherPhone.uniqueId}`)).statusCode).toBe(404);
    expect((await history('jiangchuan', `uniqueId=${otherPhone.uniqueId}`)).json().items).toHaveLength(1);
  });

  it('refuses what is not a query: no device, impossible dates, NUL bytes, a bad id or limit', async () => {
    const cases: [string, string][] = [
      ['', 'querystring.uniqueId'],
      [`uniqueId=${PHONE}&from=2026-02-30`, 'querystring.from'],
      [`uniqueId=${PHONE}&to=99999-01-01`, 'querystring.to'],
      [`uniqueId=${PHONE}&from=yesterday`, 'querystring.from'],
      ['uniqueId=YX%00530402', 'querystring.uniqueId'],
      ['deviceId=not-a-uuid', 'querystring.deviceId'],
      [`uniqueId=${PHONE}&limit=0`, 'querystring.limit'],
      [`uniqueId=${PHONE}&limit=50001`, 'querystring.limit'],
    ];
    for (const [query, path] of cases) {
      const res = await history('hongta', query);
      expect([query, res.statusCode, errorPaths(res)]).toEqual([query, 400, [path]]);
    }
  });

  it('answers 401 without a session and 403 without positions:read', async () => {
    expect((await history(null, `uniqueId=${PHONE}`)).statusCode).toBe(401);
    for (const as of ['checkpoint1', 'liaison1', 'ranger1']) {
      const res = await history(as, `uniqueId=${PHONE}`);
      expect([as, res.statusCode, res.json().error.details]).toEqual([as, 403, { permission: 'positions:read' }]);
    }
  });
});

describe('GET /api/positions/live: where every device of the scope last was', () => {
  type Live = { deviceId: string; uniqueId: string; orgUnitId: number; state: string; fixTime: string; lon: number; lat: number };
  const live = async (as: string, query = ''): Promise<Live[]> => {
    const res = await t.get(as, `/api/positions/live${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };

  it('holds the devices of the caller’s subtree only, each at its newest fix', async () => {
    const [hongta, jiangchuan, city] = [await live('hongta'), await live('jiangchuan'), await live('city')];
    const mine = hongta.find((d) => d.uniqueId === PHONE);
    expect(mine).toMatchObject({ deviceId: phone.id, fixTime: walk[2].toISOString(), lat: expect.closeTo(inGrid[1], 6) });
    expect(hongta.some((d) => d.uniqueId === otherPhone.uniqueId)).toBe(false);
    expect(jiangchuan.map((d) => d.uniqueId)).toContain(otherPhone.uniqueId);
    expect(jiangchuan.some((d) => d.uniqueId === PHONE)).toBe(false);
    const cityIds = new Set(city.map((d) => d.deviceId));
    expect([...hongta, ...jiangchuan].every((d) => cityIds.has(d.deviceId))).toBe(true);
  });

  it('a late fix is stored but leaves the live position where the newest fix put it', async () => {
    expect((await osmand(PHONE, new Date(walkStart - 60_000), inJiangchuan)).statusCode).toBe(200);
    expect((await live('hongta')).find((d) => d.uniqueId === PHONE)?.fixTime).toBe(walk[2].toISOString());
  });

  it('a bbox keeps the devices inside it', async () => {
    const [lon, lat] = [inGrid[0] + 0.002, inGrid[1]];
    const around = await live('city', `?bbox=${lon - 0.01},${lat - 0.01},${lon + 0.01},${lat + 0.01}`);
    expect(around.map((d) => d.uniqueId)).toContain(PHONE);
    expect(around.map((d) => d.uniqueId)).not.toContain(otherPhone.uniqueId);
    expect(around.every((d) => Math.abs(d.lon - lon) <= 0.01 && Math.abs(d.lat - lat) <= 0.01)).toBe(true);
  });

  it('refuses a bbox that is not west,south,east,north; 401 without a session, 403 without positions:read', async () => {
    for (const bbox of ['1,2,3', '3,2,1,4', 'a,b,c,d', '1%002,3,4,5']) {
      const res = await t.get('hongta', `/api/positions/live?bbox=${bbox}`);
      expect([bbox, res.statusCode, errorPaths(res)]).toEqual([bbox, 400, ['querystring.bbox']]);
    }
    expect((await t.get(null, '/api/positions/live')).statusCode).toBe(401);
    const res = await t.get('checkpoint1', '/api/positions/live');
    expect([res.statusCode, res.json().error.details]).toEqual([403, { permission: 'positions:read' }]);
  });
});

describe('POST /api/me/positions and /api/me/sos: the ranger page', () => {
  it('stores the ranger’s fixes through the ranger’s phone, counts repeats as duplicates, and tells the county only', async () => {
    const hongta = await t.listen('hongta', ['positions']);
    const jiangchuan = await t.listen('jiangchuan', ['positions']);
    const at = new Date(Date.now() - 30_000);
    const fixes = [
      { fixTime: at.toISOString(), lon: inGrid[0], lat: inGrid[1], accuracy: 8, battery: 77 },
      { fixTime: new Date(at.getTime() + 10_000).toISOString(), lon: inGrid[0], lat: inGrid[1] + 0.0005 },
    ];
    const res = await t.post('ranger1', '/api/me/positions', { fixes });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ stored: 2, duplicates: 0 });
    expect((await t.post('ranger1', '/api/me/positions', { fixes })).json()).toEqual({ stored: 0, duplicates: 2 });

    const stored = (await history('hongta', `uniqueId=${PHONE}&from=${at.toISOString()}`)).json().items;
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({ battery: 77, accuracy: 8, rangerId, attributes: { source: 'ranger-page' } });

    await expect
      .poll(() => hongta.received.find((m) => m.type === 'position' && m.uniqueId === PHONE), { timeout: 5_000 })
      .toMatchObject({ topic: 'positions', deviceId: phone.id });
    await jiangchuan.settle();
    // Positions of 江川区's own devices, sent by the tests above, may still be arriving; none of them is the phone's.
    expect(jiangchuan.received.filter((m) => m.uniqueId === PHONE || m.deviceId === phone.id)).toEqual([]);
    hongta.close();
    jiangchuan.close();
  });

  it('refuses what is not a fix: impossible or far dates, NUL bytes, coordinates off the globe, no fixes', async () => {
    const now = new Date().toISOString();
    const cases: [unknown, string][] = [
      [{ fixes: [] }, 'body.fixes'],
      [{ fixes: [{ fixTime: '2026-02-30T08:00:00+08:00', lon: inGrid[0], lat: inGrid[1] }] }, 'body.fixes.0.fixTime'],
      [{ fixes: [{ fixTime: '1999-12-31T23:59:59Z', lon: inGrid[0], lat: inGrid[1] }] }, 'body.fixes.0.fixTime'],
      [{ fixes: [{ fixTime: '2026-01-01\u0000T00:00:00Z', lon: inGrid[0], lat: inGrid[1] }] }, 'body.fixes.0.fixTime'],
      [{ fixes: [{ fixTime: now, lon: 181, lat: inGrid[1] }] }, 'body.fixes.0.lon'],
      [{ fixes: [{ fixTime: now, lon: inGrid[0], lat: inGrid[1], battery: 101 }] }, 'body.fixes.0.battery'],
    ];
    for (const [body, path] of cases) {
      const res = await t.post('ranger1', '/api/me/positions', body);
      expect([path, res.statusCode, errorPaths(res)]).toEqual([path, 400, [path]]);
    }
    const sos = await t.post('ranger1', '/api/me/sos', { lon: inGrid[0], lat: inGrid[1], note: 'a\u0000b' });
    expect([sos.statusCode, errorPaths(sos)]).toEqual([400, ['body.note']]);
    const { rows } = await t.database.pool.query(
      "SELECT count(*)::int AS n FROM positions WHERE fix_time < '2000-01-01' OR fix_time > now() + interval '1 day'",
    );
    expect(rows[0].n).toBe(0);
  });

  it('the SOS button stores the fix with the alarm, raises one alert, and draws the phone as SOS', async () => {
    const before = (await t.get('hongta', '/api/alerts?kind=sos&state=open')).json().total;
    const res = await t.post('ranger1', '/api/me/sos', { lon: inGrid[0], lat: inGrid[1], accuracy: 12, note: '迷路' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ stored: 1, duplicates: 0 });
    const open = (await t.get('hongta', '/api/alerts?kind=sos&state=open')).json();
    expect(open.total).toBe(before + 1);
    expect(open.items[0]).toMatchObject({ kind: 'sos', rangerId });
    const [newest] = (await history('hongta', `uniqueId=${PHONE}&from=${new Date(Date.now() - 60_000).toISOString()}`))
      .json()
      .items.slice(-1);
    expect(newest).toMatchObject({ alarm: 'sos', attributes: { source: 'ranger-page', note: '迷路' } });
    const live = (await t.get('hongta', '/api/positions/live')).json().items.find((d: { uniqueId: string }) => d.uniqueId === PHONE);
    expect(live.state).toBe('sos');
  });

  it('only a ranger reports: 401 without a session, 403 without patrols:self, 404 for an account that is no ranger', async () => {
    const body = { fixes: [{ fixTime: new Date().toISOString(), lon: inGrid[0], lat: inGrid[1] }] };
    for (const url of ['/api/me/positions', '/api/me/sos']) {
      const payload = url.endsWith('sos') ? body.fixes[0] : body;
      expect((await t.post(null, url, payload)).statusCode).toBe(401);
      for (const as of ['hongta', 'duty', 'checkpoint1']) {
        const res = await t.post(as, url, payload);
        expect([url, as, res.statusCode, res.json().error.details]).toEqual([url, as, 403, { permission: 'patrols:self' }]);
      }
      // The administrator holds every permission but has no ranger record.
      const admin = await t.post('admin', url, payload);
      expect([url, admin.statusCode, admin.json().error.code]).toEqual([url, 404, 'not_found']);
    }
  });
});

describe('GET /api/rangers/{id}/track: a ranger’s day', () => {
  it('is the day’s fixes in time order, with their times and speeds', async () => {
    const res = await t.get('hongta', `/api/rangers/${rangerId}/track?date=${cstDate(walk[0])}`);
    expect(res.statusCode, res.body).toBe(200);
    const day = res.json();
    expect(day.properties).toMatchObject({ rangerId, date: cstDate(walk[0]) });
    const times: string[] = day.properties.times;
    for (const at of walk) expect(times).toContain(at.toISOString());
    expect([...times].sort()).toEqual(times);
    expect(day.properties.speeds).toHaveLength(times.length);
  });

  it('a day without fixes has no geometry; another county’s ranger is 404; a day not on the calendar is 400', async () => {
    const empty = (await t.get('hongta', `/api/rangers/${rangerId}/track?date=2001-01-01`)).json();
    expect(empty).toMatchObject({ geometry: null, properties: { fixes: 0, times: [] } });
    const foreign = await t.get('jiangchuan', `/api/rangers/${rangerId}/track?date=${cstDate(walk[0])}`);
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'not_found']);
    for (const date of ['2026-02-30', '2026-13-01', '20260101', '2026-01-01%00']) {
      const res = await t.get('hongta', `/api/rangers/${rangerId}/track?date=${date}`);
      expect([date, res.statusCode, errorPaths(res)]).toEqual([date, 400, ['querystring.date']]);
    }
    const badId = await t.get('hongta', `/api/rangers/not-a-uuid/track?date=${cstDate(walk[0])}`);
    expect([badId.statusCode, errorPaths(badId)]).toEqual([400, ['params.id']]);
  });

  it('answers 401 without a session and 403 without patrols:read', async () => {
    const url = `/api/rangers/${rangerId}/track?date=${cstDate(walk[0])}`;
    expect((await t.get(null, url)).statusCode).toBe(401);
    for (const as of ['ranger1', 'checkpoint1']) {
      const res = await t.get(as, url);
      expect([as, res.statusCode, res.json().error.details]).toEqual([as, 403, { permission: 'patrols:read' }]);
    }
  });
});

describe('GET /api/rangers/{id}/track: pauses, thinning, one fix, another county', () => {
  let ranger: TestRanger;
  let walker: TestRanger;
  beforeAll(async () => {
    ranger = await rangerOfAccount(t, 'ranger1');
    walker = await createRanger(t, ranger.orgUnitId);
  });

  it('draws the day (China Standard Time) as lines split at pauses, with the time and speed of every position', async () => {
    const a = await pointIn(t, ranger.orgUnitId);
    // 2025-06-01 in CST runs from 2025-05-31T16:00Z; the first fix below belongs to the day before.
    await insertFixes(t, walker, [
      { at: '2025-05-31T15:59:00Z', lon: a[0], lat: a[1] },
      { at: '2025-05-31T16:05:00Z', lon: a[0], lat: a[1], speed: 1.2 },
      { at: '2025-05-31T16:10:00Z', lon: a[0], lat: a[1] + 0.001, speed: 1.4 },
      { at: '2025-05-31T16:12:00Z', lon: a[0] + 0.5, lat: a[1] + 0.5, valid: false },
      { at: '2025-05-31T18:00:00Z', lon: a[0], lat: a[1] + 0.002 },
      { at: '2025-06-01T01:00:00Z', lon: a[0], lat: a[1] + 0.003 },
      { at: '2025-06-01T01:05:00Z', lon: a[0], lat: a[1] + 0.004 },
    ]);
    const res = await t.get('hongta', `/api/rangers/${walker.id}/track?date=2025-06-01`);
    expect(res.statusCode).toBe(200);
    const track = res.json();
    expect(track.geometry.type).toBe('MultiLineString');
    expect(track.geometry.coordinates.map((line: unknown[]) => line.length)).toEqual([2, 2, 2]);
    expect(track.properties).toMatchObject({
      rangerId: walker.id,
      date: '2025-06-01',
      fixes: 5,
      thinned: false,
      times: [
        '2025-05-31T16:05:00.000Z',
        '2025-05-31T16:10:00.000Z',
        '2025-05-31T18:00:00.000Z',
        '2025-05-31T18:00:00.000Z',
        '2025-06-01T01:00:00.000Z',
        '2025-06-01T01:05:00.000Z',
      ],
      speeds: [expect.closeTo(1.2, 5), expect.closeTo(1.4, 5), null, null, null, null],
    });
  });

  it('thins a long day to at most 5,000 positions, keeping the last', async () => {
    const a = await pointIn(t, ranger.orgUnitId);
    const dayStart = Date.parse('2025-06-02T00:00:00+08:00');
    await insertFixes(
      t,
      walker,
      Array.from({ length: 12_000 }, (_, n) => ({ at: new Date(dayStart + n * 5_000), lon: a[0] + n * 1e-6, lat: a[1] })),
    );
    const track = (await t.get('hongta', `/api/rangers/${walker.id}/track?date=2025-06-02`)).json();
    expect(track.geometry.type).toBe('LineString');
    expect(track.geometry.coordinates.length).toBeLessThanOrEqual(5000);
    expect(track.geometry.coordinates.length).toBeGreaterThan(3000);
    expect(track.properties).toMatchObject({ fixes: 12000, thinned: true });
    expect(track.properties.times).toHaveLength(track.geometry.coordinates.length);
    expect(track.properties.times.at(-1)).toBe(new Date(Date.parse('2025-06-02T00:00:00+08:00') + 11999 * 5000).toISOString());
  });

  it('a day without fixes has no geometry; one fix is a point', async () => {
    expect((await t.get('hongta', `/api/rangers/${walker.id}/track?date=2024-01-01`)).json()).toMatchObject({
      geometry: null,
      properties: { fixes: 0, times: [] },
    });
    await insertFixes(t, walker, [{ at: '2024-01-02T04:00:00Z', lon: 102.5, lat: 24.3 }]);
    expect((await t.get('hongta', `/api/rangers/${walker.id}/track?date=2024-01-02`)).json().geometry).toEqual({
      type: 'Point',
      coordinates: [102.5, 24.3],
    });
  });

  it("another county's ranger is not found; a bad date names the field", async () => {
    expect((await t.get('jiangchuan', `/api/rangers/${walker.id}/track?date=2025-06-01`)).statusCode).toBe(404);
    const foreign = await createRanger(t, (await t.unit('53040300101')).id);
    expect((await t.get('hongta', `/api/rangers/${foreign.id}/track?date=2025-06-01`)).statusCode).toBe(404);
    for (const date of ['2025-02-30', '2025-6-1', '']) {
      const res = await t.get('hongta', `/api/rangers/${walker.id}/track?date=${date}`);
      expect(res.statusCode, date).toBe(400);
      expect(res.json().error.details[0].path).toBe('querystring.date');
    }
    expect((await t.get('ranger1', `/api/rangers/${walker.id}/track?date=2025-06-01`)).statusCode).toBe(403);
  });
});
