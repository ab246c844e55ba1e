/**
 * The assessment year in the browser: the city opens a county round, 红塔区 fills in and submits its
 * self-check with evidence, the city reviews (a changed score with its reason, a site inspection)
 * and grades it (the round page open at the city shows the submission as it happens), and the ranking shows it; recommending 通海县, which held no township
 * assessment that year, is refused with the reason on screen.
 */
import { describe, expect, it } from 'vitest';
import { apiSession, BASE_URL, useBrowser } from './helpers';

const YEAR = 2023;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const STANDARD = `浏览器考评标准${Date.now().toString(36)}`;

describe('the assessment year', () => {
  const browser = useBrowser();
  let roundId = '';

  it('a county submits its self-check with evidence; the city reviews and grades it; the ranking shows it', async () => {
    const city = await apiSession('city');
    await city.post('/api/assessment/standards', {
      name: STANDARD,
      version: '1',
      items: [
        {
          code: '1',
          title: '组织领导',
          maxPoints: 60,
          kind: 'manual',
          children: [
            { code: '1.1', title: '责任分工', maxPoints: 30, kind: 'manual', guidance: '有分工文件得30分', evidence: '分工文件' },
            { code: '1.2', title: '专题研究', maxPoints: 30, kind: 'manual' },
          ],
        },
        { code: '2', title: '宣传发动', maxPoints: 40, kind: 'manual' },
      ],
      vetoItems: [{ code: 'V1', title: '创建经费被挪用' }],
      bonusItems: [],
    });

    // The city opens the county round of the year.
    const c = await browser.openSignedIn('city');
    await c.page.goto(`${BASE_URL}/assessment/rounds`);
    await c.page.getByTestId('round-open').click();
    const dialog = c.page.getByTestId('round-dialog');
    await dialog.locator('[data-testid="round-year"] input').fill(String(YEAR));
    await dialog.locator('[data-testid="round-year"] input').press('Tab');
    await dialog.getByTestId('round-standard').click();
    await c.page.locator('.el-select-dropdown__item', { hasText: STANDARD }).click();
    await dialog.getByTestId('round-save').click();
    await c.page.waitForURL(/\/assessment\/rounds\/[0-9a-f-]{36}$/);
    roundId = c.page.url().split('/').pop() as string;
    await c.page.getByTestId('entries-table').getByText('红塔区').waitFor();
    expect(await c.page.getByTestId('entry-status-530402').textContent()).toContain('自查中');

    // 红塔区 fills in its self-check item by item, with evidence, and submits it.
    const h = await browser.openSignedIn('hongta');
    await h.page.goto(`${BASE_URL}/assessment/rounds/${roundId}`);
    await h.page.getByTestId('entry-open-530402').click();
    await h.page.getByTestId('entry-items').waitFor();
    const points = (code: string) => h.page.locator(`[data-testid="points-${code}"] input, input[data-testid="points-${code}"]`);
    for (const [code, value] of [
      ['1.1', '28'],
      ['1.2', '30'],
      ['2', '36'],
    ]) {
      await points(code).fill(value);
      await points(code).press('Tab');
    }
    await h.page.getByTestId('note-1.1').fill('区委区政府印发责任分工文件');
    await h.page
      .getByTestId('item-1.1')
      .locator('input[type=file]')
      .setInputFiles({ name: '分工文件.png', mimeType: 'image/png', buffer: PNG });
    await h.page.getByTestId('item-1.1').locator('.sf-file', { hasText: '分工文件.png' }).waitFor();
    await h.page.getByTestId('self-submit').click();
    await h.page.locator('.el-message-box').last().getByRole('button', { name: '确定' }).click();
    await expect.poll(() => h.page.getByTestId('entry-status').textContent()).toContain('已提交');
    // Submitted: read-only, the evidence kept.
    expect(await points('1.1').count()).toBe(0);
    expect(await h.page.getByTestId('entry-self-score').textContent()).toBe('94');
    expect(await h.page.getByTestId('item-1.1').getByTestId('evidence-file').count()).toBe(1);
    expect(await h.page.getByTestId('item-1.1').textContent()).toContain('区委区政府印发责任分工文件');
    await h.page.screenshot({ path: 'e2e/artifacts/assessment-self-check.png', fullPage: true });
    // The city's round page, open all along, shows the submission without a reload.
    await expect.poll(() => c.page.getByTestId('entry-status-530402').textContent()).toContain('已提交');

    // The city reviews: a lower figure needs its reason; a site inspection; then it grades.
    await c.page.getByTestId('entry-open-530402').click();
    await c.page.getByTestId('review-finalize').waitFor();
    const review = (code: string) => c.page.locator(`[data-testid="points-${code}"] input, input[data-testid="points-${code}"]`);
    await review('2').fill('30');
    await review('2').press('Tab');
    await c.page.getByTestId('reason-2').fill('宣传报道数量不足');
    await c.page.getByTestId('inspection-add').click();
    await c.page.getByTestId('entry-inspections').locator('input[placeholder="检查日期"]').fill('2024-02-10');
    await c.page.getByTestId('entry-inspections').locator('input[placeholder="检查日期"]').press('Enter');
    await c.page.getByTestId('inspection-inspectors').fill('市平安林区办 张三');
    await c.page
      .locator('[data-testid="inspection-findings"] textarea, textarea[data-testid="inspection-findings"]')
      .fill('现场查看检查站台账');
    await c.page.getByTestId('review-finalize').click();
    await c.page.locator('.el-message-box').last().getByRole('button', { name: '确定' }).click();
    await expect.poll(() => c.page.getByTestId('entry-status').textContent()).toContain('已定级');
    expect(await c.page.getByTestId('entry-final-score').textContent()).toBe('88');
    expect(await c.page.getByTestId('entry-grade').textContent()).toBe('良好');
    expect(await c.page.getByTestId('item-2').textContent()).toContain('宣传报道数量不足');

    // The ranking shows it.
    await c.page.goto(`${BASE_URL}/assessment/rounds/${roundId}`);
    await c.page.locator('#tab-ranking').click();
    await expect.poll(() => c.page.getByTestId('ranking-list').textContent()).toContain('红塔区 · 88 · 良好');
    await c.page.getByTestId('ranking-card').locator('canvas').first().waitFor();
    expect([...c.errors, ...h.errors]).toEqual([]);
  });

  it('recommending a county that held no township assessment is refused with the reason on screen', async () => {
    expect(roundId).not.toBe('');
    // 通海县 hands in its self-check and the city grades it; it held no township round in the year.
    const tonghai = await apiSession('tonghai');
    const city = await apiSession('city');
    const entries = await city.get<{ items: { id: string; unitCode: string }[] }>(`/api/assessment/rounds/${roundId}/entries`);
    const entry = entries.items.find((e) => e.unitCode === '530423')?.id as string;
    await tonghai.put(`/api/assessment/entries/${entry}/self-check`, {
      scores: [
        { itemCode: '1.1', points: 25 },
        { itemCode: '1.2', points: 25 },
        { itemCode: '2', points: 35 },
      ],
    });
    await tonghai.post(`/api/assessment/entries/${entry}/submit`);
    await city.post(`/api/assessment/entries/${entry}/finalize`);

    const c = await browser.openSignedIn('city');
    await c.page.goto(`${BASE_URL}/assessment/rounds/${roundId}`);
    await c.page.locator('#tab-recommend').click();
    const table = c.page.getByTestId('eligibility-table');
    await expect.poll(() => c.page.getByTestId('ineligible-530423').textContent()).toContain('一律取消参加市级推优的资格');
    await table.locator('.el-table__row', { hasText: '通海县' }).locator('.el-checkbox').click();
    await c.page.getByTestId('recommend-submit').click();
    const refusal = c.page.getByTestId('recommend-refusal');
    await refusal.waitFor();
    const text = await refusal.textContent();
    expect(text).toContain('通海县');
    expect(text).toContain(`未开展${YEAR}年度县级评定`);
    await c.page.screenshot({ path: 'e2e/artifacts/assessment-refusal.png', fullPage: true });
    // Nothing was written.
    expect((await city.get<{ items: unknown[] }>(`/api/assessment/rounds/${roundId}/recommendations`)).items).toEqual([]);
    expect(c.errors.filter((e) => !e.includes('409'))).toEqual([]);
  });
});
