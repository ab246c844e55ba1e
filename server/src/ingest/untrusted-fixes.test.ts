import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { startMqttIngest } from './mqtt.js';

// Mosquitto runs on this machine (and in CI); MQTT_TEST_URL points elsewhere.
const BROKER = process.env.MQTT_TEST_URL ?? 'mqtt://127.0.0.1:1883';
const RANGER1_PHONE = 'YX5304020001'; // the phone of ranger1's ranger in the demo data
let t: TestApp;
let stopMqtt: () => Promise<void>;
/** Two points far apart in the grid ranger1's ranger is assigned to. */
let inGrid: [number, number];
let elsewhereInGrid: [number, number];
/** Devices without a key registered for these tests; the last one carried by ranger1's ranger. */
let keyless: string[];
let rangersDevice: string;

beforeAll(async () => {
  t = await createTestApp();
  const { rows } = await t.database.pool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(g) AS lon, ST_Y(g) AS lat FROM (
       SELECT ST_PointOnSurface(area) AS g FROM org_units WHERE code = '53040200101'
       UNION ALL
       SELECT (ST_Dump(ST_GeneratePoints(area, 1, 7))).geom FROM org_units WHERE code = '53040200101') q`,
  );
  inGrid = [rows[0].lon, rows[0].lat];
  elsewhereInGrid = [rows[1].lon, rows[1].lat];
  keyless = Array.from({ length: 45 }, (_, i) => `UNTRUSTED-${String(i).padStart(2, '0')}`);
  for (const uniqueId of keyless) expect((await t.post('hongta', '/api/devices', { uniqueId, name: uniqueId })).statusCode).toBe(201);
  const ranger = await t.database.pool.query<{ ranger_id: string }>(
    "SELECT b.ranger_id FROM device_bindings b JOIN devices d ON d.id = b.device_id WHERE d.unique_id = 'YX5304020001' AND b.valid_to IS NULL",
  );
  rangersDevice = 'UNTRUSTED-RANGER';
  const bound = await t.post('hongta', '/api/devices', {
    uniqueId: rangersDevice,
    name: rangersDevice,
    rangerId: ranger.rows[0].ranger_id,
  });
  expect(bound.statusCode).toBe(201);
  const clientId = `safeforest-untrusted-${process.pid}-${Date.now()}`;
  stopMqtt = (await startMqttIngest(t.network.ingest, { url: BROKER, clientId, log: { info: () => {}, warn: () => {} } })).stop;
});
afterAll(async () => {
  await stopMqtt?.();
  await t.close();
});

/** The stored fix of a device at a time, as the database holds it. */
async function storedFix(uniqueId: string, at: Date) {
  const { rows } = await t.database.pool.query(
    `SELECT p.valid, p.attributes, p.alarm, p.altitude FROM positions p JOIN devices d ON d.id = p.device_id
     WHERE d.unique_id = $1 AND p.fix_time = $2`,
    [uniqueId, at],
  );
  return rows[0] ?? null;
}

/** The fix time of a device's live state (what the map shows). */
async function liveFixTime(uniqueId: string): Promise<string | null> {
  const { rows } = await t.database.pool.query(
    'SELECT s.fix_time FROM device_states s JOIN devices d ON d.id = s.device_id WHERE d.unique_id = $1',
    [uniqueId],
  );
  return rows[0]?.fix_time?.toISOString() ?? null;
}

/** A whole second some minutes from now (negative: ago), distinct per call. */
let tick = 0;
const secondsFromNow = (minutes: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + minutes * 60_000 + tick++ * 1000);

describe('stray text from devices is cleaned, never a reason to lose a fix', () => {
  it('OsmAnd: U+0000 in an unknown parameter is stored without it; in the identity it is an unknown device', async () => {
    const [lon, lat] = inGrid;
    const at = secondsFromNow(-30);
    const res = await t.get(
      null,
      `/api/ingest/osmand?id=${keyless[0]}&lat=${lat}&lon=${lon}&timestamp=${at.getTime()}&foo=a%00b&alarm=%00`,
    );
    expect(res.statusCode).toBe(200);
    expect(await storedFix(keyless[0], at)).toMatchObject({ attributes: { foo: 'ab' }, alarm: null });
    const unknown = await t.get(null, `/api/ingest/osmand?id=YX%0053&lat=${lat}&lon=${lon}`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_device');
  });

  it('Traccar JSON and OwnTracks: U+0000 and lone surrogates in extras, names and values are cleaned', async () => {
    const [lon, lat] = inGrid;
    const first = secondsFromNow(-40);
    const json = await t.post(null, '/api/ingest/osmand', {
      device_id: keyless[0],
      location: {
        timestamp: first.toISOString(),
        coords: { latitude: lat, longitude: lon, altitude: 1e300 },
        extras: { note: 'x\ud800y' },
      },
    });
    expect(json.statusCode).toBe(200);
    expect(await storedFix(keyless[0], first)).toMatchObject({ attributes: { 'extras.note': 'x\ufffdy' }, altitude: null });
    const second = secondsFromNow(-41);
    const owntracks = await t.post(null, '/api/ingest/owntracks', {
      _type: 'location',
      lat,
      lon,
      tst: second.getTime() / 1000,
      tid: keyless[0],
      'odd\u0000name': '\udc00',
    });
    expect(owntracks.statusCode).toBe(200);
    expect(await storedFix(keyless[0], second)).toMatchObject({ attributes: { oddname: '\ufffd' } });
  });

  it('a gateway batch: a fix with stray text is stored, one whose identity cannot exist is rejected alone', async () => {
    const [lon, lat] = inGrid;
    const at = secondsFromNow(-50);
    const res = await t.post(null, '/api/ingest/positions', [
      { uniqueId: keyless[1], fixTime: at.toISOString(), lon, lat },
      { uniqueId: 'YX\u00005304', fixTime: at.toISOString(), lon, lat },
      { uniqueId: keyless[2], fixTime: at.toISOString(), lon, lat, alarm: 'lo\u0000w', attributes: { 'k\u0000': 'v\u0000' } },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ stored: 2, duplicates: 0, rejected: [{ index: 1, uniqueId: 'YX5304', reason: 'unknown_device' }] });
    expect(await storedFix(keyless[2], at)).toMatchObject({ alarm: 'low', attributes: { k: 'v' } });
  });

  it('forty devices reporting at once, half of them with stray text and absurd numbers: every fix is stored', async () => {
    const [lon, lat] = inGrid;
    const at = secondsFromNow(-60);
    const senders = keyless.slice(5, 45);
    expect(senders).toHaveLength(40);
    const answers = await Promise.all(
      senders.map((id, i) =>
        t.get(
          null,
          `/api/ingest/osmand?id=${id}&lat=${lat}&lon=${lon}&timestamp=${at.getTime()}${i % 2 ? '&foo=a%00b&accuracy=1e-300&altitude=-1e39' : ''}`,
        ),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(senders.map(() => 200));
    const { rows } = await t.database.pool.query(
      'SELECT count(*)::int AS n FROM positions p JOIN devices d ON d.id = p.device_id WHERE d.unique_id = ANY($1) AND p.fix_time = $2',
      [senders, at],
    );
    expect(rows[0].n).toBe(40);
  });

  it('a commit the database refuses is retried request by request: only the request at fault is refused', async () => {
    const [lon, lat] = inGrid;
    const at = secondsFromNow(-70);
    const fix = (deviceKey: string) => ({
      deviceKey,
      fixTime: at,
      lon,
      lat,
      accuracy: null,
      altitude: null,
      speed: null,
      course: null,
      battery: null,
      valid: true,
      alarm: null,
      attributes: {},
      key: null,
    });
    const { pipeline } = t.network;
    const good = await pipeline.prepare([fix(keyless[3])]);
    const bad = await pipeline.prepare([fix(keyless[4])]);
    // A value that got past every check (as one once did): the database refuses the whole commit.
    bad.prepared[0].row.attributes = { note: 'a\u0000b' };
    const [goodOutcome, badOutcome] = await Promise.allSettled([pipeline.write(good.prepared), pipeline.write(bad.prepared)]);
    expect(goodOutcome).toEqual({ status: 'fulfilled', value: { stored: 1, duplicates: 0 } });
    expect(badOutcome).toMatchObject({ status: 'rejected', reason: { statusCode: 400 } });
    expect(await storedFix(keyless[3], at)).not.toBeNull();
    expect(await storedFix(keyless[4], at)).toBeNull();
  });
});

describe('a fix dated ahead of the server clock is stored as suspect and moves nothing live', () => {
  /** Sends a fix of `uniqueId` at `at` through one ingest path. */
  const paths: Record<string, (uniqueId: string, at: Date, extra?: { batt?: number }) => Promise<void>> = {
    osmand: async (id, at, extra) => {
      const [lon, lat] = inGrid;
      const res = await t.get(
        null,
        `/api/ingest/osmand?id=${id}&lat=${lat}&lon=${lon}&timestamp=${at.getTime()}&batt=${extra?.batt ?? 80}`,
      );
      expect(res.statusCode).toBe(200);
    },
    owntracks: async (id, at) => {
      const [lon, lat] = inGrid;
      const res = await t.post(null, '/api/ingest/owntracks', { _type: 'location', lat, lon, tst: at.getTime() / 1000, tid: id });
      expect(res.statusCode).toBe(200);
    },
    batch: async (id, at) => {
      const [lon, lat] = inGrid;
      const res = await t.post(null, '/api/ingest/positions', [{ uniqueId: id, fixTime: at.toISOString(), lon, lat }]);
      expect(res.json()).toMatchObject({ stored: 1 });
    },
    mqtt: async (id, at) => {
      const [lon, lat] = inGrid;
      const client = await mqtt.connectAsync(BROKER);
      await client.publishAsync(`owntracks/test/${id}`, JSON.stringify({ _type: 'location', lat, lon, tst: at.getTime() / 1000 }), {
        qos: 1,
      });
      await client.endAsync();
      await expect.poll(() => storedFix(id, at), { timeout: 10_000 }).not.toBeNull();
    },
  };

  for (const [name, send] of Object.entries(paths)) {
    it(`${name}: the fix is stored, not valid, and the live position stays where it was`, async () => {
      const id = keyless[10 + Object.keys(paths).indexOf(name)];
      const map = await t.listen('city', ['positions']);
      const now = secondsFromNow(-1);
      await send(id, now);
      const ahead = secondsFromNow(23 * 60);
      await send(id, ahead);
      expect(await storedFix(id, ahead)).toMatchObject({
        valid: false,
        attributes: expect.objectContaining({ suspect: 'future_fix_time' }),
      });
      expect(await liveFixTime(id)).toBe(now.toISOString());
      // A later fix in the present still moves the map; the one ahead never reached it.
      const next = secondsFromNow(0);
      await send(id, next);
      await expect.poll(() => liveFixTime(id)).toBe(next.toISOString());
      await expect
        .poll(() => map.received.some((m) => m.uniqueId === id && m.fixTime === next.toISOString()), { timeout: 5_000 })
        .toBe(true);
      expect(map.received.filter((m) => m.uniqueId === id && m.fixTime === ahead.toISOString())).toEqual([]);
      map.close();
    });
  }

  // The ranger page reports as one of the ranger's registered phones (the demo data's and this file's).
  it('the ranger page: a fix an hour ahead is stored as suspect and leaves the live position', async () => {
    const [lon, lat] = inGrid;
    const now = secondsFromNow(-1);
    const ahead = secondsFromNow(60);
    expect((await t.post('ranger1', '/api/me/positions', { fixes: [{ fixTime: now.toISOString(), lon, lat }] })).statusCode).toBe(200);
    expect((await t.post('ranger1', '/api/me/positions', { fixes: [{ fixTime: ahead.toISOString(), lon, lat }] })).statusCode).toBe(200);
    const { rows } = await t.database.pool.query(
      'SELECT p.valid, s.fix_time AS live FROM positions p JOIN devices d ON d.id = p.device_id JOIN device_states s ON s.device_id = d.id WHERE d.unique_id = ANY($2) AND p.fix_time = $1',
      [ahead, [RANGER1_PHONE, rangersDevice]],
    );
    expect(rows).toEqual([{ valid: false, live: now }]);
  });

  it('opens no patrol and raises no alert but an SOS, which still gets through marked as doubtful', async () => {
    const id = rangersDevice;
    const { rows } = await t.database.pool.query<{ ranger_id: string }>(
      'SELECT b.ranger_id FROM device_bindings b JOIN devices d ON d.id = b.device_id WHERE d.unique_id = $1 AND b.valid_to IS NULL',
      [id],
    );
    const rangerId = rows[0].ranger_id;
    const alertsOf = async () =>
      (await t.database.pool.query('SELECT kind, details FROM alerts WHERE ranger_id = $1 ORDER BY raised_at', [rangerId])).rows;
    const patrolsOf = async () => (await t.database.pool.query('SELECT id FROM patrols WHERE ranger_id = $1', [rangerId])).rows;
    const [lon, lat] = inGrid;
    const [otherLon, otherLat] = elsewhereInGrid;
    const before = { alerts: (await alertsOf()).length, patrols: (await patrolsOf()).length };
    const ahead = secondsFromNow(120);
    const send = async (x: number, y: number, at: number, extra: string) =>
      expect((await t.get(null, `/api/ingest/osmand?id=${id}&lat=${y}&lon=${x}&timestamp=${at}${extra}`)).statusCode).toBe(200);
    // Where the ranger is now, then a low battery far away in the grid: from the present it would raise and open.
    // Alerts are raised in the fix's own commit, and an opening is asked for before the fix is answered.
    const opening = vi.spyOn(t.services.patrolsService, 'openByMovement');
    try {
      await send(lon, lat, secondsFromNow(-2).getTime(), '&batt=90');
      await send(otherLon, otherLat, ahead.getTime(), '&batt=3');
      expect(opening.mock.calls.filter(([rangerIds]) => rangerIds.includes(rangerId))).toEqual([]);
    } finally {
      opening.mockRestore();
    }
    expect((await alertsOf()).length).toBe(before.alerts);
    expect((await patrolsOf()).length).toBe(before.patrols);
    await send(lon, lat, ahead.getTime() + 2000, '&alarm=sos');
    const alerts = await alertsOf();
    expect(alerts.slice(before.alerts)).toEqual([{ kind: 'sos', details: expect.objectContaining({ suspectFixTime: true }) }]);
  });

  it('the limit is a setting of the analyzers (futureFixMinutes, 5 by default)', async () => {
    const settings = (await t.get('admin', '/api/settings/analyzers')).json();
    expect(settings.futureFixMinutes).toBe(5);
    const put = await t.request('admin', {
      method: 'PUT',
      url: '/api/settings/analyzers',
      payload: { ...settings, futureFixMinutes: 180 },
    });
    expect(put.statusCode).toBe(200);
    const id = keyless[25];
    const ahead = secondsFromNow(120);
    await paths.osmand(id, ahead);
    expect(await storedFix(id, ahead)).toMatchObject({ valid: true });
    expect(await liveFixTime(id)).toBe(ahead.toISOString());
    await t.request('admin', { method: 'PUT', url: '/api/settings/analyzers', payload: settings });
  });
});
