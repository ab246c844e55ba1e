/**
 * The duty officer downloads the duty report of a day (值班日报) from the incident list: the
 * workbook holds the summary, incident and hotspot sheets.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, useBrowser } from './helpers';

describe('the duty report of a day', () => {
  const browser = useBrowser();

  it('the duty officer picks today and downloads the workbook of the day', async () => {
    const { page, errors } = await browser.openSignedIn('duty', { context: { acceptDownloads: true } });
    await page.getByTestId('side-menu').waitFor();
    await page.goto(new URL('/incidents', page.url()).href);
    await page.getByTestId('duty-report-download').waitFor({ state: 'visible' });
    await expect.poll(() => page.getByTestId('duty-report-download').textContent()).toContain('值班日报');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'duty-report-button.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('duty-report-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^值班日报-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = path.join(ARTIFACTS, 'duty-report.xlsx');
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['值班概况', '警情明细', '卫星热点']);
    await page.locator('[data-testid="duty-report"] input').click();
    await page.locator('.el-picker-panel').first().waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'duty-report-picker.png') });
    expect(errors).toEqual([]);
  });
});
