import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { startOsmAndServer } from './osmand-server.js';

let t: TestApp;
/** The demo phone of the full-time ranger of 玉兴街道 (assigned grid 53040200101), and a Jiangchuan phone. */
const HONGTA_PHONE = 'YX5304020001';
const JIANGCHUAN_PHONE = 'YX5304030001';
let inGrid: [number, number];
let elsewhereInHongta: [number, number];

const positionsOf = async (uniqueId: string, as = 'city') =>
  (await t.get(as, `/api/positions?uniqueId=${uniqueId}&from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z`)).json().items;

/** A fix time no other test uses: each test sends its own minute of 2026-06-15. */
let minute = 0;
const nextTime = () => new Date(Date.UTC(2026, 5, 15, 2, minute++, 0));

beforeAll(async () => {
  t = await createTestApp();
  inGrid = await t.pointIn('53040200101');
  elsewhereInHongta = await t.pointIn('53040200301');
  await t.makeKeyless(HONGTA_PHONE, JIANGCHUAN_PHONE);
});
afterAll(() => t.close());

describe('OsmAnd / Traccar Client', () => {
  it('stores a query-string fix with the speed converted from knots to m/s and the place it lies in', async () => {
    const at = nextTime();
    const [lon, lat] = inGrid;
    const res = await t.get(
      null,
      `/api/ingest/osmand?id=${HONGTA_PHONE}&lat=${lat}&lon=${lon}&timestamp=${at.getTime() / 1000}&speed=10&bearing=90&altitude=1650&accuracy=12&batt=87&hdop=0.9&foo=bar`,
    );
    expect(res.statusCode).toBe(200);
    const fix = (await positionsOf(HONGTA_PHONE)).find((p: { fixTime: string }) => p.fixTime === at.toISOString());
    expect(fix).toMatchObject({
      lon,
      lat,
      course: 90,
      accuracy: 12,
      battery: 87,
      countyCode: '530402',
      inAssignedArea: true,
      outsideTerritory: false,
    });
    expect(fix.speed).toBeCloseTo(5.1444, 3);
    expect(fix.attributes).toMatchObject({ hdop: 0.9, foo: 'bar' });
    const { rows } = await t.database.pool.query("SELECT id FROM org_units WHERE code = '53040200101'");
    expect(fix.gridId).toBe(rows[0].id);
  });

  it('takes the form body, location=lat,lon and a yyyy-MM-dd HH:mm:ss time', async () => {
    const [lon, lat] = elsewhereInHongta;
    const res = await t.request(null, {
      method: 'POST',
      url: '/api/ingest/osmand',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `deviceid=${HONGTA_PHONE}&location=${lat},${lon}&timestamp=2026-06-15 03:00:00&heading=45`,
    });
    expect(res.statusCode).toBe(200);
    const fix = (await positionsOf(HONGTA_PHONE)).find((p: { fixTime: string }) => p.fixTime === '2026-06-15T03:00:00.000Z');
    expect(fix).toMatchObject({ course: 45, inAssignedArea: false, countyCode: '530402' });
  });

  it('takes the JSON body of Traccar Client 9 with speed in m/s and battery level 0..1', async () => {
    const [lon, lat] = inGrid;
    const res = await t.post(null, '/api/ingest/osmand', {
      device_id: HONGTA_PHONE,
      location: {
        timestamp: '2026-06-15T04:00:00.000Z',
        coords: { latitude: lat, longitude: lon, accuracy: 5, speed: 1.5, heading: -1, altitude: 1700 },
        is_moving: true,
        battery: { level: 0.64, is_charging: false },
        activity: { type: 'walking' },
      },
    });
    expect(res.statusCode).toBe(200);
    const fix = (await positionsOf(HONGTA_PHONE)).find((p: { fixTime: string }) => p.fixTime === '2026-06-15T04:00:00.000Z');
    expect(fix).toMatchObject({ speed: 1.5, course: null, battery: 64, altitude: 1700 });
  });

  it('refuses an unknown device like Traccar: 400 for the query form, 404 for JSON', async () => {
    const query = await t.get(null, '/api/ingest/osmand?id=NOPE123&lat=24.3&lon=102.5');
    expect(query.statusCode).toBe(400);
    expect(query.json().error.code).toBe('unknown_device');
    const json = await t.post(null, '/api/ingest/osmand', {
      device_id: 'NOPE123',
      location: { timestamp: '2026-06-15T04:00:00Z', coords: { latitude: 24.3, longitude: 102.5 } },
    });
    expect(json.statusCode).toBe(404);
  });

  it('answers 400 naming the parameter that is wrong', async () => {
    const res = await t.get(null, `/api/ingest/osmand?id=${HONGTA_PHONE}&lat=abc&lon=102.5`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('query.lat');
    expect((await t.get(null, `/api/ingest/osmand?lat=24&lon=102.5`)).json().error.details[0].path).toMatch(/^query\.(id|deviceid)/);
  });

  it('absorbs a duplicate delivery and never moves the live position backwards', async () => {
    const [lon, lat] = inGrid;
    const later = nextTime();
    const earlier = new Date(later.getTime() - 60_000);
    const send = (at: Date, dlon = 0) =>
      t.get(null, `/api/ingest/osmand?id=${JIANGCHUAN_PHONE}&lat=${lat}&lon=${lon + dlon}&timestamp=${at.toISOString()}`);
    expect((await send(later)).json()).toEqual({ stored: 1, duplicates: 0 });
    expect((await send(later)).json()).toEqual({ stored: 0, duplicates: 1 });
    expect((await send(earlier, 0.01)).json()).toEqual({ stored: 1, duplicates: 0 });
    const { rows } = await t.database.pool.query(
      `SELECT count(*)::int AS n FROM positions p JOIN devices d ON d.id = p.device_id WHERE d.unique_id = $1 AND p.fix_time IN ($2, $3)`,
      [JIANGCHUAN_PHONE, later, earlier],
    );
    expect(rows[0].n).toBe(2);
    const state = await t.database.pool.query(
      'SELECT s.fix_time, s.lon FROM device_states s JOIN devices d ON d.id = s.device_id WHERE d.unique_id = $1',
      [JIANGCHUAN_PHONE],
    );
    expect(state.rows[0].fix_time.toISOString()).toBe(later.toISOString());
    expect(state.rows[0].lon).toBeCloseTo(lon, 9);
  });

  it('stores and flags a fix outside the territory', async () => {
    const at = nextTime();
    expect((await t.get(null, `/api/ingest/osmand?id=${HONGTA_PHONE}&lat=39.9&lon=116.4&timestamp=${at.toISOString()}`)).statusCode).toBe(
      200,
    );
    const fix = (await positionsOf(HONGTA_PHONE)).find((p: { fixTime: string }) => p.fixTime === at.toISOString());
    expect(fix).toMatchObject({ outsideTerritory: true, countyCode: null, gridId: null, inAssignedArea: false });
  });

  it('serves the same protocol on its own port', async () => {
    const { server, port } = await startOsmAndServer(t.network.ingest, { port: 0, host: '127.0.0.1', logger: false });
    try {
      const [lon, lat] = inGrid;
      const at = nextTime();
      const res = await fetch(`http://127.0.0.1:${port}/?id=${HONGTA_PHONE}&lat=${lat}&lon=${lon}&timestamp=${at.getTime()}`, {
        method: 'POST',
      });
      expect(res.status).toBe(200);
      expect((await positionsOf(HONGTA_PHONE)).some((p: { fixTime: string }) => p.fixTime === at.toISOString())).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/?id=UNKNOWN1&lat=${lat}&lon=${lon}`)).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

describe('device keys', () => {
  it('a device with a key is refused without it (as an unknown device is) and accepted with it as a parameter or bearer token', async () => {
    const created = await t.post('hongta', '/api/devices', { uniqueId: 'KEYED-PHONE-1', name: '带密钥的终端', generateKey: true });
    expect(created.statusCode).toBe(201);
    const { key, id } = created.json();
    expect(key).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const { rows } = await t.database.pool.query('SELECT key_hash FROM devices WHERE id = $1', [id]);
    expect(rows[0].key_hash).not.toContain(key);
    const [lon, lat] = inGrid;
    const url = `/api/ingest/osmand?id=KEYED-PHONE-1&lat=${lat}&lon=${lon}&timestamp=${nextTime().toISOString()}`;
    expect((await t.get(null, url)).statusCode).toBe(400);
    expect((await t.get(null, `${url}&key=wrong-key-123`)).statusCode).toBe(400);
    expect((await t.get(null, `${url}&key=${key}`)).statusCode).toBe(200);
    const bearer = await t.request(null, {
      method: 'GET',
      url: `/api/ingest/osmand?id=KEYED-PHONE-1&lat=${lat}&lon=${lon}&timestamp=${nextTime().toISOString()}`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(bearer.statusCode).toBe(200);
  });
});

describe('OwnTracks', () => {
  it('stores a location with the device from X-Limit-D and vel converted from km/h', async () => {
    const [lon, lat] = inGrid;
    const tst = Math.floor(nextTime().getTime() / 1000);
    const res = await t.request(null, {
      method: 'POST',
      url: '/api/ingest/owntracks',
      headers: { 'content-type': 'application/json', 'x-limit-u': 'ranger', 'x-limit-d': HONGTA_PHONE },
      payload: { _type: 'location', lat, lon, tst, acc: 8, vel: 36, cog: 180, batt: 55, bs: 2, tid: 'LJ' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
    const fix = (await positionsOf(HONGTA_PHONE)).find((p: { fixTime: string }) => p.fixTime === new Date(tst * 1000).toISOString());
    expect(fix).toMatchObject({ speed: 10, course: 180, battery: 55, accuracy: 8 });
  });

  it('uses tid when no header names the device, and answers other message types with []', async () => {
    const [lon, lat] = inGrid;
    const tst = Math.floor(nextTime().getTime() / 1000);
    expect((await t.post(null, '/api/ingest/owntracks', { _type: 'location', lat, lon, tst, tid: JIANGCHUAN_PHONE })).statusCode).toBe(200);
    expect((await t.post(null, '/api/ingest/owntracks', { _type: 'waypoint', desc: 'x', tst })).json()).toEqual([]);
    const missing = await t.post(null, '/api/ingest/owntracks', { _type: 'location', lat, lon, tst });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe('body.tid');
  });
});

describe('gateway batches', () => {
  it('stores a batch, lists fixes of unknown devices, and refuses a malformed one whole', async () => {
    const [lon, lat] = inGrid;
    const at = nextTime().toISOString();
    const ok = await t.post(null, '/api/ingest/positions', [
      { uniqueId: HONGTA_PHONE, fixTime: at, lon, lat, speed: 2 },
      { uniqueId: JIANGCHUAN_PHONE, fixTime: at, lon, lat },
      { uniqueId: 'GHOST-1', fixTime: at, lon, lat },
    ]);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ stored: 2, duplicates: 0, rejected: [{ index: 2, uniqueId: 'GHOST-1', reason: 'unknown_device' }] });
    const before = (await t.database.pool.query('SELECT count(*)::int AS n FROM positions')).rows[0].n;
    const bad = await t.post(null, '/api/ingest/positions', [
      { uniqueId: HONGTA_PHONE, fixTime: nextTime().toISOString(), lon, lat },
      { uniqueId: HONGTA_PHONE, fixTime: nextTime().toISOString(), lon, lat: 'north' },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body[1].lat');
    expect((await t.database.pool.query('SELECT count(*)::int AS n FROM positions')).rows[0].n).toBe(before);
    expect((await t.post(null, '/api/ingest/positions', { uniqueId: 'x' })).statusCode).toBe(400);
  });

  it('counts a resent batch that overlaps what is stored fix by fix, and stores only the new ones', async () => {
    const [lon, lat] = inGrid;
    const [a, b, c] = [nextTime(), nextTime(), nextTime()].map((d) => d.toISOString());
    const fix = (fixTime: string) => ({ uniqueId: HONGTA_PHONE, fixTime, lon, lat });
    expect((await t.post(null, '/api/ingest/positions', [fix(a)])).json()).toMatchObject({ stored: 1, duplicates: 0 });
    // A gateway resends after a timeout: the first fix again, with two new ones between others' fixes.
    const resent = await t.post(null, '/api/ingest/positions', [fix(b), fix(a), { ...fix(b), uniqueId: JIANGCHUAN_PHONE }, fix(c)]);
    expect(resent.json()).toMatchObject({ stored: 3, duplicates: 1 });
    const { rows } = await t.database.pool.query(
      'SELECT count(*)::int AS n FROM positions p JOIN devices d ON d.id = p.device_id WHERE d.unique_id = $1 AND p.fix_time = ANY($2::timestamptz[])',
      [HONGTA_PHONE, [a, b, c]],
    );
    expect(rows[0].n).toBe(3);
  });
});

describe('positions are read within scope', () => {
  it("a county officer cannot read another county's device", async () => {
    expect((await t.get('hongta', `/api/positions?uniqueId=${JIANGCHUAN_PHONE}`)).statusCode).toBe(404);
    expect((await t.get('jiangchuan', `/api/positions?uniqueId=${JIANGCHUAN_PHONE}`)).statusCode).toBe(200);
    expect((await t.get('hongta', '/api/positions')).json().error.details[0].path).toBe('querystring.uniqueId');
  });

  it('the live picture holds only devices of the caller’s scope', async () => {
    const live = (await t.get('hongta', '/api/positions/live')).json().items;
    expect(live.length).toBeGreaterThan(0);
    expect(
      live.every(
        (d: { uniqueId: string }) => d.uniqueId.startsWith('YX530402') || d.uniqueId.startsWith('KEYED') || d.uniqueId.startsWith('web-'),
      ),
    ).toBe(true);
  });
});
