import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { indicatorPeriod } from '../../platform/indicators.js';
import { gbIdProblem } from './cameras.schema.js';

let t: TestApp;
let hongta: { id: number; path: string };
let inHongta: [number, number];
let inJiangchuan: [number, number];

/** A whole 16×16 JPEG (made with ffmpeg). */
const JPEG_BASE64 =
  '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgUFBcUFxsbGxsbGyAeICEhISAgICAhISEkJCQqKiokJCQhISQkKCgqKi4vLisrKisvLzIyMjw8OTlGRkhWVmf/xABMAAEBAAAAAAAAAAAAAAAAAAAABgEBAQAAAAAAAAAAAAAAAAAABgcQAQAAAAAAAAAAAAAAAAAAAAARAQAAAAAAAAAAAAAAAAAAAAD/wAARCAAQABADASIAAhEAAxEA/9oADAMBAAIRAxEAPwCtAR06f//Z';
const JPEG = Buffer.from(JPEG_BASE64, 'base64');

let serial = 0;
/** A fresh valid GB/T 28181 id of a 红塔区 IP camera. */
const newGbId = () => `53040200001315${String(++serial).padStart(6, '0')}`;

const point = (c: [number, number]) => ({ type: 'Point', coordinates: c });

async function register(fields: Record<string, unknown> = {}, as = 'hongta') {
  const res = await t.post(as, '/api/cameras', {
    name: `测试摄像机 ${serial + 1}`,
    gbId: newGbId(),
    category: 'key_forest_area',
    type: 'smoke_fire',
    location: point(inHongta),
    ...fields,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const count = async (table: string) => Number((await t.database.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);

const isapiXml = (eventType: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<ipAddress>10.1.2.3</ipAddress><portNo>80</portNo><protocol>HTTP</protocol><macAddress>44:19:b6:00:00:01</macAddress>
<channelID>1</channelID><dateTime>2026-03-01T10:15:00+08:00</dateTime><activePostCount>1</activePostCount>
<eventType>${eventType}</eventType><eventState>active</eventState><eventDescription>${eventType} alarm</eventDescription>
<channelName>Camera 01</channelName>${extra}
</EventNotificationAlert>`;

/** A multipart body as Hikvision sends it: the XML part, then picture parts. */
function isapiMultipart(xml: string, pictures: Buffer[]) {
  const boundary = 'MIME_boundary';
  const parts: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="MoveDetection.xml"; filename="MoveDetection.xml"\r\nContent-Type: application/xml\r\n\r\n${xml}\r\n`,
    ),
  ];
  pictures.forEach((p, i) => {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="picture${i}"; filename="picture${i}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      p,
      Buffer.from('\r\n'),
    );
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  t = await createTestApp();
  hongta = await t.unit('530402');
  inHongta = await t.pointIn('530402001');
  inJiangchuan = await t.pointIn('530403');
});
afterAll(() => t?.close());

describe('the GB/T 28181 id of a camera', () => {
  it('is 20 digits with a division code and a camera device type', () => {
    expect(gbIdProblem('53040200001320000001')).toBeNull();
    expect(gbIdProblem('53040200001310000001')).toBeNull();
    expect(gbIdProblem('5304020000132000000')).toMatch(/20 digits/);
    expect(gbIdProblem('9904020000132000000A')).toMatch(/20 digits/);
    expect(gbIdProblem('99040200001320000001')).toMatch(/province/);
    expect(gbIdProblem('53000200001320000001')).toMatch(/division/);
    expect(gbIdProblem('53040200001330000001')).toMatch(/device type/);
    expect(gbIdProblem('53040200002000000001')).toMatch(/device type/);
  });
});

describe('the camera register', () => {
  it('a county registers a camera from the contract fields; it starts unknown and lists in {items,total}', async () => {
    const camera = await register({ streamUrl: 'http://127.0.0.1:1/live/a.m3u8', owner: '红塔区林草局' });
    expect(camera).toMatchObject({ status: 'unknown', orgUnitId: hongta.id, hlsUrl: 'http://127.0.0.1:1/live/a.m3u8', hasKey: false });
    const list = (await t.get('hongta', `/api/cameras?q=${camera.gbId}`)).json();
    expect(list.total).toBe(1);
    expect(list.items[0].id).toBe(camera.id);
    const layer = (await t.get('hongta', `/api/cameras/geojson?q=${camera.gbId}`)).json();
    expect(layer.features[0]).toMatchObject({ id: camera.id, properties: { status: 'unknown', playable: true } });
  });

  it('the demo register holds cameras across the counties, visible to the city', async () => {
    const list = (await t.get('city', '/api/cameras?pageSize=500')).json();
    const counties = new Set(
      list.items.filter((c: { notes: string }) => c.notes === '演示数据').map((c: { gbId: string }) => c.gbId.slice(0, 6)),
    );
    expect(counties.size).toBeGreaterThanOrEqual(8);
  });

  it('refuses a malformed, impossible or taken GB/T 28181 id naming body.gbId', async () => {
    const base = { name: 'x', category: 'reserve', type: 'dome', location: point(inHongta) };
    for (const gbId of ['1234', '53040200001320000001x', '99040200001320000001', '53040200001340000001']) {
      const res = await t.post('hongta', '/api/cameras', { ...base, gbId });
      expect(res.statusCode, gbId).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain('body.gbId');
    }
    const taken = await register();
    const res = await t.post('hongta', '/api/cameras', { ...base, gbId: taken.gbId });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.gbId');
  });

  it('refuses a place outside the county, a unit or site of another county, and a stream of no known form', async () => {
    const base = { name: 'x', category: 'reserve', type: 'dome', gbId: newGbId() };
    const outside = await t.post('hongta', '/api/cameras', { ...base, location: point(inJiangchuan) });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.details[0].path).toBe('body.location');
    const jiangchuan = await t.unit('530403');
    const foreignUnit = await t.post('hongta', '/api/cameras', { ...base, location: point(inHongta), orgUnitId: jiangchuan.id });
    expect(foreignUnit.json().error.details[0].path).toBe('body.orgUnitId');
    const site = (await t.get('jiangchuan', '/api/sites?pageSize=1')).json().items[0];
    const foreignSite = await t.post('hongta', '/api/cameras', { ...base, location: point(inHongta), siteId: site.id });
    expect(foreignSite.json().error.details[0].path).toBe('body.siteId');
    const stream = await t.post('hongta', '/api/cameras', { ...base, location: point(inHongta), streamUrl: 'http://x/y.mp4' });
    expect(stream.json().error.details[0].path).toBe('body.streamUrl');
  });

  it('another county cannot see or change the camera; a stale version is refused; a deleted camera frees its id', async () => {
    const camera = await register();
    expect((await t.get('jiangchuan', `/api/cameras/${camera.id}`)).statusCode).toBe(404);
    expect((await t.patch('jiangchuan', `/api/cameras/${camera.id}`, { name: 'x', version: 1 })).statusCode).toBe(404);
    expect((await t.get('jiangchuan', `/api/cameras?q=${camera.gbId}`)).json().total).toBe(0);
    expect((await t.get('checkpoint1', '/api/cameras')).statusCode).toBe(403);
    const changed = await t.patch('hongta', `/api/cameras/${camera.id}`, { name: '改名', version: 1 });
    expect(changed.json()).toMatchObject({ name: '改名', version: 2 });
    expect((await t.patch('hongta', `/api/cameras/${camera.id}`, { name: '再改', version: 1 })).statusCode).toBe(409);
    expect((await t.del('hongta', `/api/cameras/${camera.id}`, { reason: '拆除', version: 2 })).statusCode).toBe(204);
    expect((await t.get('hongta', `/api/cameras/${camera.id}`)).statusCode).toBe(404);
    await register({ gbId: camera.gbId });
  });

  it('exports the register as a workbook', async () => {
    const res = await t.get('hongta', '/api/cameras/export');
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('camera status', () => {
  it('a heartbeat brings a camera online (live), unknown ids and wrong keys are rejected alike', async () => {
    const camera = await register();
    const keyed = await register({ key: 'camera-secret-key' });
    const socket = await t.listen('hongta', ['cameras']);
    const other = await t.listen('jiangchuan', ['cameras']);
    const at = new Date().toISOString();
    const res = await t.request(null, {
      method: 'POST',
      url: '/api/ingest/camera-status',
      payload: [
        { gbId: camera.gbId, online: true, at },
        { gbId: '53040200001329999999', online: true, at },
        { gbId: keyed.gbId, online: true, at },
      ],
    });
    expect(res.json()).toEqual({
      stored: 1,
      rejected: [
        { index: 1, gbId: '53040200001329999999', reason: 'unknown_camera' },
        { index: 2, gbId: keyed.gbId, reason: 'unknown_camera' },
      ],
    });
    expect((await t.get('hongta', `/api/cameras/${camera.id}`)).json().status).toBe('online');
    const withKey = await t.request(null, {
      method: 'POST',
      url: '/api/ingest/camera-status',
      headers: { authorization: 'Bearer camera-secret-key' },
      payload: [{ gbId: keyed.gbId, online: true, at }],
    });
    expect(withKey.json().stored).toBe(1);
    await socket.settle();
    await other.settle();
    expect(socket.received.filter((m) => m.type === 'camera.status' && m.cameraId === camera.id)).toHaveLength(1);
    expect(other.received).toEqual([]);
    socket.close();
    other.close();
  });

  it('refuses an impossible time naming the field', async () => {
    const res = await t.request(null, {
      method: 'POST',
      url: '/api/ingest/camera-status',
      payload: [{ gbId: newGbId(), online: true, at: '2026-02-30T10:00:00+08:00' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.0.at');
  });

  it('a camera silent longer than the setting goes offline with an alert, once', async () => {
    const camera = await register();
    const old = new Date(Date.now() - 3 * 3600_000).toISOString();
    await t.request(null, { method: 'POST', url: '/api/ingest/camera-status', payload: [{ gbId: camera.gbId, online: true, at: old }] });
    expect(
      (
        await t.request('admin', {
          method: 'PUT',
          url: '/api/settings/cameras',
          payload: { offlineAfterMinutes: 60, alarmCooldownSeconds: 300 },
        })
      ).statusCode,
    ).toBe(200);
    expect(await t.services.camerasService.checkSilent()).toBeGreaterThanOrEqual(1);
    expect((await t.get('hongta', `/api/cameras/${camera.id}`)).json().status).toBe('offline');
    const alerts = (await t.get('hongta', '/api/alerts?pageSize=200'))
      .json()
      .items.filter(
        (a: { kind: string; details: { cameraId?: string } }) => a.kind === 'camera_offline' && a.details?.cameraId === camera.id,
      );
    expect(alerts).toHaveLength(1);
    await t.services.camerasService.checkSilent();
    const again = (await t.get('hongta', '/api/alerts?pageSize=200'))
      .json()
      .items.filter(
        (a: { kind: string; details: { cameraId?: string } }) => a.kind === 'camera_offline' && a.details?.cameraId === camera.id,
      );
    expect(again).toHaveLength(1);
    // A heartbeat brings it back: the alert of its silence is resolved by the system.
    await t.request(null, {
      method: 'POST',
      url: '/api/ingest/camera-status',
      payload: [{ gbId: camera.gbId, online: true, at: new Date().toISOString() }],
    });
    expect((await t.get('hongta', `/api/cameras/${camera.id}`)).json().status).toBe('online');
    expect((await t.get('hongta', `/api/alerts/${again[0].id}`)).json()).toMatchObject({
      state: 'resolved',
      resolvedBy: 'system',
      noteCode: 'back_online',
    });
  });

  it('counts the online rate per unit and period for the assessment', async () => {
    const definition = t.indicators.get('camera_online_rate');
    if (!definition) throw new Error('camera_online_rate is not registered');
    const now = new Date();
    const cst = new Date(now.getTime() + 8 * 3600_000);
    const period = indicatorPeriod(cst.getUTCFullYear(), cst.getUTCMonth() + 1);
    const { rows } = await t.database.pool.query('SELECT id, code, name, kind, path FROM org_units WHERE id = $1', [hongta.id]);
    const result = await definition.compute(t.database.db, rows[0], period);
    expect(result.basis.records).toBeGreaterThan(0);
    expect(result.value).toBeGreaterThan(0);
    expect(result.value).toBeLessThan(1);
    const jiangchuan = await t.unit('530403');
    const none = await definition.compute(t.database.db, { ...rows[0], id: jiangchuan.id, path: jiangchuan.path }, period);
    expect(none.value).toBe(0);
  });
});

describe('camera alarms', () => {
  it('a smoke alarm with a snapshot from a forest camera opens an incident; repeats inside the cooldown are counted', async () => {
    const camera = await register({ category: 'reserve' });
    const socket = await t.listen('hongta', ['cameras']);
    const at = new Date(Date.now() - 60_000).toISOString();
    const res = await t.request(null, {
      method: 'POST',
      url: '/api/ingest/camera-alarms',
      payload: { gbId: camera.gbId, type: 'smoke', at, snapshot: JPEG_BASE64 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const received = res.json();
    expect(received).toMatchObject({ counted: false, alertId: null });
    expect(received.incidentId).toBeTruthy();
    const incident = (await t.get('hongta', `/api/incidents/${received.incidentId}`)).json();
    expect(incident).toMatchObject({ source: 'camera', category: 'forest_fire' });
    const repeat = await t.request(null, {
      method: 'POST',
      url: '/api/ingest/camera-alarms',
      payload: { gbId: camera.gbId, type: 'smoke', at: new Date().toISOString(), snapshot: JPEG_BASE64 },
    });
    expect(repeat.json()).toMatchObject({ alarmId: received.alarmId, counted: true });
    const alarms = (await t.get('hongta', `/api/camera-alarms?cameraId=${camera.id}`)).json();
    expect(alarms.total).toBe(1);
    expect(alarms.items[0]).toMatchObject({ type: 'smoke', repeats: 2, protocol: 'json', incidentId: received.incidentId });
    const snapshot = await t.get('hongta', `/api/files/${alarms.items[0].snapshotFileId}`);
    expect(snapshot.headers['content-type']).toContain('image/jpeg');
    expect((await t.get('jiangchuan', `/api/camera-alarms?cameraId=${camera.id}`)).json().total).toBe(0);
    await socket.settle();
    expect(socket.received.filter((m) => m.type === 'camera.alarm')).toHaveLength(2);
    socket.close();
  });

  it('an alarm of a camera outside the forest raises an alert instead', async () => {
    const camera = await register({ category: 'timber_market', type: 'dome' });
    const res = await t.request(null, {
      method: 'POST',
      url: '/api/ingest/camera-alarms',
      payload: { gbId: camera.gbId, type: 'intrusion', at: new Date().toISOString() },
    });
    expect(res.json()).toMatchObject({ incidentId: null, counted: false });
    const alert = (await t.get('hongta', '/api/alerts?pageSize=200')).json().items.find((a: { id: string }) => a.id === res.json().alertId);
    expect(alert).toMatchObject({ kind: 'camera_alarm', state: 'new' });
  });

  it('refuses a snapshot that is not an image, an unknown camera and a wrong key, storing nothing', async () => {
    const camera = await register({ key: 'another-camera-key' });
    const before = [await count('camera_alarms'), await count('files')];
    const fake = Buffer.concat([JPEG, Buffer.from('<html>')]).toString('base64');
    const push = (body: Record<string, unknown>, key?: string) =>
      t.request(null, {
        method: 'POST',
        url: '/api/ingest/camera-alarms',
        headers: key ? { authorization: `Bearer ${key}` } : {},
        payload: { gbId: camera.gbId, type: 'fire', at: new Date().toISOString(), ...body },
      });
    const notImage = await push({ snapshot: fake }, 'another-camera-key');
    expect(notImage.statusCode).toBe(400);
    expect(notImage.json().error.details[0].path).toBe('body.snapshot');
    expect((await push({ snapshot: '!!!' }, 'another-camera-key')).statusCode).toBe(400);
    expect((await push({}, 'wrong-key-123')).statusCode).toBe(404);
    expect((await push({ gbId: '53040200001329999998' })).statusCode).toBe(404);
    expect((await push({ type: 'meteor' }, 'another-camera-key')).statusCode).toBe(400);
    expect([await count('camera_alarms'), await count('files')]).toEqual(before);
  });

  it('takes a Hikvision ISAPI alert alone (camera named by ?gbId=) and as multipart with its picture', async () => {
    const camera = await register({ category: 'natural_forest' });
    const alone = await t.request(null, {
      method: 'POST',
      url: `/api/ingest/isapi?gbId=${camera.gbId}`,
      headers: { 'content-type': 'application/xml' },
      payload: isapiXml('linedetection'),
    });
    expect(alone.statusCode, alone.body).toBe(200);
    expect(alone.json()).toMatchObject({ counted: false, incidentId: null });
    expect(alone.json().alertId).toBeTruthy();
    const withPicture = await t.request(null, {
      method: 'POST',
      url: `/api/ingest/isapi?gbId=${camera.gbId}`,
      ...isapiMultipart(isapiXml('fireDetection'), [JPEG]),
    });
    expect(withPicture.statusCode, withPicture.body).toBe(200);
    expect(withPicture.json().incidentId).toBeTruthy();
    const alarms = (await t.get('hongta', `/api/camera-alarms?cameraId=${camera.id}`)).json().items;
    expect(alarms.map((a: { type: string }) => a.type).sort()).toEqual(['fire', 'line_crossing']);
    const fire = alarms.find((a: { type: string }) => a.type === 'fire');
    expect(fire).toMatchObject({ eventType: 'fireDetection', protocol: 'isapi', at: '2026-03-01T02:15:00.000Z' });
    expect(fire.snapshotFileId).toBeTruthy();
    // The GB/T 28181 id in the message names the camera without ?gbId=.
    const named = await t.request(null, {
      method: 'POST',
      url: '/api/ingest/isapi',
      headers: { 'content-type': 'text/xml' },
      payload: isapiXml('VMD', `<GBID>${camera.gbId}</GBID>`),
    });
    expect(named.statusCode, named.body).toBe(200);
    // A heartbeat marks the camera alive and stores nothing.
    const heartbeat = await t.request(null, {
      method: 'POST',
      url: `/api/ingest/isapi?gbId=${camera.gbId}`,
      headers: { 'content-type': 'application/xml' },
      payload: isapiXml('heartBeat'),
    });
    expect(heartbeat.json()).toMatchObject({ alarmId: null });
    expect((await t.get('hongta', `/api/cameras/${camera.id}`)).json().status).toBe('online');
  });

  it('refuses malformed XML, a foreign root, a missing camera and a picture that is not one, storing nothing', async () => {
    const camera = await register();
    const before = [await count('camera_alarms'), await count('files'), await count('incidents')];
    const xml = (payload: string, url = `/api/ingest/isapi?gbId=${camera.gbId}`) =>
      t.request(null, { method: 'POST', url, headers: { 'content-type': 'application/xml' }, payload });
    const broken = await xml('<EventNotificationAlert><eventType>fireDetection</eventType>');
    expect(broken.statusCode).toBe(400);
    expect((await xml('<Other><eventType>x</eventType></Other>')).statusCode).toBe(400);
    expect((await xml(isapiXml('fireDetection').replace('2026-03-01T10', '2026-02-30T10'))).json().error.details[0].path).toBe(
      'body.dateTime',
    );
    const noCamera = await xml(isapiXml('fireDetection'), '/api/ingest/isapi');
    expect(noCamera.statusCode).toBe(400);
    expect(noCamera.json().error.details[0].path).toBe('query.gbId');
    const badPicture = await t.request(null, {
      method: 'POST',
      url: `/api/ingest/isapi?gbId=${camera.gbId}`,
      ...isapiMultipart(isapiXml('fireDetection'), [JPEG, Buffer.from('GIF89a not a jpeg')]),
    });
    expect(badPicture.statusCode).toBe(400);
    expect(badPicture.json().error.details[0].path).toBe('body.picture1');
    const badXmlPart = await t.request(null, {
      method: 'POST',
      url: `/api/ingest/isapi?gbId=${camera.gbId}`,
      ...isapiMultipart('<EventNotificationAlert><eventType>', [JPEG]),
    });
    expect(badXmlPart.statusCode).toBe(400);
    expect([await count('camera_alarms'), await count('files'), await count('incidents')]).toEqual(before);
  });
});
