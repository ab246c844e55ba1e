import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointIn as pointInUnit } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { SITE_SHEET_COLUMNS } from './sites.schema.js';

let t: TestApp;
let hongta: { id: number; path: string };
let jiangchuan: { id: number; path: string };
let hongtaTownship: { id: number; path: string };

/** A point inside a unit's area (test/factories.ts). */
const pointIn = (unitId: number) => pointInUnit(t, unitId);

const siteBody = (orgUnitId: number, coordinates: [number, number], extra: Record<string, unknown> = {}) => ({
  name: '测试林区警务站',
  kind: 'police_post',
  orgUnitId,
  location: { type: 'Point', coordinates },
  phone: '0877-2011234',
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  hongta = await t.unit('530402');
  jiangchuan = await t.unit('530403');
  hongtaTownship = await t.unit('530402001');
});
afterAll(() => t.close());

describe('who may see and change sites', () => {
  it('an anonymous request is refused with 401', async () => {
    const res = await t.get(null, '/api/sites');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('a county officer sees only the sites of their own county', async () => {
    const res = await t.get('hongta', '/api/sites?pageSize=500');
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json();
    expect(total).toBeGreaterThan(5);
    const { rows } = await t.database.pool.query<{ outside: number }>(
      `SELECT count(*)::int AS outside FROM org_units WHERE id = ANY($1::int[]) AND path NOT LIKE $2`,
      [items.map((s: { orgUnitId: number }) => s.orgUnitId), `${hongta.path}%`],
    );
    expect(rows[0].outside).toBe(0);
  });

  it('the city sees the sites of every county', async () => {
    const city = (await t.get('city', '/api/sites?pageSize=1')).json().total;
    const county = (await t.get('hongta', '/api/sites?pageSize=1')).json().total;
    expect(city).toBeGreaterThan(county);
  });

  it("a county officer gets 404 for another county's site, on read, change and delete", async () => {
    const foreign = (await t.get('jiangchuan', '/api/sites?pageSize=1')).json().items[0];
    expect((await t.get('hongta', `/api/sites/${foreign.id}`)).statusCode).toBe(404);
    expect((await t.patch('hongta', `/api/sites/${foreign.id}`, { name: 'x', version: foreign.version })).statusCode).toBe(404);
    expect((await t.del('hongta', `/api/sites/${foreign.id}`, { reason: '测试删除' })).statusCode).toBe(404);
  });

  it("a county officer cannot register a site in another county's unit", async () => {
    const res = await t.post('hongta', '/api/sites', siteBody(jiangchuan.id, await pointIn(jiangchuan.id)));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'body.orgUnitId', message: 'no such org unit in your area' }]);
  });

  it('an account without sites:write is refused with 403', async () => {
    const res = await t.post('duty', '/api/sites', siteBody(hongta.id, await pointIn(hongta.id)));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details).toEqual({ permission: 'sites:write' });
  });
});

describe('the register', () => {
  it('registers a site inside its unit, audits it and returns it with version 1', async () => {
    const point = await pointIn(hongtaTownship.id);
    const res = await t.post(
      'hongta',
      '/api/sites',
      siteBody(hongtaTownship.id, point, { kind: 'timber_checkpoint', grade: 2, name: '测试木材检查站' }),
    );
    expect(res.statusCode).toBe(201);
    const site = res.json();
    expect(site).toMatchObject({
      name: '测试木材检查站',
      kind: 'timber_checkpoint',
      grade: 2,
      orgUnitId: hongtaTownship.id,
      status: 'in_service',
      version: 1,
      active: true,
    });
    expect(site.location.coordinates[0]).toBeCloseTo(point[0], 6);
    const { rows } = await t.database.pool.query('SELECT actor_name, action, after FROM audit_log WHERE entity = $1 AND entity_id = $2', [
      'site',
      site.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_name: 'hongta', action: 'site.create' });
    expect((await t.get('hongta', `/api/sites/${site.id}`)).json().name).toBe('测试木材检查站');
  });

  it('refuses a location outside the chosen unit’s area, naming the field', async () => {
    const res = await t.post('hongta', '/api/sites', siteBody(hongtaTownship.id, [102.9, 24.7]));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.location');
  });

  it('changes a site with the version read and answers 409 to a stale version', async () => {
    const created = (await t.post('hongta', '/api/sites', siteBody(hongta.id, await pointIn(hongta.id)))).json();
    const changed = await t.patch('hongta', `/api/sites/${created.id}`, { staffCount: 4, version: 1 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ staffCount: 4, version: 2 });
    const stale = await t.patch('hongta', `/api/sites/${created.id}`, { staffCount: 5, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details).toEqual({ currentVersion: 2 });
    const { rows } = await t.database.pool.query(
      'SELECT before->>$3 AS before, after->>$3 AS after FROM audit_log WHERE entity_id = $1 AND action = $2',
      [created.id, 'site.update', 'staffCount'],
    );
    expect(rows).toEqual([{ before: null, after: '4' }]);
  });

  it('holds a change to the same rules as a create (a mobile checkpoint needs its period)', async () => {
    const created = (await t.post('hongta', '/api/sites', siteBody(hongta.id, await pointIn(hongta.id)))).json();
    const res = await t.patch('hongta', `/api/sites/${created.id}`, { kind: 'mobile_checkpoint', version: created.version });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.activeFrom', 'body.activeTo']);
  });

  it('shows a mobile checkpoint as inactive outside its active period', async () => {
    const res = await t.post(
      'hongta',
      '/api/sites',
      siteBody(hongta.id, await pointIn(hongta.id), {
        kind: 'mobile_checkpoint',
        activeFrom: '2020-01-01T00:00:00Z',
        activeTo: '2020-03-01T00:00:00Z',
      }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().active).toBe(false);
  });

  it('deletes with a reason: the site disappears but the row is kept', async () => {
    const created = (await t.post('hongta', '/api/sites', siteBody(hongta.id, await pointIn(hongta.id)))).json();
    expect((await t.del('hongta', `/api/sites/${created.id}`, {})).statusCode).toBe(400);
    expect((await t.del('hongta', `/api/sites/${created.id}`, { reason: '站点撤并' })).statusCode).toBe(204);
    expect((await t.get('hongta', `/api/sites/${created.id}`)).statusCode).toBe(404);
    const { rows } = await t.database.pool.query('SELECT deleted_reason FROM sites WHERE id = $1', [created.id]);
    expect(rows).toEqual([{ deleted_reason: '站点撤并' }]);
  });

  it('filters by kind, status, text, unit subtree and bounding box, with paging and sorting', async () => {
    const all = (await t.get('city', '/api/sites?pageSize=500')).json();
    const checkpoints = (await t.get('city', '/api/sites?kind=timber_checkpoint&pageSize=500')).json();
    expect(checkpoints.total).toBeGreaterThan(0);
    expect(checkpoints.items.every((s: { kind: string }) => s.kind === 'timber_checkpoint')).toBe(true);
    const two = (await t.get('city', '/api/sites?kind=timber_checkpoint,police_station&pageSize=500')).json();
    expect(two.total).toBeGreaterThan(checkpoints.total);
    const inHongta = (await t.get('city', `/api/sites?orgUnitId=${hongta.id}&pageSize=1`)).json();
    expect(inHongta.total).toBe((await t.get('hongta', '/api/sites?pageSize=1')).json().total);
    const bbox = (await t.get('city', '/api/sites?bbox=102.4,24.2,102.7,24.5&pageSize=500')).json();
    for (const s of bbox.items) {
      expect(s.location.coordinates[0]).toBeGreaterThanOrEqual(102.4);
      expect(s.location.coordinates[1]).toBeLessThanOrEqual(24.5);
    }
    const named = all.items[3].name as string;
    const text = (await t.get('city', `/api/sites?q=${encodeURIComponent(named)}`)).json();
    expect(text.items.map((s: { name: string }) => s.name)).toContain(named);
    const descending = (await t.get('city', '/api/sites?pageSize=500&sort=-name')).json();
    const page2 = (await t.get('city', '/api/sites?pageSize=5&page=2&sort=-name')).json();
    expect(page2.total).toBe(all.total);
    expect(page2.items.map((s: { id: string }) => s.id)).toEqual(descending.items.slice(5, 10).map((s: { id: string }) => s.id));
    const ascending = (await t.get('city', '/api/sites?pageSize=1&sort=name')).json();
    expect(ascending.items[0].name).toBe(all.items[0].name);
    expect(descending.items.at(-1).name).toBe(all.items[0].name);
  });

  it('serves the filtered register as GeoJSON points', async () => {
    const res = await t.get('hongta', '/api/sites/geojson?kind=police_station');
    expect(res.statusCode).toBe(200);
    const layer = res.json();
    expect(layer.type).toBe('FeatureCollection');
    expect(layer.features.length).toBeGreaterThan(0);
    expect(layer.features[0].geometry.type).toBe('Point');
    expect(layer.features[0].properties.kind).toBe('police_station');
  });
});

describe('bad input answers 400 with the field, never 500', () => {
  const cases: [string, unknown, string][] = [
    ['no name', { kind: 'police_post', orgUnitId: 1, location: { type: 'Point', coordinates: [102.5, 24.3] } }, 'body.name'],
    ['an unknown kind', { name: 'x', kind: 'castle', orgUnitId: 1, location: { type: 'Point', coordinates: [102.5, 24.3] } }, 'body.kind'],
    [
      'a latitude out of range',
      { name: 'x', kind: 'police_post', orgUnitId: 1, location: { type: 'Point', coordinates: [102.5, 124.3] } },
      'body.location.coordinates.1',
    ],
    [
      'a polygon for a location',
      { name: 'x', kind: 'police_post', orgUnitId: 1, location: { type: 'Polygon', coordinates: [] } },
      'body.location.type',
    ],
    [
      'a text staff count',
      { name: 'x', kind: 'police_post', orgUnitId: 1, staffCount: 'three', location: { type: 'Point', coordinates: [102.5, 24.3] } },
      'body.staffCount',
    ],
    [
      'a grade on a police post',
      { name: 'x', kind: 'police_post', grade: 1, orgUnitId: 1, location: { type: 'Point', coordinates: [102.5, 24.3] } },
      'body.grade',
    ],
    [
      'a timber checkpoint without grade',
      { name: 'x', kind: 'timber_checkpoint', orgUnitId: 1, location: { type: 'Point', coordinates: [102.5, 24.3] } },
      'body.grade',
    ],
    ['an array', [1, 2], 'body'],
  ];
  it.each(cases)('%s', async (_, body, path) => {
    const res = await t.post('hongta', '/api/sites', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('malformed JSON', async () => {
    const res = await t.request('hongta', {
      method: 'POST',
      url: '/api/sites',
      payload: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body');
  });

  it('a malformed id, query and sort', async () => {
    expect((await t.get('hongta', '/api/sites/not-a-uuid')).json().error.details[0].path).toBe('params.id');
    expect((await t.get('hongta', '/api/sites?pageSize=100000')).json().error.details[0].path).toBe('querystring.pageSize');
    expect((await t.get('hongta', '/api/sites?sort=password')).json().error.details[0].path).toBe('querystring.sort');
    expect((await t.get('hongta', '/api/sites?bbox=1,2,3')).json().error.details[0].path).toBe('querystring.bbox');
    expect((await t.get('hongta', '/api/sites?kind=castle')).statusCode).toBe(400);
  });

  it('a PATCH without version', async () => {
    const site = (await t.get('hongta', '/api/sites?pageSize=1')).json().items[0];
    const res = await t.patch('hongta', `/api/sites/${site.id}`, { name: 'y' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.version');
  });
});

describe('Excel export and import', () => {
  async function workbookOf(rows: Record<string, unknown>[]) {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('站点');
    sheet.addRow(SITE_SHEET_COLUMNS.map((c) => c.header));
    for (const row of rows) sheet.addRow(SITE_SHEET_COLUMNS.map((c) => row[c.header] ?? null));
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  const upload = (as: string, data: Buffer) => t.importSheet(as, '/api/sites/import', data, 'sites.xlsx');

  it('exports the filtered register in the import layout', async () => {
    const res = await t.get('hongta', '/api/sites/export?kind=police_station');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, ...SITE_SHEET_COLUMNS.map((c) => c.header)]);
    const expected = (await t.get('hongta', '/api/sites?kind=police_station&pageSize=1')).json().total;
    expect(sheet.rowCount - 1).toBe(expected);
    expect(sheet.getRow(2).getCell(2).value).toBe('森林公安派出所');
  });

  it('imports valid rows in one go and reports progress to the end', async () => {
    const [lon, lat] = await pointIn(hongtaTownship.id);
    const before = (await t.get('hongta', '/api/sites?pageSize=1')).json().total;
    const job = await upload(
      'hongta',
      await workbookOf([
        { 名称: '导入警务站一', 类型: '林区警务站', 所属单位编码: '530402001', 经度: lon, 纬度: lat, 人数: 3 },
        { 名称: '导入检查站二', 类型: 'timber_checkpoint', 等级: 1, 所属单位编码: '530402001', 经度: lon, 纬度: lat, 状态: '暂停' },
      ]),
    );
    expect(job).toMatchObject({ state: 'succeeded', result: { created: 2 }, processed: 2, total: 2, problems: [] });
    expect((await t.get('hongta', '/api/sites?pageSize=1')).json().total).toBe(before + 2);
    const imported = (await t.get('hongta', `/api/sites?q=${encodeURIComponent('导入检查站二')}`)).json().items[0];
    expect(imported).toMatchObject({ kind: 'timber_checkpoint', grade: 1, status: 'suspended' });
  });

  it('writes nothing when any row is wrong, and names row, column and error', async () => {
    const [lon, lat] = await pointIn(hongtaTownship.id);
    const before = (await t.get('hongta', '/api/sites?pageSize=1')).json().total;
    const job = await upload(
      'hongta',
      await workbookOf([
        { 名称: '好的一行', 类型: '林区警务站', 所属单位编码: '530402001', 经度: lon, 纬度: lat },
        { 名称: '类型错误', 类型: '城堡', 所属单位编码: '530402001', 经度: lon, 纬度: lat },
        { 名称: '他县单位', 类型: '林区警务站', 所属单位编码: '530403', 经度: lon, 纬度: lat },
        { 名称: '区外位置', 类型: '林区警务站', 所属单位编码: '530402001', 经度: 101.5, 纬度: 23.5 },
        { 名称: '缺等级', 类型: '木材检查站', 所属单位编码: '530402001', 经度: lon, 纬度: 'abc' },
      ]),
    );
    expect(job.state).toBe('failed');
    const problems = job.problems.map((p: { row: number; field: string }) => `${p.row}:${p.field}`);
    expect(problems).toEqual(expect.arrayContaining(['3:类型', '4:所属单位编码', '5:经度', '6:纬度']));
    expect(problems).not.toContain('2:名称');
    expect((await t.get('hongta', '/api/sites?pageSize=1')).json().total).toBe(before);
  });

  /** A zip of one sheet part: `declared` is the size its headers claim, which a zip bomb may make up. */
  function zipOf(name: string, content: Buffer, declared = content.length): Buffer {
    const compressed = deflateRawSync(content, { level: 9 });
    const fileName = Buffer.from(name);
    const sizes = (b: Buffer, at: number) => {
      b.writeUInt32LE(compressed.length, at);
      b.writeUInt32LE(declared, at + 4);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    sizes(local, 18);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    sizes(central, 20);
    central.writeUInt16LE(fileName.length, 28);
    const centralAt = local.length + fileName.length + compressed.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + fileName.length, 12);
    end.writeUInt32LE(centralAt, 16);
    return Buffer.concat([local, fileName, compressed, central, fileName, end]);
  }

  it('refuses a workbook that unpacks to more than 30 MB before reading it, also when its headers lie', async () => {
    const sheet = Buffer.alloc(64 * 1024 * 1024, '<row><c t="s"><v>0</v></c></row>');
    for (const bomb of [zipOf('xl/worksheets/sheet1.xml', sheet), zipOf('xl/worksheets/sheet1.xml', sheet, 1_000)]) {
      expect(bomb.length).toBeLessThan(300 * 1024);
      const boundary = '----bomb';
      const res = await t.request('hongta', {
        method: 'POST',
        url: '/api/sites/import',
        payload: Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="站点.xlsx"\r\n\r\n`),
          bomb,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({
        code: 'too_large',
        details: [{ path: 'body.file', message: expect.stringContaining('站点.xlsx') }],
      });
    }
  });

  it('refuses a file that is not a workbook', async () => {
    const job = await upload('hongta', Buffer.from('name,kind\nx,y\n'));
    expect(job).toMatchObject({ state: 'failed', message: 'The file is not an Excel workbook (.xlsx)' });
  });
});

describe('live updates', () => {
  it('a new site reaches viewers whose scope holds it, and no one else', async () => {
    const [hongtaLive, otherLive] = await Promise.all([t.listen('hongta', ['sites']), t.listen('jiangchuan', ['sites'])]);
    const received = { hongta: hongtaLive.received, jiangchuan: otherLive.received };
    await t.post('hongta', '/api/sites', siteBody(hongta.id, await pointIn(hongta.id), { name: '实时推送测试站' }));
    await expect.poll(() => received.hongta.length).toBeGreaterThan(0);
    expect(received.hongta[0]).toMatchObject({ type: 'site.created', site: { name: '实时推送测试站' } });
    await otherLive.settle();
    expect(received.jiangchuan).toEqual([]);
    hongtaLive.close();
    otherLive.close();
  });
});
