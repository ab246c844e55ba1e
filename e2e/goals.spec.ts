/**
 * The goals dashboard (notice clauses 一, 二): a county office (红塔区) opens 创建目标 from the
 * campaign menu, finds its measures with their judgement, enters its forest area for the year with
 * the source and its date, and the dashboard shows the new figure; the API keeps the source.
 */
import { describe, expect, it } from 'vitest';
import { apiAs, useBrowser } from './helpers';

type Goals = {
  year: number;
  items: { code: string; value: number | null; entry: { source: string; sourceDate: string } | null }[];
};

describe('a county enters a goal figure with its source', () => {
  const browser = useBrowser();

  it('opens the dashboard from the menu, enters the forest area and sees it', async () => {
    const { page } = await browser.openSignedIn('hongta');
    await page.getByTestId('menu-group-campaign').click();
    await page.getByTestId('menu-goals').click();
    await page.getByTestId('goals-page').waitFor();
    const tile = page.getByTestId('goal-forest_area');
    await tile.waitFor();
    // The six ensures, the goals and the public survey each have their group of tiles.
    expect(await page.locator('[data-testid^="goals-group-"]').count()).toBeGreaterThanOrEqual(3);

    const get = await apiAs('hongta');
    // The API answers this year by default; the page opens on last year, whose surveys are out.
    const year = (await get<Goals>('/api/goals')).year - 1;
    // A figure no demonstration year holds, so the tile can only show it once entered.
    const area = 98_765 + (Date.now() % 1000);
    await tile.getByTestId('goal-enter').click();
    const form = page.getByTestId('goals-entry-form');
    await form.waitFor();
    // The form reads what is entered already; save is offered once it has, and typing comes after.
    await expect.poll(() => page.getByTestId('entry-save').isEnabled()).toBe(true);
    // A number input keeps its test id on the wrapper, like the date picker below.
    await page.locator('[data-testid="entry-value"] input').fill(String(area));
    await page.getByTestId('entry-source').fill('E2E 森林资源年度监测');
    // Element Plus puts no test id on a date picker: it sits on the wrapper that names it.
    const date = page.locator('[data-testid="entry-source-date"] input');
    await date.fill(`${year}-12-20`);
    await date.press('Enter');
    await page.getByTestId('entry-save').click();
    await form.waitFor({ state: 'hidden' });

    await expect
      .poll(async () => (await tile.getByTestId('goal-value').textContent())?.replace(/[,\s]/g, ''), { timeout: 10_000 })
      .toContain(String(area));
    const after = await get<Goals>(`/api/goals?year=${year}`);
    const item = after.items.find((i) => i.code === 'forest_area');
    expect(item?.value).toBe(area);
    expect(item?.entry).toMatchObject({ source: 'E2E 森林资源年度监测', sourceDate: `${year}-12-20` });
  });
});
