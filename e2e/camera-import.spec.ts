/**
 * A county office imports its cameras from a spreadsheet: a sheet with a wrong row is refused
 * whole with the row and column on screen; the corrected sheet is imported and the cameras are in
 * the register.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, apiAs, BASE_URL, useBrowser } from './helpers';

const HEADERS = ['名称', '国标编码', '类别', '类型', '所属单位编码', '经度', '纬度'];
const IDS = ['53040200001321900001', '53040200001321900002'];

async function workbook(rows: unknown[][]) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('视频监控');
  sheet.addRow(HEADERS);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('camera import', () => {
  const browser = useBrowser();

  it('refuses a sheet with a wrong row, naming it, then imports the corrected one', async () => {
    const api = await apiAs('hongta');
    const before = (await api<{ total: number }>('/api/cameras?pageSize=1')).total;
    // A place inside 红塔区 from its register: a demo camera's.
    const demo = (await api<{ items: { location: { coordinates: [number, number] } }[] }>('/api/cameras?pageSize=1')).items[0];
    const [lon, lat] = demo.location.coordinates;

    const { page, errors } = await browser.openSignedIn('hongta');
    await page.goto(`${BASE_URL}/cameras`);
    await page.getByTestId('camera-import-open').click();
    const dialog = page.getByTestId('sheet-import');
    const wrong = await workbook([
      ['导入测试球机', IDS[0], '重点林区', '球机', '', lon, lat],
      ['导入测试枪机', '5304020000132190000', '重要道路', '枪机', '', lon, lat],
    ]);
    await dialog.locator('input[type=file]').setInputFiles({ name: '摄像机.xlsx', mimeType: 'application/octet-stream', buffer: wrong });
    await dialog.getByRole('button', { name: '开始导入' }).click();
    const problems = dialog.getByTestId('import-problems');
    await problems.waitFor();
    const cells = await problems.locator('.el-table__row').first().locator('td').allTextContents();
    expect(cells.slice(0, 2)).toEqual(['3', '国标编码']);
    expect(await dialog.getByText('导入失败，未写入任何数据').count()).toBe(1);
    expect((await api<{ total: number }>('/api/cameras?pageSize=1')).total).toBe(before);

    // The corrected sheet is chosen in the same dialog, in place of the first.
    const right = await workbook([
      ['导入测试球机', IDS[0], '重点林区', '球机', '', lon, lat],
      ['导入测试枪机', IDS[1], '重要道路', '枪机', '', lon, lat],
    ]);
    await dialog.locator('input[type=file]').setInputFiles({ name: '摄像机.xlsx', mimeType: 'application/octet-stream', buffer: right });
    await dialog.getByRole('button', { name: '开始导入' }).click();
    await dialog.getByText('导入成功，共新增 2 台摄像机').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'cameras-import-desktop.png') });
    await dialog.getByRole('button', { name: '关闭', exact: true }).click();

    await page.getByTestId('camera-filter-q').fill('导入测试');
    await page.getByTestId('camera-filter-q').press('Enter');
    await expect.poll(() => page.getByTestId('camera-table').locator('.el-table__row').count(), { timeout: 10_000 }).toBe(2);
    expect((await api<{ total: number }>('/api/cameras?pageSize=1')).total).toBe(before + 2);
    expect(errors).toEqual([]);
  });
});
