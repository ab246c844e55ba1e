/**
 * Satellite hotspots: the duty officer uploads a small NASA FIRMS CSV (three hotspots inside Yuxi
 * of different ages, one outside, one bad row); the import reports the counts and the bad row by
 * line, the list shows them, the ground check is assigned and fed back, and the hotspots appear
 * on the command map and the map page, coloured by age with a legend.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, apiAs, BASE_URL, type OrgUnit, shareOfColour, useBrowser, type WatchedPage, waitForMap } from './helpers';

const GRID = '玉兴街道第1网格';
const OUTSIDE: [number, number] = [102.712, 25.041]; // Kunming, north of Yuxi
const HEADER = 'latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight';
const COLOURS: [number, number, number][] = [
  [0xdc, 0x26, 0x26],
  [0xf9, 0x73, 0x16],
  [0xea, 0xb3, 0x08],
];

/** A FIRMS row as FIRMS writes it: latitude first, UTC date and an unpadded HHMM time. */
function row([lon, lat]: [number, number], at: Date, sat = 'N', conf = 'n') {
  const date = at.toISOString().slice(0, 10);
  const time = String(at.getUTCHours() * 100 + at.getUTCMinutes());
  return `${lat.toFixed(5)},${lon.toFixed(5)},331.2,0.39,0.36,${date},${time},${sat},VIIRS,${conf},2.0NRT,290.1,6.5,D`;
}

describe('satellite hotspots', () => {
  const browser = useBrowser();
  let w: WatchedPage;
  let page: Page;
  let csv = '';

  beforeAll(async () => {
    const hongta = await apiAs('hongta');
    const { items } = await hongta<{ items: OrgUnit[] }>(`/api/org/units?q=${encodeURIComponent(GRID)}`);
    const centre = items.find((u) => u.name === GRID)?.center;
    if (!centre) throw new Error(`${GRID} has no centre`);
    const hours = (h: number) => new Date(Date.now() - h * 3_600_000);
    // Apart by more than 1 km and in different age buckets: 2 h, 12 h and 3 days old.
    csv = [
      HEADER,
      row(centre, hours(2), 'N', 'h'),
      row([centre[0] + 0.05, centre[1] + 0.03], hours(12)),
      row([centre[0] - 0.06, centre[1] - 0.04], hours(72), '1'),
      row(OUTSIDE, hours(3)),
      `${centre[1]},${centre[0]},331.2,0.39,0.36,2026-02-30,1200,N,VIIRS,n,2.0NRT,290.1,6.5,D`,
    ].join('\n');
  });

  it('uploads a FIRMS file and reports the counts and the bad row by line', async () => {
    w = await browser.openSignedIn('duty');
    page = w.page;
    await page.goto(`${BASE_URL}/hotspots`);
    await page.getByTestId('hotspot-firms-open').click();
    await page
      .getByTestId('hotspot-import-file')
      .setInputFiles({ name: 'fire_nrt_yuxi.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('hotspot-import-run').click();
    await page.getByTestId('hotspot-import-summary').waitFor();
    expect(await page.getByTestId('import-imported').textContent()).toBe('4');
    expect(await page.getByTestId('import-outside').textContent()).toBe('1');
    expect(await page.getByTestId('import-far-away').count()).toBe(0);
    expect(await page.getByTestId('import-duplicates').textContent()).toBe('0');
    const bad = page.getByTestId('hotspot-import-bad').locator('.el-table__row');
    expect(await bad.count()).toBe(1);
    expect(await bad.first().locator('td').first().textContent()).toBe('6');
    await w.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'hotspots-import-desktop.png') });
    await page.getByTestId('hotspot-import').getByRole('button', { name: '关闭', exact: true }).click();
  });

  it('lists them, the outside one marked, and takes the ground check', async () => {
    const rows = page.getByTestId('hotspot-table').locator('.el-table__row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByTestId('hotspot-row-county').allTextContents()).toEqual(expect.arrayContaining(['红塔区', '玉溪市外']));
    await page.screenshot({ path: path.join(ARTIFACTS, 'hotspots-list-desktop.png') });

    await page.getByTestId('hotspot-row-county').filter({ hasText: '红塔区' }).first().click();
    const drawer = page.getByTestId('hotspot-detail');
    await drawer.getByTestId('hotspot-assign').click();
    await drawer.getByTestId('hotspot-check').waitFor();
    await drawer.getByText('农事用火').click();
    await drawer.getByTestId('hotspot-record').click();
    await expect.poll(() => drawer.getByTestId('hotspot-check').textContent()).toContain('农事用火');
    await w.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'hotspots-check-desktop.png') });
  });

  it('puts them on the command map and the map page, coloured by age, with a legend', async () => {
    for (const [route, shot] of [
      ['/command', 'hotspots-command-map-desktop.png'],
      ['/map', 'hotspots-map-page-desktop.png'],
    ] as const) {
      await page.goto(`${BASE_URL}${route}`);
      await waitForMap(page);
      const map = page.locator('[data-testid="map"]').first();
      await expect.poll(async () => Number((await map.getAttribute('data-hotspots')) ?? 0), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
      expect(await page.getByTestId('hotspot-legend').textContent()).toContain('6 小时内');
      await w.settled();
      const png = await page.screenshot({ path: path.join(ARTIFACTS, shot) });
      for (const colour of COLOURS) expect(await shareOfColour(page, png, colour)).toBeGreaterThan(0);
    }
    expect(w.errors).toEqual([]);
  });
});
