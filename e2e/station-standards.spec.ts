/**
 * The "五化" checklist of forest police stations (notice clause 八): the officer of 红塔区's first
 * station opens its checklist from the campaign menu, rates every item (one failed), uploads the
 * evidence the items ask for and submits; the county office (红塔区) opens the station from the
 * dashboard, fails one more item with a comment and confirms the level the results give (达标);
 * the dashboard then counts the station at 达标 in its table, its totals and on the map.
 */
import { describe, expect, it } from 'vitest';
import { apiAs, BASE_URL, useBrowser } from './helpers';

/** A 1×1 PNG: the file store checks an upload's type from its bytes. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

type Rating = {
  status: string;
  level: string | null;
  computedLevel: string | null;
  items: { item: { code: string; evidence: string | null }; selfResult: string | null; evidenceFileIds: string[] }[];
};
type Stations = { year: number; items: { station: { siteId: string; name: string }; status: string; level: string | null }[] };

describe('a station rates itself and the county confirms its level', () => {
  const browser = useBrowser();

  it('is filled and submitted by the station, confirmed by the county and shown on the dashboard', async () => {
    const asPolice = await apiAs('police1');
    const mine = await asPolice<Stations>('/api/station-standards/stations');
    expect(mine.items).toHaveLength(1);
    const { station } = mine.items[0];
    const year = mine.year;
    const blank = await asPolice<Rating>(`/api/station-standards/stations/${station.siteId}/ratings/${year}`);
    expect(blank.status).toBe('not_started');

    // The station: from the menu to its own checklist.
    const police = await browser.openSignedIn('police1');
    let page = police.page;
    await page.getByTestId('menu-group-campaign').click();
    await page.getByTestId('menu-station-standards').click();
    await page.getByTestId('standards-page').waitFor();
    await page.getByTestId('standards-own').click();
    await page.getByTestId('station-page').waitFor();
    expect(await page.getByTestId('station-name').textContent()).toContain(station.name);

    for (const row of blank.items) {
      const code = row.item.code;
      const result = code === '2.1' ? '不通过' : '通过';
      await page.getByTestId(`self-${code}`).getByText(result, { exact: true }).click();
      if (row.item.evidence && code !== '2.1') {
        await page
          .locator(`[data-testid="upload-${code}"] input[type=file]`)
          .setInputFiles({ name: `${code}.png`, mimeType: 'image/png', buffer: PNG });
        await page.getByTestId(`check-${code}`).getByTestId('evidence-file').first().waitFor();
      }
    }
    await page.getByTestId('note-2.1').fill('绿化改造工程明年实施');
    await page.getByTestId('rating-submit').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(async () => (await page.getByTestId('station-status').textContent())?.trim(), { timeout: 15_000 }).toBe('待审核');
    // Submitted: the station has no inputs any more.
    expect(await page.getByTestId('rating-submit').count()).toBe(0);
    const submitted = await asPolice<Rating>(`/api/station-standards/stations/${station.siteId}/ratings/${year}`);
    expect(submitted.status).toBe('submitted');
    expect(submitted.items.find((i) => i.item.code === '2.1')?.selfResult).toBe('fail');
    expect(submitted.items.filter((i) => i.evidenceFileIds.length > 0).length).toBeGreaterThan(10);
    expect(police.errors).toEqual([]);

    // The county: from the dashboard's table to the station, review and confirm.
    const county = await browser.openSignedIn('hongta');
    page = county.page;
    await page.goto(`${BASE_URL}/station-standards?year=${year}`);
    await page.getByTestId('standards-page').waitFor();
    await page.getByTestId(`station-${station.siteId}`).click();
    await page.getByTestId('station-page').waitFor();
    await page.getByTestId('review-3.3').getByText('不通过', { exact: true }).click();
    await page.getByTestId('review-comment-3.3').fill('培训记录不全');
    await page.getByTestId('review-confirm').click();
    await page.locator('[data-testid="confirm-level"]').waitFor();
    await page.getByTestId('confirm-send').click();
    await expect.poll(async () => (await page.getByTestId('station-level').textContent())?.trim(), { timeout: 15_000 }).toBe('达标');
    expect((await page.getByTestId('station-status').textContent())?.trim()).toBe('已确认');

    // The dashboard counts it: the table, the totals and a dot of its level on the map.
    await page.getByRole('button', { name: '返回总览' }).click();
    await page.getByTestId('standards-page').waitFor();
    const row = page.getByTestId('standards-table').locator('tr', { hasText: station.name });
    await expect.poll(async () => (await row.getByTestId('row-level').textContent())?.trim(), { timeout: 15_000 }).toBe('达标');
    expect(Number(await page.getByTestId('total-standard').locator('b').textContent())).toBeGreaterThanOrEqual(1);
    await page.locator('[data-testid="stations-map"] [data-ready="true"]').waitFor();
    expect(await page.locator('[data-testid="station-dot"][data-level="standard"]').count()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('levels-chart').locator('canvas').first().waitFor();

    const confirmed = await (await apiAs('hongta'))<Rating>(`/api/station-standards/stations/${station.siteId}/ratings/${year}`);
    expect(confirmed).toMatchObject({ status: 'confirmed', level: 'standard', computedLevel: 'standard' });

    // A re-check finds a wrong result: the county takes the level back with the reason, and confirms again.
    await page.getByTestId(`station-${station.siteId}`).click();
    await page.getByTestId('station-page').waitFor();
    await page.getByTestId('rating-reopen').click();
    await page.getByTestId('reopen-reason').fill('复查：培训记录需再核');
    await page.getByTestId('reopen-send').click();
    await expect.poll(async () => (await page.getByTestId('station-status').textContent())?.trim(), { timeout: 15_000 }).toBe('待审核');
    expect(await page.getByTestId('reopened-because').textContent()).toContain('复查：培训记录需再核');
    expect(await page.getByTestId('station-level').count()).toBe(0);
    await page.getByTestId('review-confirm').click();
    await page.locator('[data-testid="confirm-level"]').waitFor();
    await page.getByTestId('confirm-send').click();
    await expect.poll(async () => (await page.getByTestId('station-level').textContent())?.trim(), { timeout: 15_000 }).toBe('达标');
    expect(county.errors).toEqual([]);
  });
});
