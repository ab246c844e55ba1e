/**
 * The responsibility register (notice clause 三): a county office (红塔区) opens its register for
 * next year, records its leaders, uploads its work plan with its date, adds a target task and
 * reports progress with a file; the city office, the level above, checks the task, and the check
 * shows in the five "同".
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, apiAs, useBrowser, type WatchedPage } from './helpers';

/** Next year in China: the demo data keeps this year's registers. */
const YEAR = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear() + 1;
const TASK = `E2E 建立平安林区创建领导小组 ${Date.now().toString(36)}`;
const PDF = path.join(ARTIFACTS, 'e2e-work-plan.pdf');

type Register = {
  id: string;
  orgUnitName: string;
  leader: { name: string | null };
  leaderInCharge: { name: string | null };
  workPlan: { status: string; date: string | null; file: { name: string } | null };
  tasks: { id: string; title: string; percent: number; latestCheck: { result: string } | null }[];
};

describe('a county keeps its responsibility register and the city checks it', () => {
  const browser = useBrowser();
  let county: WatchedPage;
  let registerUrl = '';

  it('the county records its leaders and uploads its work plan', async () => {
    fs.writeFileSync(PDF, '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    county = await browser.openSignedIn('hongta');
    const { page } = county;
    await page.getByTestId('menu-group-campaign').click();
    await page.getByTestId('menu-responsibilities').click();
    await page.getByTestId('responsibilities-page').waitFor();
    await page.getByTestId('resp-year').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: String(YEAR) }).click();
    await page.getByTestId('resp-new').click();
    await page.getByTestId('resp-new-save').click();
    await page.getByTestId('responsibility-page').waitFor();
    await expect.poll(() => page.getByTestId('resp-heading').textContent()).toContain(`红塔区 · ${YEAR}`);
    registerUrl = new URL(page.url()).pathname;

    await page.getByTestId('resp-leader-name').fill('（测试）主要领导');
    await page.getByTestId('resp-leader-post').fill('区林业和草原局局长');
    await page.getByTestId('resp-leaderInCharge-name').fill('（测试）分管领导');
    await page.getByTestId('resp-leaderInCharge-post').fill('区林业和草原局副局长');
    await page.getByTestId('resp-plan-title').fill(`${YEAR}年平安林区创建工作方案`);
    // Element Plus puts no test id on a date picker's input: it sits in the wrapper that names it.
    const date = page.locator('[data-testid="resp-plan-date"] input');
    await date.fill(`${YEAR}-03-10`);
    await date.press('Enter');
    await page.locator('[data-testid="resp-plan-upload"] input[type=file]').setInputFiles(PDF);
    await expect.poll(() => page.getByTestId('resp-plan-file').textContent()).toContain('e2e-work-plan.pdf');
    await page.getByTestId('resp-register-save').click();
    await expect.poll(() => page.getByTestId('resp-plan-status').textContent()).toContain('按期制定');

    const api = await apiAs('hongta');
    const { items } = await api<{ items: Register[] }>(`/api/responsibilities?year=${YEAR}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      orgUnitName: '红塔区',
      leader: { name: '（测试）主要领导' },
      leaderInCharge: { name: '（测试）分管领导' },
      workPlan: { status: 'on_time', date: `${YEAR}-03-10`, file: { name: 'e2e-work-plan.pdf' } },
    });
  });

  it('the county adds a target task and reports progress with a file', async () => {
    const { page } = county;
    await page.getByTestId('resp-task-new').click();
    await page.getByTestId('resp-task-title').fill(TASK);
    await page.getByTestId('resp-task-owner').fill('（测试）分管领导');
    await page.getByTestId('resp-task-ref').fill('1.1');
    await page.getByTestId('resp-task-save').click();
    const row = page.locator('[data-testid="resp-tasks"] .el-table__body tr', { hasText: TASK });
    await row.first().waitFor();

    await row.locator('[data-testid^="resp-report-"]').click();
    const dialog = page.locator('.el-dialog', { hasText: '报告进度' });
    await dialog.waitFor();
    await dialog.locator('.el-input-number input').fill('60');
    await dialog.locator('.el-input-number input').press('Tab');
    await page.getByTestId('resp-progress-text').fill('已起草领导小组成立文件');
    await page.locator('[data-testid="resp-progress-upload"] input[type=file]').setInputFiles(PDF);
    await expect.poll(() => dialog.locator('.el-tag').count()).toBe(1);
    await page.getByTestId('resp-progress-save').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row.first().locator('.el-progress__text').textContent()).toContain('60%');
    await page.screenshot({ path: path.join(ARTIFACTS, 'responsibility-county.png'), fullPage: true });
  });

  it('the city, the level above, checks the task; the five 同 show it', async () => {
    const city = await browser.openSignedIn('city');
    const { page } = city;
    await page.goto(new URL(registerUrl, page.url()).toString());
    await page.getByTestId('responsibility-page').waitFor();
    const row = page.locator('[data-testid="resp-tasks"] .el-table__body tr', { hasText: TASK });
    await row.first().waitFor();
    await row.locator('[data-testid^="resp-checkbtn-"]').first().click();
    const dialog = page.locator('.el-dialog', { hasText: '上级检查' });
    await dialog.waitFor();
    await dialog.locator('label', { hasText: '基本合格' }).click();
    await page.getByTestId('resp-check-comments').fill('领导小组文件尚未印发');
    await page.getByTestId('resp-check-save').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row.first().textContent()).toContain('基本合格');

    await page.locator('.el-tabs__item', { hasText: '五同' }).click();
    const five = page.getByTestId('resp-five-same');
    await expect.poll(() => five.textContent()).toContain('基本合格');
    expect(await five.textContent()).toContain('1.1');
    expect(await five.textContent()).toContain('待考评定级');

    const api = await apiAs('city');
    const { items } = await api<{ items: Register[] }>(`/api/responsibilities?year=${YEAR}`);
    const task = items.flatMap((r) => r.tasks).find((t) => t.title === TASK);
    expect(task).toMatchObject({ percent: 60, latestCheck: { result: 'basic_pass' } });
    // The county cannot check its own task: the button is not offered to it.
    expect(await county.page.locator('[data-testid="resp-tasks"] [data-testid^="resp-checkbtn-"]').count()).toBe(0);
    expect([...county.errors, ...city.errors]).toEqual([]);
  });
});
