import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { north } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { TRACKING_ALPHABET } from './tracking-code.js';

let t: TestApp;
/** A point in ranger1's grid (红塔区) and one in 江川区. */
let hongta: [number, number];
let jiangchuan: [number, number];

/** The smallest valid PNG: one transparent pixel. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const WEBP = Buffer.from('RIFF\x14\x00\x00\x00WEBPVP8L\x07\x00\x00\x00\x2f\x00\x00\x00\x00\x00\x00\x00', 'latin1');
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
const HEIC = Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00', 'latin1');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

const point = (p: [number, number]) => ({ type: 'Point', coordinates: p });
const report = (fields: Record<string, unknown> = {}) => ({
  category: 'forest_fire',
  description: '山上冒烟，像是有人烧荒',
  location: point(hongta),
  ...fields,
});

/** A request from a member of the public (no session), from an address of its own. */
const fromPublic = (options: InjectOptions, address = '203.0.113.7') => t.app.inject({ ...options, remoteAddress: address });
const postJson = (body: unknown, address?: string) =>
  fromPublic({ method: 'POST', url: '/api/public/tipoffs', payload: body as InjectOptions['payload'] }, address);
const status = (code: string, address?: string) => fromPublic({ method: 'GET', url: `/api/public/tipoffs/${code}` }, address);

type Part = { name: string; value: string } | { name: string; file: Buffer; fileName?: string; type?: string };
function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----safeforest-tipoff';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('file' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.fileName ?? 'photo.jpg'}"\r\nContent-Type: ${part.type ?? 'image/jpeg'}\r\n\r\n`,
        ),
        part.file,
        Buffer.from('\r\n'),
      );
    } else chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const formFields = (fields: Record<string, unknown> = {}): Part[] =>
  Object.entries(report(fields)).map(([name, value]) => ({ name, value: typeof value === 'string' ? value : JSON.stringify(value) }));
const postForm = (parts: Part[], address?: string) =>
  fromPublic({ method: 'POST', url: '/api/public/tipoffs', ...multipart(parts) }, address);

const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
  (await t.database.pool.query(text, values)).rows as T[];

/** The id of the tip-off a tracking code belongs to (as the officers find it). */
async function tipoffOf(trackingCode: string, as = 'admin'): Promise<string> {
  const res = await t.get(as, `/api/tipoffs?trackingCode=${trackingCode}`);
  expect(res.json().total).toBe(1);
  return res.json().items[0].id;
}

beforeAll(async () => {
  t = await createTestApp({ tipoffLimits: { reportsPerHour: 1000, statusChecksPerMinute: 1000 } });
  hongta = await t.pointIn('53040200101');
  jiangchuan = await t.pointIn('53040300101');
});
afterAll(() => t.close());

describe('a member of the public reports', () => {
  it('without an account, as JSON: 201 with a readable tracking code, and the report is placed in its grid', async () => {
    const res = await postJson(report({ placeText: '北山林场 3 号路口', name: '王先生', phone: '138 0000 1234' }));
    expect(res.statusCode).toBe(201);
    const { trackingCode } = res.json();
    expect(res.json()).toEqual({ trackingCode: expect.any(String) });
    expect(trackingCode).toMatch(new RegExp(`^[${TRACKING_ALPHABET}]{10}$`));
    const [row] = await query<{ unit: string; county_code: string; reporter_phone: string; hash: string }>(
      `SELECT u.code AS unit, t.county_code, t.reporter_phone, t.tracking_code_hash AS hash
       FROM tipoffs t JOIN org_units u ON u.id = t.org_unit_id ORDER BY t.created_at DESC LIMIT 1`,
    );
    expect(row).toMatchObject({ unit: '53040200101', county_code: '530402', reporter_phone: '138 0000 1234' });
    // The code itself is never stored: only its hash.
    expect(row.hash).not.toContain(trackingCode);
    expect(await query('SELECT 1 FROM tipoffs WHERE tracking_code_hash = $1 OR description = $1', [trackingCode])).toEqual([]);
  });

  it('anonymously, with photos as multipart: the photos are stored in the grid, typed from their bytes', async () => {
    const res = await postForm([
      ...formFields({ category: 'illegal_logging', description: '有人在砍树' }),
      { name: 'photos', file: JPEG, fileName: 'a.png', type: 'image/png' },
      { name: 'photos', file: PNG, fileName: 'b.jpg' },
      { name: 'photos', file: WEBP, fileName: 'c' },
    ]);
    expect(res.statusCode).toBe(201);
    const id = await tipoffOf(res.json().trackingCode);
    const detail = (await t.get('hongta', `/api/tipoffs/${id}`)).json();
    expect(detail).toMatchObject({
      category: 'illegal_logging',
      anonymous: true,
      reporterName: null,
      reporterPhone: null,
      status: 'received',
    });
    expect(detail.photos.map((p: { contentType: string }) => p.contentType)).toEqual(['image/jpeg', 'image/png', 'image/webp']);
    const photo = await t.get('hongta', `/api/files/${detail.photos[1].fileId}`);
    expect(photo.statusCode).toBe(200);
    expect(photo.rawPayload.equals(PNG)).toBe(true);
    // Another county's office cannot fetch the photos.
    expect((await t.get('jiangchuan', `/api/files/${detail.photos[1].fileId}`)).statusCode).toBe(404);
  });

  it('is audited as the public from its address, without the reporter’s name or phone', async () => {
    const res = await postJson(report({ name: '举报人甲', phone: '13900001111' }), '198.51.100.23');
    const id = await tipoffOf(res.json().trackingCode);
    const rows = await query<{ actor_name: string; address: string; user_id: string | null; after: unknown }>(
      `SELECT actor_name, address, actor_id AS user_id, after FROM audit_log WHERE entity = 'tipoff' AND entity_id = $1 AND action = 'tipoff.create'`,
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_name: 'public', address: '198.51.100.23', user_id: null });
    expect(JSON.stringify(rows[0].after)).not.toMatch(/举报人甲|13900001111/);
  });

  it('a page of another site may post a report too: no session is used, so the CSRF guard does not apply', async () => {
    const res = await fromPublic({
      method: 'POST',
      url: '/api/public/tipoffs',
      payload: report(),
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(res.statusCode).toBe(201);
    // A signed-in officer's cookie changes nothing: the report is still the public's.
    const signedIn = await t.post('hongta', '/api/public/tipoffs', report());
    expect(signedIn.statusCode).toBe(201);
    const id = await tipoffOf(signedIn.json().trackingCode);
    const [audit] = await query<{ actor_name: string }>(
      `SELECT actor_name FROM audit_log WHERE entity_id = $1 AND action = 'tipoff.create'`,
      [id],
    );
    expect(audit.actor_name).toBe('public');
  });
});

describe('a tip-off is an incident of source tipoff', () => {
  const incidentOf = async (trackingCode: string) => {
    const list = (await t.get('admin', `/api/tipoffs?trackingCode=${trackingCode}`)).json();
    return { tipoff: list.items[0].id as string, incident: list.items[0].incidentId as string };
  };

  it('opens an incident with its place, photos and contact, in the same change', async () => {
    const res = await postForm([
      ...formFields({
        category: 'land_occupation',
        description: '有人在林地里盖房',
        placeText: '东山脚',
        name: '李四',
        phone: '13600000000',
      }),
      { name: 'photos', file: JPEG },
    ]);
    const { tipoff, incident } = await incidentOf(res.json().trackingCode);
    const detail = (await t.get('hongta', `/api/incidents/${incident}`)).json();
    expect(detail).toMatchObject({
      source: 'tipoff',
      sourceRef: tipoff,
      category: 'land_occupation',
      title: '群众举报：非法占用林地',
      status: 'new',
      countyCode: '530402',
      reporterName: '李四',
      reporterPhone: '13600000000',
    });
    expect(detail.photos).toHaveLength(1);
    expect(detail.timeline[0]).toMatchObject({ kind: 'opened', by: 'public' });
  });

  it('a second tip-off of the same category within 500 m and 2 h is linked to the open incident; farther away or of another kind it is not', async () => {
    const first = await incidentOf((await postJson(report({ category: 'wildlife', description: '有人下套捕猎' }))).json().trackingCode);
    const near = await incidentOf(
      (await postJson(report({ category: 'wildlife', description: '又看见有人下套', location: point(north(hongta, 300)) }))).json()
        .trackingCode,
    );
    expect(near.incident).toBe(first.incident);
    expect(near.tipoff).not.toBe(first.tipoff);
    expect((await t.get('hongta', `/api/incidents/${first.incident}`)).json().reportCount).toBe(2);
    const far = await incidentOf(
      (await postJson(report({ category: 'wildlife', location: point(north(hongta, 900)) }))).json().trackingCode,
    );
    expect(far.incident).not.toBe(first.incident);
    const other = await incidentOf((await postJson(report({ category: 'illegal_logging' }))).json().trackingCode);
    expect(other.incident).not.toBe(first.incident);
  });

  it('the public status follows the incident: dispatched and on scene are in progress, resolved is resolved, a false alarm closed', async () => {
    const { trackingCode } = (await postJson(report({ category: 'forest_fire', location: point(north(hongta, -2000)) }))).json();
    const { incident } = await incidentOf(trackingCode);
    const seen = async () => (await status(trackingCode)).json().status;
    expect(await seen()).toBe('received');
    for (const [to, word] of [
      ['dispatched', 'in_progress'],
      ['on_scene', 'in_progress'],
      ['resolved', 'resolved'],
      ['closed', 'resolved'],
    ]) {
      expect((await t.post('hongta', `/api/incidents/${incident}/status`, { status: to, note: '内部备注：勿外传' })).statusCode).toBe(200);
      const res = await status(trackingCode);
      expect(res.json().status).toBe(word);
      expect(res.body).not.toContain('内部备注');
    }
    const falseAlarm = (await postJson(report({ category: 'illegal_logging', location: point(north(hongta, -2600)) }))).json().trackingCode;
    await t.post('hongta', `/api/incidents/${(await incidentOf(falseAlarm)).incident}/status`, { status: 'false_alarm' });
    expect((await status(falseAlarm)).json().status).toBe('closed');
  });

  it('an incident merged into another shows that one’s progress', async () => {
    const a = (await postJson(report({ category: 'forest_fire', location: point(north(hongta, 1200)) }))).json().trackingCode;
    const b = (await postJson(report({ category: 'forest_fire', location: point(north(hongta, 2400)) }))).json().trackingCode;
    const [ia, ib] = [(await incidentOf(a)).incident, (await incidentOf(b)).incident];
    expect(ia).not.toBe(ib);
    expect((await t.post('hongta', `/api/incidents/${ia}/merge`, { intoId: ib })).statusCode).toBe(200);
    await t.post('hongta', `/api/incidents/${ib}/status`, { status: 'dispatched' });
    expect((await status(a)).json()).toEqual({ status: 'in_progress', replies: [] });
  });

  it('a place outside every county is refused, and nothing is kept', async () => {
    const before = await query<{ n: number }>('SELECT count(*)::int AS n FROM tipoffs');
    const res = await postJson(report({ location: point([116.4, 39.9]) }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.location');
    expect(await query<{ n: number }>('SELECT count(*)::int AS n FROM tipoffs')).toEqual(before);
  });
});

describe('bad input is refused with the field named', () => {
  const refused = async (res: { statusCode: number; json: () => { error: { details: { path: string }[] } } }, path: string, code = 400) => {
    expect(res.statusCode).toBe(code);
    expect(res.json().error.details.map((d) => d.path)).toContain(path);
  };

  it('missing or wrong fields, as JSON', async () => {
    await refused(await postJson(report({ category: 'dispute' })), 'body.category');
    await refused(await postJson(report({ description: '   ' })), 'body.description');
    await refused(await postJson(report({ location: { type: 'Point', coordinates: [200, 24] } })), 'body.location.coordinates.0');
    await refused(await postJson(report({ location: undefined })), 'body.location');
    await refused(await postJson(report({ phone: 'call me maybe' })), 'body.phone');
  });

  it('huge fields', async () => {
    await refused(await postJson(report({ description: '火'.repeat(2001) })), 'body.description');
    await refused(await postJson(report({ placeText: 'x'.repeat(201) })), 'body.placeText');
    await refused(await postJson(report({ name: '名'.repeat(51) })), 'body.name');
    await refused(await postForm(formFields({ description: 'x'.repeat(20_000) })), 'body.description');
  });

  it('NUL bytes, in JSON and in a form field', async () => {
    await refused(await postJson(report({ description: 'a\u0000b' })), 'body.description');
    await refused(await postForm(formFields({ placeText: 'a\u0000b' })), 'body.placeText');
  });

  it('photos of the wrong type, whatever name and type the client gives them', async () => {
    for (const [file, name] of [
      [GIF, 'a.jpg'],
      [HEIC, 'a.heic'],
      [SVG, 'a.png'],
      [Buffer.from('%PDF-1.4\n'), 'a.jpg'],
      [Buffer.alloc(0), 'empty.jpg'],
    ] as const) {
      await refused(
        await postForm([...formFields(), { name: 'photos', file: PNG }, { name: 'photos', file, fileName: name }]),
        'body.photos.1',
      );
    }
  });

  it('a fourth photo, a file under another name, a photo over 10 MB, a location that is no JSON', async () => {
    const four = [1, 2, 3, 4].map(() => ({ name: 'photos', file: JPEG }));
    await refused(await postForm([...formFields(), ...four]), 'body.photos');
    await refused(await postForm([...formFields(), { name: 'file', file: JPEG }]), 'body.file');
    await refused(
      await postForm([...formFields(), { name: 'photos', file: Buffer.concat([JPEG, Buffer.alloc(10 * 1024 * 1024)]) }]),
      'body.photos.0',
      413,
    );
    await refused(
      await postForm([...formFields().filter((p) => p.name !== 'location'), { name: 'location', value: '{oops' }]),
      'body.location',
    );
  });

  it('nothing of a refused report is kept', async () => {
    const before = await query<{ n: number }>('SELECT (SELECT count(*) FROM tipoffs)::int + (SELECT count(*) FROM files)::int AS n');
    await postForm([...formFields({ category: 'nope' }), { name: 'photos', file: JPEG }]);
    await postForm([...formFields(), { name: 'photos', file: JPEG }, { name: 'photos', file: GIF }]);
    const after = await query<{ n: number }>('SELECT (SELECT count(*) FROM tipoffs)::int + (SELECT count(*) FROM files)::int AS n');
    expect(after).toEqual(before);
  });
});

describe('the public status page', () => {
  it('shows the status and the public replies with their time, and nothing else', async () => {
    const { trackingCode } = (await postJson(report({ name: '张三', phone: '13812345678', placeText: '张家村后山' }))).json();
    const id = await tipoffOf(trackingCode);
    const first = await status(trackingCode);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'received', replies: [] });
    expect(first.headers['cache-control']).toBe('no-store');

    const reply = await t.post('hongta', `/api/tipoffs/${id}/replies`, { text: '已收到，护林员正在赶往现场。' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ text: '已收到，护林员正在赶往现场。', byName: '红塔区林业和草原局' });

    const res = await status(trackingCode);
    expect(res.json()).toEqual({ status: 'received', replies: [{ text: '已收到，护林员正在赶往现场。', at: expect.any(String) }] });
    // Nothing of the reporter, the officer, the place or the incident leaks.
    for (const secret of ['张三', '13812345678', '张家村后山', '红塔区', 'hongta', id, reply.json().id, '山上冒烟'])
      expect(res.body).not.toContain(secret);
  });

  it('accepts the code as people type it: lower case, with spaces or dashes', async () => {
    const { trackingCode } = (await postJson(report())).json();
    const typed = `${trackingCode.slice(0, 5).toLowerCase()}-${trackingCode.slice(5)}`;
    expect((await status(encodeURIComponent(typed))).statusCode).toBe(200);
    expect((await status(encodeURIComponent(`${trackingCode.slice(0, 5)} ${trackingCode.slice(5)}`))).statusCode).toBe(200);
  });

  it('an unknown code is a 404 like any other unknown code; a malformed one a 400 naming it', async () => {
    const a = await status('ABCDEFGHJK');
    const b = await status('2345678923');
    expect(a.statusCode).toBe(404);
    expect(a.body).toBe(b.body);
    expect(a.json()).toEqual({ error: { code: 'not_found', message: 'Tip-off not found' } });
    const bad = await status('0O1IL');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('params.trackingCode');
    expect((await status('%00%00')).statusCode).toBe(400);
  });

  it('an unknown code takes no longer to refuse than another unknown one (one indexed look-up of a hash)', async () => {
    const time = async (code: string) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 20; i++) await status(code);
      return Number(process.hrtime.bigint() - started) / 20;
    };
    await time('ZZZZZZZZZZ'); // warm up
    const [x, y] = [await time('ABCDEFGHJK'), await time('2345678923')];
    expect(Math.max(x, y) / Math.min(x, y)).toBeLessThan(3);
  });
});

describe('officers of the county where the tip-off lies', () => {
  let hongtaTipoff: string;
  let jiangchuanTipoff: string;
  beforeAll(async () => {
    hongtaTipoff = await tipoffOf((await postJson(report({ name: '红塔举报人', phone: '13700000001' }))).json().trackingCode);
    jiangchuanTipoff = await tipoffOf(
      (await postJson(report({ location: point(jiangchuan), category: 'wildlife', description: '有人捕鸟' }))).json().trackingCode,
    );
  });

  it('list their tip-offs without the reporters’ contacts; another county’s are not there', async () => {
    const list = await t.get('hongta', '/api/tipoffs?pageSize=500');
    expect(list.statusCode).toBe(200);
    const ids = list.json().items.map((i: { id: string }) => i.id);
    expect(ids).toContain(hongtaTipoff);
    expect(ids).not.toContain(jiangchuanTipoff);
    expect(list.body).not.toContain('13700000001');
    expect((await t.get('jiangchuan', '/api/tipoffs?pageSize=500')).json().items.map((i: { id: string }) => i.id)).toEqual([
      jiangchuanTipoff,
    ]);
    // The city's duty officer sees both.
    const duty = (await t.get('duty', '/api/tipoffs?pageSize=500')).json().items.map((i: { id: string }) => i.id);
    expect(duty).toEqual(expect.arrayContaining([hongtaTipoff, jiangchuanTipoff]));
    expect((await t.get('jiangchuan', '/api/tipoffs?category=forest_fire&pageSize=500')).json().items).toEqual([]);
  });

  it('open one with the contact, and the opening is audited; another county’s is 404', async () => {
    const res = await t.get('police1', `/api/tipoffs/${hongtaTipoff}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ reporterName: '红塔举报人', reporterPhone: '13700000001', anonymous: false, countyCode: '530402' });
    const audit = await query(`SELECT actor_name FROM audit_log WHERE action = 'tipoff.view' AND entity_id = $1`, [hongtaTipoff]);
    expect(audit).toEqual([{ actor_name: 'police1' }]);
    expect((await t.get('hongta', `/api/tipoffs/${jiangchuanTipoff}`)).statusCode).toBe(404);
    expect((await t.get('hongta', `/api/tipoffs?orgUnitId=${(await t.unit('530403')).id}`)).statusCode).toBe(404);
  });

  it('reply to their own, audited; another county’s tip-off cannot be replied to', async () => {
    const res = await t.post('police1', `/api/tipoffs/${hongtaTipoff}/replies`, { text: '民警已出警' });
    expect(res.statusCode).toBe(201);
    const audit = await query(`SELECT actor_name, after->>'text' AS text FROM audit_log WHERE action = 'tipoff.reply' AND entity_id = $1`, [
      hongtaTipoff,
    ]);
    expect(audit).toEqual([{ actor_name: 'police1', text: '民警已出警' }]);
    expect((await t.post('hongta', `/api/tipoffs/${jiangchuanTipoff}/replies`, { text: '越权回复' })).statusCode).toBe(404);
    expect(await query(`SELECT 1 FROM tipoff_replies WHERE text = '越权回复'`)).toEqual([]);
  });

  it('other roles: the city office reads but cannot reply; checkpoint staff, liaison officers and rangers see nothing', async () => {
    expect((await t.get('city', `/api/tipoffs/${hongtaTipoff}`)).statusCode).toBe(200);
    expect((await t.post('city', `/api/tipoffs/${hongtaTipoff}/replies`, { text: 'x' })).statusCode).toBe(403);
    for (const who of ['checkpoint1', 'liaison1', 'ranger1']) {
      expect((await t.get(who, '/api/tipoffs')).statusCode).toBe(403);
      expect((await t.get(who, `/api/tipoffs/${hongtaTipoff}`)).statusCode).toBe(403);
    }
    expect((await t.get(null, '/api/tipoffs')).statusCode).toBe(401);
  });

  it('a reply must have text, of at most 1000 characters, without NUL', async () => {
    for (const text of ['', ' ', 'x'.repeat(1001), 'a\u0000']) {
      const res = await t.post('hongta', `/api/tipoffs/${hongtaTipoff}/replies`, { text });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].path).toBe('body.text');
    }
  });
});

describe('limits per client address', () => {
  it('an address sending too many reports gets 429 with Retry-After; another address is not held up', async () => {
    const limited = await createTestApp({ tipoffLimits: { reportsPerHour: 2, statusChecksPerMinute: 3 } });
    try {
      const send = (address: string) =>
        limited.app.inject({ method: 'POST', url: '/api/public/tipoffs', payload: report(), remoteAddress: address });
      expect((await send('192.0.2.1')).statusCode).toBe(201);
      expect((await send('192.0.2.1')).statusCode).toBe(201);
      const third = await send('192.0.2.1');
      expect(third.statusCode).toBe(429);
      expect(third.json().error).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(3000);
      expect((await send('192.0.2.2')).statusCode).toBe(201);
      // The status page has its own, per-minute limit.
      const look = (address: string) =>
        limited.app.inject({ method: 'GET', url: '/api/public/tipoffs/ABCDEFGHJK', remoteAddress: address });
      for (let i = 0; i < 3; i++) expect((await look('192.0.2.3')).statusCode).toBe(404);
      const over = await look('192.0.2.3');
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    } finally {
      await limited.close();
    }
  });
});
