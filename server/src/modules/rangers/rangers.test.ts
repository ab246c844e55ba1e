import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { RANGER_SHEET_COLUMNS } from './rangers.schema.js';

let t: TestApp;
let hongta: { id: number; path: string };
let hongtaGrid: { id: number; path: string };
let hongtaTownship: { id: number; path: string };
let hongtaStation: { id: number; path: string };
let jiangchuanGrid: { id: number; path: string };
let jiangchuanStation: { id: number; path: string };

const rangerBody = (orgUnitId: number, extra: Record<string, unknown> = {}) => ({
  name: '测试护林员',
  kind: 'full_time',
  orgUnitId,
  phone: '13800001111',
  ...extra,
});

/** A fresh ranger of 红塔区, created through the API. */
async function newRanger(extra: Record<string, unknown> = {}) {
  const res = await t.post('hongta', '/api/rangers', rangerBody(hongtaGrid.id, { commandingUnitId: hongtaStation.id, ...extra }));
  expect(res.statusCode).toBe(201);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  hongta = await t.unit('530402');
  hongtaTownship = await t.unit('530402001');
  hongtaGrid = await t.unit('53040200102');
  hongtaStation = await t.unit('530402-P01');
  jiangchuanGrid = await t.unit('53040300101');
  jiangchuanStation = await t.unit('530403-P01');
});
afterAll(() => t.close());

describe('the demo force (seeded)', () => {
  it('gives every township a full-time and an ecological ranger, each with a phone, commanded by a station of the county', async () => {
    // this block runs first, on the seeded register as it is
    const { rows } = await t.database.pool.query(`
      SELECT (SELECT count(*)::int FROM org_units WHERE kind = 'township') * 2 AS expected,
        count(*)::int AS rangers,
        count(DISTINCT r.name)::int AS names,
        count(*) FILTER (WHERE r.kind = 'full_time')::int AS full_time,
        count(*) FILTER (WHERE r.phone !~ '^1[3-9][0-9]{9}$')::int AS odd_phones,
        count(*) FILTER (WHERE NOT EXISTS (
          SELECT 1 FROM device_bindings b JOIN devices d ON d.id = b.device_id
          WHERE b.ranger_id = r.id AND b.valid_to IS NULL AND d.unique_id ~ '^YX[0-9]{10}$'))::int AS without_phone,
        count(*) FILTER (WHERE NOT EXISTS (
          SELECT 1 FROM org_units s JOIN org_units c ON c.id = s.parent_id AND c.kind = 'county' JOIN org_units g ON g.id = r.org_unit_id
          WHERE s.id = r.commanding_unit_id AND s.kind = 'police_station' AND g.kind = 'grid' AND g.path LIKE c.path || '%'))::int AS misplaced
      FROM rangers r WHERE r.deleted_at IS NULL`);
    const force = rows[0];
    expect(force.rangers).toBe(force.expected);
    expect(force).toMatchObject({ names: force.rangers, full_time: force.rangers / 2, odd_phones: 0, without_phone: 0, misplaced: 0 });
  });

  it('the ranger account sees its own ranger record at /api/rangers/me', async () => {
    const res = await t.get('ranger1', '/api/rangers/me');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '李建华', kind: 'full_time', username: 'ranger1', status: 'active' });
    expect(res.json().devices).toEqual([
      expect.objectContaining({ uniqueId: 'YX5304020001', name: '李建华的手机', kind: 'phone', hasKey: true }),
    ]);
  });

  it('an account without patrols:self gets 403 at /api/rangers/me, and an account with no ranger 404', async () => {
    expect((await t.get('hongta', '/api/rangers/me')).statusCode).toBe(403);
    const { rows } = await t.database.pool.query<{ id: string }>(
      "SELECT id FROM rangers WHERE user_id = (SELECT id FROM users WHERE username = 'ranger1')",
    );
    await t.database.pool.query('UPDATE rangers SET user_id = NULL WHERE id = $1', [rows[0].id]);
    expect((await t.get('ranger1', '/api/rangers/me')).statusCode).toBe(404);
    await t.database.pool.query("UPDATE rangers SET user_id = (SELECT id FROM users WHERE username = 'ranger1') WHERE id = $1", [
      rows[0].id,
    ]);
  });
});

describe('who may see and change rangers', () => {
  it('an anonymous request is refused with 401', async () => {
    expect((await t.get(null, '/api/rangers')).statusCode).toBe(401);
  });

  it('a county officer sees only the rangers of their own county', async () => {
    const res = await t.get('hongta', '/api/rangers?pageSize=500');
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json();
    expect(total).toBeGreaterThan(5);
    const { rows } = await t.database.pool.query<{ outside: number }>(
      'SELECT count(*)::int AS outside FROM org_units WHERE id = ANY($1::int[]) AND path NOT LIKE $2',
      [items.map((r: { orgUnitId: number }) => r.orgUnitId), `${hongta.path}%`],
    );
    expect(rows[0].outside).toBe(0);
    const city = (await t.get('city', '/api/rangers?pageSize=1')).json().total;
    expect(city).toBeGreaterThan(total);
  });

  it("a county officer gets 404 for another county's ranger, on read, change and delete", async () => {
    const foreign = (await t.get('jiangchuan', '/api/rangers?pageSize=1')).json().items[0];
    expect((await t.get('hongta', `/api/rangers/${foreign.id}`)).statusCode).toBe(404);
    expect((await t.patch('hongta', `/api/rangers/${foreign.id}`, { name: 'x', version: foreign.version })).statusCode).toBe(404);
    expect((await t.del('hongta', `/api/rangers/${foreign.id}`, { reason: '测试删除' })).statusCode).toBe(404);
  });

  it("a forest police officer works for the station's county: sees its rangers, not another county's", async () => {
    const { items, total } = (await t.get('police1', '/api/rangers?pageSize=500')).json();
    expect(total).toBe((await t.get('hongta', '/api/rangers?pageSize=1')).json().total);
    expect(items.some((r: { commandingUnitId: number }) => r.commandingUnitId === hongtaStation.id)).toBe(true);
    const changed = await t.patch('police1', `/api/rangers/${items[0].id}`, { status: 'suspended', version: items[0].version });
    expect(changed.statusCode).toBe(200);
    const foreign = (await t.get('jiangchuan', '/api/rangers?pageSize=1')).json().items[0];
    expect((await t.get('police1', `/api/rangers/${foreign.id}`)).statusCode).toBe(404);
  });

  it('the duty officer (no rangers:write) is refused with 403', async () => {
    const res = await t.post('duty', '/api/rangers', rangerBody(hongtaGrid.id));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details).toEqual({ permission: 'rangers:write' });
  });
});

describe('the register', () => {
  it('registers a ranger in a grid of the county, audits it and returns it with version 1', async () => {
    const res = await t.post(
      'hongta',
      '/api/rangers',
      rangerBody(hongtaGrid.id, { commandingUnitId: hongtaStation.id, kind: 'ecological' }),
    );
    expect(res.statusCode).toBe(201);
    const ranger = res.json();
    expect(ranger).toMatchObject({
      name: '测试护林员',
      kind: 'ecological',
      orgUnitId: hongtaGrid.id,
      commandingUnitId: hongtaStation.id,
      commandingUnitName: expect.stringContaining('派出所'),
      status: 'active',
      userId: null,
      version: 1,
      devices: [],
    });
    const { rows } = await t.database.pool.query('SELECT actor_name, action FROM audit_log WHERE entity = $1 AND entity_id = $2', [
      'ranger',
      ranger.id,
    ]);
    expect(rows).toEqual([{ actor_name: 'hongta', action: 'ranger.create' }]);
    expect((await t.get('hongta', `/api/rangers/${ranger.id}`)).json().name).toBe('测试护林员');
  });

  it('refuses a grid of another county, and a unit that is not a grid or township', async () => {
    const foreign = await t.post('hongta', '/api/rangers', rangerBody(jiangchuanGrid.id));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.details).toEqual([{ path: 'body.orgUnitId', message: 'no such grid or township in your area' }]);
    const county = await t.post('hongta', '/api/rangers', rangerBody(hongta.id));
    expect(county.statusCode).toBe(400);
    expect(county.json().error.details[0].path).toBe('body.orgUnitId');
    expect((await t.post('hongta', '/api/rangers', rangerBody(hongtaTownship.id))).statusCode).toBe(201);
  });

  it('refuses a commanding unit of another county or one that is not a police station', async () => {
    for (const commandingUnitId of [jiangchuanStation.id, hongtaTownship.id]) {
      const res = await t.post('admin', '/api/rangers', rangerBody(hongtaGrid.id, { commandingUnitId }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].path).toBe('body.commandingUnitId');
    }
  });

  it('rechecks the command when a ranger moves to another county; the ranger’s devices move along', async () => {
    const ranger = await newRanger();
    const device = (
      await t.post('admin', '/api/devices', { uniqueId: 'MOVES-WITH-1', name: '随人', rangerId: ranger.id, generateKey: true })
    ).json();
    const res = await t.patch('admin', `/api/rangers/${ranger.id}`, { orgUnitId: jiangchuanGrid.id, version: ranger.version });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.commandingUnitId');
    const moved = await t.patch('admin', `/api/rangers/${ranger.id}`, {
      orgUnitId: jiangchuanGrid.id,
      commandingUnitId: jiangchuanStation.id,
      version: ranger.version,
    });
    expect(moved.statusCode).toBe(200);
    expect((await t.get('hongta', `/api/rangers/${ranger.id}`)).statusCode).toBe(404);
    expect((await t.get('hongta', `/api/devices/${device.id}`)).statusCode).toBe(404);
    expect((await t.get('jiangchuan', `/api/devices/${device.id}`)).json()).toMatchObject({ orgUnitId: jiangchuanGrid.id });
  });

  it('changes a ranger with the version read and answers 409 to a stale version', async () => {
    const ranger = await newRanger();
    const changed = await t.patch('hongta', `/api/rangers/${ranger.id}`, { phone: '13911112222', version: 1 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ phone: '13911112222', version: 2, status: 'active', kind: 'full_time' });
    const stale = await t.patch('hongta', `/api/rangers/${ranger.id}`, { phone: '13911113333', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details).toEqual({ currentVersion: 2 });
    const { rows } = await t.database.pool.query(
      'SELECT before->>$3 AS before, after->>$3 AS after FROM audit_log WHERE entity_id = $1 AND action = $2',
      [ranger.id, 'ranger.update', 'phone'],
    );
    expect(rows).toEqual([{ before: '13800001111', after: '13911112222' }]);
  });

  it('links a sign-in account to one ranger only', async () => {
    const { rows } = await t.database.pool.query<{ id: string }>("SELECT id FROM users WHERE username = 'liaison1'");
    const account = rows[0].id;
    const first = await newRanger({ userId: account });
    expect(first).toMatchObject({ userId: account, username: 'liaison1' });
    const second = await t.post('hongta', '/api/rangers', rangerBody(hongtaGrid.id, { userId: account }));
    expect(second.statusCode).toBe(409);
    expect(second.json().error.details[0].path).toBe('body.userId');
    const other = await newRanger();
    const taken = await t.patch('hongta', `/api/rangers/${other.id}`, { userId: account, version: other.version });
    expect(taken.statusCode).toBe(409);
    const foreign = (await t.database.pool.query<{ id: string }>("SELECT id FROM users WHERE username = 'jiangchuan'")).rows[0].id;
    const outside = await t.post('hongta', '/api/rangers', rangerBody(hongtaGrid.id, { userId: foreign }));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.details[0].path).toBe('body.userId');
  });

  it('deletes with a reason: the ranger disappears, the row stays and their device bindings end', async () => {
    const ranger = (await t.get('hongta', '/api/rangers?pageSize=500'))
      .json()
      .items.find((r: { devices: unknown[]; username: string | null }) => r.devices.length && !r.username);
    expect(ranger.devices[0].uniqueId).toMatch(/^YX530402\d{4}$/);
    expect((await t.del('hongta', `/api/rangers/${ranger.id}`, {})).statusCode).toBe(400);
    expect((await t.del('hongta', `/api/rangers/${ranger.id}`, { reason: '离职' })).statusCode).toBe(204);
    expect((await t.get('hongta', `/api/rangers/${ranger.id}`)).statusCode).toBe(404);
    const { rows } = await t.database.pool.query(
      'SELECT r.deleted_at IS NOT NULL AS deleted, b.valid_to IS NOT NULL AS ended FROM rangers r JOIN device_bindings b ON b.ranger_id = r.id WHERE r.id = $1',
      [ranger.id],
    );
    expect(rows).toEqual([{ deleted: true, ended: true }]);
    const audit = await t.database.pool.query("SELECT after FROM audit_log WHERE entity_id = $1 AND action = 'ranger.delete'", [ranger.id]);
    expect(audit.rows[0].after).toEqual({ reason: '离职', releasedDevices: [ranger.devices[0].id] });
  });

  it('filters by kind, status, text and area subtree, with paging and sorting', async () => {
    const all = (await t.get('city', '/api/rangers?pageSize=500')).json();
    const ecological = (await t.get('city', '/api/rangers?kind=ecological&pageSize=500')).json();
    expect(ecological.total).toBeGreaterThan(0);
    expect(ecological.items.every((r: { kind: string }) => r.kind === 'ecological')).toBe(true);
    const inHongta = (await t.get('city', `/api/rangers?orgUnitId=${hongta.id}&pageSize=1`)).json();
    expect(inHongta.total).toBe((await t.get('hongta', '/api/rangers?pageSize=1')).json().total);
    const inTownship = (await t.get('hongta', `/api/rangers?orgUnitId=${hongtaTownship.id}&pageSize=500`)).json();
    expect(inTownship.total).toBeGreaterThanOrEqual(2);
    const someone = all.items[3];
    const byName = (await t.get('city', `/api/rangers?q=${encodeURIComponent(someone.name)}`)).json();
    expect(byName.items.map((r: { id: string }) => r.id)).toContain(someone.id);
    const byPhone = (await t.get('city', `/api/rangers?q=${someone.phone.slice(3, 9)}`)).json();
    expect(byPhone.items.map((r: { id: string }) => r.id)).toContain(someone.id);
    const suspended = (await t.get('city', '/api/rangers?status=suspended,left&pageSize=500')).json();
    expect(suspended.items.every((r: { status: string }) => r.status !== 'active')).toBe(true);
    const descending = (await t.get('city', '/api/rangers?pageSize=500&sort=-name')).json();
    const page2 = (await t.get('city', '/api/rangers?pageSize=5&page=2&sort=-name')).json();
    expect(page2.total).toBe(all.total);
    expect(page2.items.map((r: { id: string }) => r.id)).toEqual(descending.items.slice(5, 10).map((r: { id: string }) => r.id));
  });
});

describe('bad input answers 400 with the field, never 500', () => {
  const cases: [string, unknown, string][] = [
    ['no name', { kind: 'full_time', orgUnitId: 1 }, 'body.name'],
    ['an unknown kind', { name: 'x', kind: 'volunteer', orgUnitId: 1 }, 'body.kind'],
    ['a text unit id', { name: 'x', kind: 'full_time', orgUnitId: 'grid' }, 'body.orgUnitId'],
    ['letters in a phone number', { name: 'x', kind: 'full_time', orgUnitId: 1, phone: 'call me' }, 'body.phone'],
    ['an unknown status', { name: 'x', kind: 'full_time', orgUnitId: 1, status: 'retired' }, 'body.status'],
    ['a user id that is not a uuid', { name: 'x', kind: 'full_time', orgUnitId: 1, userId: 'ranger1' }, 'body.userId'],
    ['an array', [1, 2], 'body'],
  ];
  it.each(cases)('%s', async (_, body, path) => {
    const res = await t.post('hongta', '/api/rangers', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('a malformed id, query and sort, and a PATCH without version', async () => {
    expect((await t.get('hongta', '/api/rangers/not-a-uuid')).json().error.details[0].path).toBe('params.id');
    expect((await t.get('hongta', '/api/rangers?pageSize=100000')).json().error.details[0].path).toBe('querystring.pageSize');
    expect((await t.get('hongta', '/api/rangers?sort=password')).json().error.details[0].path).toBe('querystring.sort');
    expect((await t.get('hongta', '/api/rangers?kind=volunteer')).statusCode).toBe(400);
    const ranger = (await t.get('hongta', '/api/rangers?pageSize=1')).json().items[0];
    const res = await t.patch('hongta', `/api/rangers/${ranger.id}`, { name: 'y' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.version');
  });
});

describe('Excel export', () => {
  it('exports the filtered register', async () => {
    const res = await t.get('hongta', '/api/rangers/export?kind=full_time');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, ...RANGER_SHEET_COLUMNS.map((c) => c.header)]);
    const expected = (await t.get('hongta', '/api/rangers?kind=full_time&pageSize=1')).json().total;
    expect(sheet.rowCount - 1).toBe(expected);
    expect(sheet.getRow(2).getCell(2).value).toBe('专职护林员');
    expect(String(sheet.getRow(2).getCell(3).value)).toMatch(/^530402/);
  });
});

describe('live updates', () => {
  it('a new ranger reaches viewers whose scope holds it, and no one else', async () => {
    const [hongtaLive, otherLive] = await Promise.all([t.listen('hongta', ['rangers']), t.listen('jiangchuan', ['rangers'])]);
    const received = { hongta: hongtaLive.received, jiangchuan: otherLive.received };
    await newRanger({ name: '实时推送护林员' });
    await expect.poll(() => received.hongta.length).toBeGreaterThan(0);
    expect(received.hongta[0]).toMatchObject({ type: 'ranger.created', ranger: { name: '实时推送护林员' } });
    await otherLive.settle();
    expect(received.jiangchuan).toEqual([]);
    hongtaLive.close();
    otherLive.close();
  });
});
