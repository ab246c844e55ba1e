import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let hongtaRanger: { id: string; name: string };
let otherHongtaRanger: { id: string; name: string };
let jiangchuanRanger: { id: string };

beforeAll(async () => {
  t = await createTestApp();
  const rangers = (await t.get('hongta', '/api/rangers?pageSize=5&sort=name')).json().items;
  [hongtaRanger, otherHongtaRanger] = rangers;
  jiangchuanRanger = (await t.get('jiangchuan', '/api/rangers?pageSize=1')).json().items[0];
});
afterAll(() => t.close());

describe('devices', () => {
  it('registers a device bound to a ranger (201 with id) and lists it in scope only', async () => {
    const res = await t.post('hongta', '/api/devices', { uniqueId: '861234567890123', name: '测试终端', rangerId: hongtaRanger.id });
    expect(res.statusCode).toBe(201);
    const device = res.json();
    expect(device).toMatchObject({ uniqueId: '861234567890123', rangerId: hongtaRanger.id, hasKey: false });
    expect(device.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.get('jiangchuan', `/api/devices/${device.id}`)).statusCode).toBe(404);
    const listed = (await t.get('hongta', '/api/devices?q=861234567890123')).json();
    expect(listed.items.map((d: { id: string }) => d.id)).toEqual([device.id]);
  });

  it('refuses a taken identity with 409 and a ranger of another county as unknown (404 naming the field)', async () => {
    expect((await t.post('hongta', '/api/devices', { uniqueId: '861234567890123', name: '重复' })).statusCode).toBe(409);
    const foreign = await t.post('hongta', '/api/devices', { uniqueId: 'NEW-1', name: 'x', rangerId: jiangchuanRanger.id });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.details[0].path).toBe('body.rangerId');
    const unknown = await t.post('hongta', '/api/devices', {
      uniqueId: 'NEW-1',
      name: 'x',
      rangerId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.json()).toEqual(foreign.json());
    const bad = await t.post('hongta', '/api/devices', { uniqueId: 'has space', name: '' });
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.uniqueId', 'body.name']);
    expect((await t.post('duty', '/api/devices', { uniqueId: 'NEW-2', name: 'x' })).statusCode).toBe(403);
  });

  it('an identity taken in another county answers exactly as one taken in your own: no unit, no ranger', async () => {
    const own = await t.post('hongta', '/api/devices', { uniqueId: 'YX5304020002', name: '重复' });
    const elsewhere = await t.post('hongta', '/api/devices', { uniqueId: 'YX5304030001', name: '重复' });
    expect(own.statusCode).toBe(409);
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json()).toEqual(own.json());
    expect(elsewhere.body).not.toMatch(/江川|YX5304030001/);
  });

  it('the ranger page’s identities (web-<id>) cannot be registered by hand', async () => {
    const res = await t.post('hongta', '/api/devices', { uniqueId: `web-${jiangchuanRanger.id}`, name: '冒用', rangerId: hongtaRanger.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.uniqueId']);
    expect((await t.post('hongta', '/api/devices', { uniqueId: 'WEB-anything', name: 'x' })).statusCode).toBe(400);
  });

  it('a device belongs to the unit of the ranger it is bound to, and follows a hand-over', async () => {
    const ranger = (await t.get('hongta', `/api/rangers/${hongtaRanger.id}`)).json();
    const created = await t.post('hongta', '/api/devices', { uniqueId: 'FOLLOW-1', name: '跟随', rangerId: ranger.id, generateKey: true });
    expect(created.json()).toMatchObject({ orgUnitId: ranger.orgUnitId, kind: 'phone', hasKey: true });
    const hongta = await t.unit('530402');
    const mismatch = await t.post('hongta', '/api/devices', { uniqueId: 'FOLLOW-2', name: 'x', rangerId: ranger.id, orgUnitId: hongta.id });
    expect(mismatch.json().error.details[0].path).toBe('body.orgUnitId');
    const other = (await t.get('hongta', `/api/rangers/${otherHongtaRanger.id}`)).json();
    const handed = await t.patch('hongta', `/api/devices/${created.json().id}`, { rangerId: other.id, version: created.json().version });
    expect(handed.json().orgUnitId).toBe(other.orgUnitId);
    const foreign = await t.patch('hongta', `/api/devices/${created.json().id}`, {
      rangerId: jiangchuanRanger.id,
      version: handed.json().version,
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('a phone that changes hands keeps each ranger’s history right', async () => {
    const device = (await t.post('hongta', '/api/devices', { uniqueId: 'HANDOVER-1', name: '交接终端', rangerId: hongtaRanger.id })).json();
    const send = (at: string) => t.get(null, `/api/ingest/osmand?id=HANDOVER-1&lat=24.35&lon=102.55&timestamp=${at}`);
    expect((await send(new Date().toISOString())).statusCode).toBe(200);
    const handed = await t.patch('hongta', `/api/devices/${device.id}`, { rangerId: otherHongtaRanger.id, version: device.version });
    expect(handed.statusCode).toBe(200);
    expect(handed.json().rangerId).toBe(otherHongtaRanger.id);
    expect((await send(new Date(Date.now() + 1000).toISOString())).statusCode).toBe(200);
    // A fix from before the phone was registered belongs to nobody.
    expect((await send(new Date(Date.now() - 3_600_000).toISOString())).statusCode).toBe(200);
    const { rows } = await t.database.pool.query('SELECT ranger_id FROM positions WHERE device_id = $1 ORDER BY fix_time', [device.id]);
    expect(rows.map((r: { ranger_id: string }) => r.ranger_id)).toEqual([null, hongtaRanger.id, otherHongtaRanger.id]);
    const bindings = (await t.get('hongta', `/api/devices/${device.id}/bindings`)).json().items;
    expect(bindings).toHaveLength(2);
    expect(bindings[1].validTo).not.toBeNull();
    expect((await t.patch('hongta', `/api/devices/${device.id}`, { name: 'stale', version: device.version })).statusCode).toBe(409);
  });

  it('a retired device is refused at ingest; its positions stay', async () => {
    const device = (await t.post('hongta', '/api/devices', { uniqueId: 'RETIRE-1', name: '退役终端' })).json();
    expect((await t.get(null, '/api/ingest/osmand?id=RETIRE-1&lat=24.35&lon=102.55')).statusCode).toBe(200);
    expect((await t.del('hongta', `/api/devices/${device.id}`, { reason: '设备损坏' })).statusCode).toBe(204);
    expect((await t.get(null, '/api/ingest/osmand?id=RETIRE-1&lat=24.35&lon=102.55')).statusCode).toBe(400);
    const { rows } = await t.database.pool.query('SELECT count(*)::int AS n FROM positions WHERE device_id = $1', [device.id]);
    expect(rows[0].n).toBe(1);
  });
});
