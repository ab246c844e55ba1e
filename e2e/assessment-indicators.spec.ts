/**
 * A county office reads its indicators (考核指标) under 创建考评: every indicator of its county
 * for the year with its definition, the figure the API gives, and a link that opens the incident
 * list filtered to the records counted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, apiAs, useBrowser } from './helpers';

describe('the indicators computed from operations', () => {
  const browser = useBrowser();

  it('a county office opens 考核指标 from the menu, reads each figure with its definition and follows one to its records', async () => {
    const { page, errors } = await browser.openSignedIn('hongta');
    await page.getByTestId('menu-group-campaign').click();
    await page.getByTestId('menu-assessment-indicators').click();
    await page.getByTestId('indicator-list').waitFor({ state: 'visible' });
    const year = new URL(page.url()).searchParams.get('year');
    expect(new URL(page.url()).searchParams.get('unit')).toBe('530402');

    const api = await apiAs('hongta');
    const { items } = await api<{ items: { key: string; name: string; value: number | null; basis: { records: number } }[] }>(
      `/api/assessment/indicators?unit=530402&year=${year}`,
    );
    const cards = page.getByTestId('indicator-card');
    await expect.poll(() => cards.count()).toBe(items.length);
    const count = items.find((i) => i.key === 'ranger_count');
    const card = page.locator('[data-key="ranger_count"]');
    expect(await card.textContent()).toContain(count?.name);
    expect(await card.getByTestId('indicator-value').textContent()).toContain(String(count?.value));
    expect(await page.locator('[data-key="ranger_on_post_rate"]').textContent()).toContain('巡护天数');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'assessment-indicators.png'), fullPage: true });

    await page.locator('[data-key="incident_count"]').getByTestId('indicator-link').click();
    await page.getByTestId('incident-table').waitFor({ state: 'visible' });
    const url = new URL(page.url());
    expect(url.pathname).toBe('/incidents');
    expect(url.searchParams.get('status')).toBe('new,dispatched,on_scene,resolved,closed');
    const incidents = items.find((i) => i.key === 'incident_count');
    await expect.poll(() => page.locator('.el-pagination__total').textContent()).toContain(String(incidents?.basis.records));
    expect(errors).toEqual([]);
  });
});
