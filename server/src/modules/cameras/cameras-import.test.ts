import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointIn } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { CAMERA_SHEET_COLUMNS } from './cameras.schema.js';

let t: TestApp;
let inHongta: [number, number];
let inJiangchuan: [number, number];
let hongtaTownship: { id: number; code: string };

let serial = 0;
/** A fresh valid GB/T 28181 id of a 红塔区 IP camera. */
const newGbId = () => `53040200001321${String(++serial).padStart(6, '0')}`;

async function workbookOf(rows: Record<string, unknown>[]) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('视频监控');
  sheet.addRow(CAMERA_SHEET_COLUMNS.map((c) => c.header));
  for (const row of rows) sheet.addRow(CAMERA_SHEET_COLUMNS.map((c) => row[c.header] ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const importCameras = async (as: string, rows: Record<string, unknown>[]) =>
  t.importSheet(as, '/api/cameras/import', await workbookOf(rows), 'cameras.xlsx');
const total = async (as: string) => (await t.get(as, '/api/cameras?pageSize=1')).json().total as number;

beforeAll(async () => {
  t = await createTestApp();
  const units = (await t.get('hongta', '/api/org/units?kind=township')).json().items;
  hongtaTownship = units.find((u: { code: string }) => u.code.startsWith('530402'));
  inHongta = await pointIn(t, hongtaTownship.id);
  const jiangchuan = (await t.get('jiangchuan', '/api/org/units?kind=county')).json().items[0];
  inJiangchuan = await pointIn(t, jiangchuan.id);
});
afterAll(async () => {
  await t?.close();
});

describe('camera spreadsheet import', () => {
  it('imports the export layout, labels or codes, placing a camera without a unit code by its location', async () => {
    const before = await total('hongta');
    const [a, b] = [newGbId(), newGbId()];
    const job = await importCameras('hongta', [
      {
        名称: '导入球机一',
        国标编码: a,
        类别: '重点林区',
        类型: '球机',
        建设单位: '红塔区林草局',
        所属单位编码: hongtaTownship.code,
        经度: inHongta[0],
        纬度: inHongta[1],
        HLS: 'https://video.example.cn/live/a.m3u8',
        备注: '批量导入',
      },
      // Codes instead of labels, no unit code: the unit holding the location; 状态 and 最后在线 are ignored.
      { 名称: '导入热成像二', 国标编码: b, 类别: 'reserve', 类型: 'thermal', 经度: inHongta[0], 纬度: inHongta[1], 状态: '在线' },
    ]);
    expect(job).toMatchObject({ state: 'succeeded', result: { created: 2 }, processed: 2, total: 2, problems: [] });
    expect(await total('hongta')).toBe(before + 2);
    const first = (await t.get('hongta', `/api/cameras?q=${a}`)).json().items[0];
    expect(first).toMatchObject({
      name: '导入球机一',
      category: 'key_forest_area',
      type: 'dome',
      owner: '红塔区林草局',
      orgUnitId: hongtaTownship.id,
      hlsUrl: 'https://video.example.cn/live/a.m3u8',
      status: 'unknown',
      hasKey: false,
    });
    const second = (await t.get('hongta', `/api/cameras?q=${b}`)).json().items[0];
    expect(second).toMatchObject({ category: 'reserve', type: 'thermal', status: 'unknown' });
    expect(second.orgUnitName).toBe('红塔区');
    const audit = await t.database.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'camera.import' AND entity_id = $1",
      [first.id],
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('links a camera to the site its 所在站点 names, by its own unit when two sites share the name', async () => {
    const townships = (await t.get('hongta', '/api/org/units?kind=township'))
      .json()
      .items.filter((u: { code: string }) => u.code.startsWith('530402'));
    const other = townships.find((u: { id: number }) => u.id !== hongtaTownship.id);
    const inOther = await pointIn(t, other.id);
    const site = async (name: string, unitId: number, at: [number, number]) =>
      (
        await t.post('hongta', '/api/sites', {
          name,
          kind: 'scenic_area',
          orgUnitId: unitId,
          location: { type: 'Point', coordinates: at },
        })
      ).json().id as string;
    const unique = await site('导入测试景区', hongtaTownship.id, inHongta);
    const here = await site('导入测试重名站', hongtaTownship.id, inHongta);
    await site('导入测试重名站', other.id, inOther);
    const [a, b] = [newGbId(), newGbId()];
    const row = (fields: Record<string, unknown>) => ({
      名称: '站点摄像机',
      类别: '森林景区',
      类型: '枪机',
      经度: inHongta[0],
      纬度: inHongta[1],
      ...fields,
    });
    const job = await importCameras('hongta', [
      row({ 国标编码: a, 所在站点: '导入测试景区' }),
      row({ 国标编码: b, 所在站点: '导入测试重名站', 所属单位编码: hongtaTownship.code }),
    ]);
    expect(job.problems).toEqual([]);
    expect(job).toMatchObject({ state: 'succeeded', result: { created: 2 } });
    expect((await t.get('hongta', `/api/cameras?q=${a}`)).json().items[0]).toMatchObject({ siteId: unique, siteName: '导入测试景区' });
    expect((await t.get('hongta', `/api/cameras?q=${b}`)).json().items[0]).toMatchObject({ siteId: here });

    // A name no site of the area has, and one two sites share with neither in the camera's unit (红塔区 itself): refused, nothing written.
    const before = await total('hongta');
    const refused = await importCameras('hongta', [
      row({ 国标编码: newGbId(), 所在站点: '没有这个站' }),
      row({ 国标编码: newGbId(), 所在站点: '导入测试重名站', 所属单位编码: '530402' }),
    ]);
    expect(refused.state).toBe('failed');
    expect(refused.problems).toEqual([
      { row: 2, field: '所在站点', message: 'no site 没有这个站 in your area' },
      { row: 3, field: '所在站点', message: '2 sites are named 导入测试重名站: leave the cell empty and link the site in the form' },
    ]);
    expect(await total('hongta')).toBe(before);
    // A site of another county is not found from 红塔区.
    await t.post('jiangchuan', '/api/sites', {
      name: '江川测试景区',
      kind: 'scenic_area',
      orgUnitId: (await t.get('jiangchuan', '/api/org/units?kind=county')).json().items[0].id,
      location: { type: 'Point', coordinates: inJiangchuan },
    });
    const foreign = await importCameras('hongta', [row({ 国标编码: newGbId(), 所在站点: '江川测试景区' })]);
    expect(foreign.problems).toEqual([{ row: 2, field: '所在站点', message: 'no site 江川测试景区 in your area' }]);
  });

  it('reads back what it exported: the export is the import layout with the unit code', async () => {
    const res = await t.get('hongta', '/api/cameras/export');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, ...CAMERA_SHEET_COLUMNS.map((c) => c.header)]);
    const codeColumn = CAMERA_SHEET_COLUMNS.findIndex((c) => c.field === 'orgUnitCode') + 1;
    expect(String(sheet.getRow(2).getCell(codeColumn).value)).toMatch(/^530402/);
    // Importing the export again is refused whole: every id is already registered.
    const before = await total('hongta');
    const job = await t.importSheet('hongta', '/api/cameras/import', Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer));
    expect(job.state).toBe('failed');
    expect(job.problems.every((p: { field: string; message: string }) => p.field === '国标编码' && /another camera/.test(p.message))).toBe(
      true,
    );
    expect(await total('hongta')).toBe(before);
  });

  it('writes nothing when any row is wrong, and names row, column and problem', async () => {
    const before = await total('hongta');
    const good = newGbId();
    const twice = newGbId();
    const row = (fields: Record<string, unknown>) => ({
      名称: '坏行',
      国标编码: newGbId(),
      类别: '重点林区',
      类型: '枪机',
      经度: inHongta[0],
      纬度: inHongta[1],
      ...fields,
    });
    const job = await importCameras('hongta', [
      row({ 名称: '好的一行', 国标编码: good }), // 2
      row({ 国标编码: '5304020000132000000' }), // 3: 19 digits
      row({ 国标编码: 53040200001320000000 }), // 4: typed as a number
      row({ 类别: '城堡' }), // 5
      row({ 所属单位编码: '530403' }), // 6: another county's unit
      row({ 所属单位编码: hongtaTownship.code, 经度: 101.2, 纬度: 23.6 }), // 7: outside its unit
      row({ 经度: inJiangchuan[0], 纬度: inJiangchuan[1] }), // 8: placed by location, outside the area
      row({ 国标编码: twice }), // 9
      row({ 国标编码: twice }), // 10: the same id again
      row({ 名称: '长'.repeat(101) }), // 11: too long
      row({ HLS: 'ftp://x/y.m3u8' }), // 12
      row({ 纬度: 'abc' }), // 13
    ]);
    expect(job.state).toBe('failed');
    const problems = job.problems.map((p: { row: number; field: string }) => `${p.row}:${p.field}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        '3:国标编码',
        '4:国标编码',
        '5:类别',
        '6:所属单位编码',
        '7:经度',
        '8:经度',
        '10:国标编码',
        '11:名称',
        '12:HLS',
        '13:纬度',
      ]),
    );
    expect(problems.filter((p: string) => p.startsWith('2:') || p.startsWith('9:'))).toEqual([]);
    expect(job.problems.find((p: { row: number }) => p.row === 4).message).toMatch(/as text/);
    expect(job.problems.find((p: { row: number }) => p.row === 10).message).toBe('the same id as row 9');
    expect(job.message).toMatch(/nothing was imported/);
    // Every row was checked, those refused cell by cell too.
    expect(job).toMatchObject({ processed: 12, total: 12 });
    expect(await total('hongta')).toBe(before);
    expect((await t.get('hongta', `/api/cameras?q=${good}`)).json().total).toBe(0);
  });

  it('refuses a file that is not a workbook, a sheet without its required columns, and accounts that may not register', async () => {
    const notWorkbook = await t.importSheet('hongta', '/api/cameras/import', Buffer.from('name,gbId\nx,y\n'));
    expect(notWorkbook).toMatchObject({ state: 'failed', message: 'The file is not an Excel workbook (.xlsx)' });

    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('x').addRow(['名称', '类别', '类型', '经度', '纬度']);
    workbook.worksheets[0].addRow(['a', '重点林区', '球机', inHongta[0], inHongta[1]]);
    const missing = await t.importSheet('hongta', '/api/cameras/import', Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer));
    expect(missing).toMatchObject({ state: 'failed', problems: [{ row: 1, field: '国标编码', message: 'column missing' }] });

    const data = await workbookOf([
      { 名称: 'x', 国标编码: newGbId(), 类别: '重点林区', 类型: '球机', 经度: inHongta[0], 纬度: inHongta[1] },
    ]);
    await expect(t.importSheet('liaison1', '/api/cameras/import', data)).rejects.toThrow(/403/);
    const res = await t.request('hongta', { method: 'POST', url: '/api/cameras/import', payload: { file: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.file');
  });
});
