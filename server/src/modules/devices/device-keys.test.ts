import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { demoDeviceKey } from '../../seed/rangers.js';

let t: TestApp;
let lon: number;
let lat: number;
const PHONE = 'YX5304020001'; // the demo phone of ranger1's ranger
let clock = Date.now() - 3_600_000;
const nextTime = () => {
  clock += 1000;
  return new Date(clock);
};

beforeAll(async () => {
  t = await createTestApp();
  [lon, lat] = await t.pointIn('53040200101');
});
afterAll(() => t.close());

const osmand = (id: string, key?: string) =>
  t.get(null, `/api/ingest/osmand?id=${id}&lat=${lat}&lon=${lon}&timestamp=${nextTime().toISOString()}${key ? `&key=${key}` : ''}`);
const osmandJson = (id: string, key?: string) =>
  t.request(null, {
    method: 'POST',
    url: '/api/ingest/osmand',
    headers: key ? { authorization: `Bearer ${key}` } : {},
    payload: { device_id: id, location: { timestamp: nextTime().toISOString(), coords: { latitude: lat, longitude: lon } } },
  });
const ownTracks = (id: string, key?: string) =>
  t.request(null, {
    method: 'POST',
    url: '/api/ingest/owntracks',
    headers: { 'x-limit-d': id, ...(key ? { authorization: `Basic ${Buffer.from(`u:${key}`).toString('base64')}` } : {}) },
    payload: { _type: 'location', lat, lon, tst: Math.floor(nextTime().getTime() / 1000) },
  });
const batch = (id: string, key?: string) =>
  t.post(null, '/api/ingest/positions', [{ uniqueId: id, fixTime: nextTime().toISOString(), lon, lat, ...(key ? { key } : {}) }]);

/** What a client learns from an answer: status and body, with the identity it sent blanked out. */
const seen = async (answer: Promise<{ statusCode: number; body: string }>, id: string) => {
  const res = await answer;
  return { status: res.statusCode, body: res.body.replaceAll(id, '<id>') };
};

describe('device keys', () => {
  it('demo phones have keys: their demo key is accepted, no key or a wrong one is not', async () => {
    const key = demoDeviceKey(PHONE);
    expect((await osmand(PHONE, key)).statusCode).toBe(200);
    expect((await osmand(PHONE)).statusCode).toBe(400);
    expect((await osmand(PHONE, 'wrong-key-123')).statusCode).toBe(400);
    const listed = (await t.get('hongta', `/api/devices?q=${PHONE}`)).json().items[0];
    expect(listed).toMatchObject({ uniqueId: PHONE, hasKey: true, kind: 'phone' });
  });

  it('an unknown id and a wrong or missing key answer alike on every protocol', async () => {
    const ghost = 'NO-SUCH-DEVICE-9';
    for (const send of [osmand, osmandJson, ownTracks, batch]) {
      const unknown = await seen(send(ghost), ghost);
      expect(await seen(send(PHONE), PHONE)).toEqual(unknown);
      expect(await seen(send(PHONE, 'wrong-key-123'), PHONE)).toEqual(unknown);
    }
    expect((await batch(ghost)).json().rejected).toEqual([{ index: 0, uniqueId: ghost, reason: 'unknown_device' }]);
    // A retired device answers like an unknown one too.
    const retired = (await t.post('hongta', '/api/devices', { uniqueId: 'RETIRED-KEYS-1', name: '退役' })).json();
    await t.del('hongta', `/api/devices/${retired.id}`, { reason: '丢失' });
    expect(await seen(osmand('RETIRED-KEYS-1'), 'RETIRED-KEYS-1')).toEqual(await seen(osmand(ghost), ghost));
  });

  it('POST /api/devices without a key still registers a keyless device, which reports without one', async () => {
    const res = await t.post('hongta', '/api/devices', { uniqueId: 'KEYLESS-1', name: '无密钥终端' });
    expect(res.json()).toMatchObject({ hasKey: false });
    expect((await osmand('KEYLESS-1')).statusCode).toBe(200);
  });

  it('a generated key can replace the key of an existing device, shown once', async () => {
    const device = (await t.get('hongta', '/api/devices?q=KEYLESS-1')).json().items[0];
    const rekeyed = await t.patch('hongta', `/api/devices/${device.id}`, { generateKey: true, version: device.version });
    expect(rekeyed.json()).toMatchObject({ hasKey: true, key: expect.any(String) });
    expect((await osmand('KEYLESS-1')).statusCode).toBe(400);
    expect((await osmand('KEYLESS-1', rekeyed.json().key)).statusCode).toBe(200);
    // Back to keyless for the next test.
    await t.patch('hongta', `/api/devices/${device.id}`, { key: null, version: rekeyed.json().version });
  });

  it('an office may require keys for its county: keyless devices there are refused and cannot be registered', async () => {
    const hongta = await t.unit('530402');
    const policies = (await t.get('hongta', '/api/devices/key-policies')).json().items;
    expect(policies).toEqual([{ orgUnitId: hongta.id, orgUnitName: hongta.name, requireKeys: false, keylessDevices: expect.any(Number) }]);
    expect(policies[0].keylessDevices).toBeGreaterThanOrEqual(1);
    expect((await osmand('KEYLESS-1')).statusCode).toBe(200);

    expect(
      (await t.request('police1', { method: 'PUT', url: `/api/devices/key-policies/${hongta.id}`, payload: { requireKeys: true } }))
        .statusCode,
    ).toBe(403);
    const jiangchuan = await t.unit('530403');
    const foreign = await t.request('hongta', {
      method: 'PUT',
      url: `/api/devices/key-policies/${jiangchuan.id}`,
      payload: { requireKeys: true },
    });
    expect(foreign.statusCode).toBe(404);
    const set = await t.request('hongta', { method: 'PUT', url: `/api/devices/key-policies/${hongta.id}`, payload: { requireKeys: true } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ orgUnitId: hongta.id, requireKeys: true });

    // A keyless device of the county is now refused like a wrong key; keyed ones and other counties carry on.
    expect(await seen(osmand('KEYLESS-1'), 'KEYLESS-1')).toEqual(await seen(osmand('NO-SUCH-DEVICE-9'), 'NO-SUCH-DEVICE-9'));
    expect((await osmand(PHONE, demoDeviceKey(PHONE))).statusCode).toBe(200);
    const jiangchuanKeyless = await t.post('jiangchuan', '/api/devices', { uniqueId: 'KEYLESS-JC-1', name: '无密钥终端' });
    expect(jiangchuanKeyless.statusCode).toBe(201);

    const refused = await t.post('hongta', '/api/devices', { uniqueId: 'KEYLESS-2', name: '无密钥终端' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.key']);
    expect((await t.post('hongta', '/api/devices', { uniqueId: 'KEYED-2', name: '有密钥终端', generateKey: true })).statusCode).toBe(201);
    const phone = (await t.get('hongta', `/api/devices?q=${PHONE}`)).json().items[0];
    const unkey = await t.patch('hongta', `/api/devices/${phone.id}`, { key: null, version: phone.version });
    expect(unkey.json().error.details[0].path).toBe('body.key');

    // The city office sets it too; off again, the keyless device reports.
    const off = await t.request('city', { method: 'PUT', url: `/api/devices/key-policies/${hongta.id}`, payload: { requireKeys: false } });
    expect(off.json().requireKeys).toBe(false);
    expect((await osmand('KEYLESS-1')).statusCode).toBe(200);
    const { rows } = await t.database.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'device.key_policy'");
    expect(rows[0].n).toBe(2);
  });
});

describe('the ranger page', () => {
  it('reports through the ranger’s registered phone under the session, without a key and without a second device', async () => {
    const before = (await t.get('hongta', '/api/devices?pageSize=200&q=web-')).json().total;
    const at = new Date();
    const res = await t.post('ranger1', '/api/me/positions', { fixes: [{ fixTime: at.toISOString(), lon, lat, accuracy: 8 }] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stored: 1 });
    const { rows } = await t.database.pool.query(
      'SELECT d.unique_id FROM positions p JOIN devices d ON d.id = p.device_id WHERE p.fix_time = $1',
      [at],
    );
    expect(rows.map((r: { unique_id: string }) => r.unique_id)).toEqual([PHONE]);
    expect((await t.get('hongta', '/api/devices?pageSize=200&q=web-')).json().total).toBe(before);
  });

  it('a ranger without a phone gets the ranger page’s own device, with a key nobody knows', async () => {
    const phone = (await t.get('hongta', `/api/devices?q=${PHONE}`)).json().items[0];
    await t.patch('hongta', `/api/devices/${phone.id}`, { rangerId: null, version: phone.version });
    const res = await t.post('ranger1', '/api/me/positions', { fixes: [{ fixTime: new Date().toISOString(), lon, lat }] });
    expect(res.statusCode).toBe(200);
    const web = (await t.get('hongta', '/api/devices?q=web-')).json().items;
    expect(web).toHaveLength(1);
    expect(web[0]).toMatchObject({ hasKey: true, kind: 'phone', rangerId: phone.rangerId });
    expect((await osmand(web[0].uniqueId)).statusCode).toBe(400);
  });
});
