/**
 * The two prevention circles: 峨山县's office opens the circles page, which shows its county ring
 * on the map with the gaps in red, their lengths and the ring's coverage, and the county rings
 * compared in a chart; it records its idle mobile checkpoint's deployment at the longest gap,
 * and the coverage shown rises (the server's figure and the page's agree); it ends the deployment
 * from the deployments card and the coverage falls back.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, apiAs, BASE_URL, shareOfColour, useBrowser, type WatchedPage, waitForMap } from './helpers';

type Circle = {
  id: number;
  level: string;
  unitCode: string;
  coveragePercent: number;
  members: { siteId: string; kind: string; active: boolean; name: string }[];
  membersElsewhere: { total: number };
  gaps: { features: { properties: { lengthM: number } }[] };
};
const GAP_RED: [number, number, number] = [0xdc, 0x26, 0x26];

describe('prevention circles', () => {
  const browser = useBrowser();
  let w: WatchedPage;
  let page: Page;
  let ring: Circle;

  beforeAll(async () => {
    const eshan = await apiAs('eshan');
    const { items } = await eshan<{ items: Circle[] }>('/api/circles');
    expect(items.map((c) => c.unitCode).sort()).toEqual(['530400', '530426']);
    ring = items.find((c) => c.unitCode === '530426') as Circle;
    // The demo data leaves 峨山's mobile checkpoint idle and its ring with gaps.
    expect(ring.members.some((m) => m.kind === 'mobile_checkpoint' && !m.active)).toBe(true);
    expect(ring.gaps.features.length).toBeGreaterThan(0);
  });

  it('shows the county ring with its gaps in red, their lengths and its coverage', async () => {
    w = await browser.openSignedIn('eshan');
    page = w.page;
    await page.goto(`${BASE_URL}/circles`);
    await waitForMap(page);
    const summary = page.getByTestId('circle-summary');
    await expect.poll(() => summary.getAttribute('data-circle')).toBe(String(ring.id));
    expect(await page.getByTestId('circle-coverage').textContent()).toBe(`${ring.coveragePercent}%`);
    const gaps = page.getByTestId('circle-gap');
    expect(await gaps.count()).toBe(Math.min(12, ring.gaps.features.length));
    const longest = (ring.gaps.features[0].properties.lengthM / 1000).toFixed(1);
    expect(await gaps.first().textContent()).toContain(`${longest} 公里`);
    expect(await page.getByTestId('circle-member').count()).toBe(ring.members.length);
    expect(await page.locator('[data-testid="circle-member"][data-active="false"]').count()).toBeGreaterThan(0);
    await w.settled();
    const shot = await page.getByTestId('map').screenshot();
    expect(await shareOfColour(page, shot, GAP_RED)).toBeGreaterThan(0.001);
    await page.screenshot({ path: path.join(ARTIFACTS, 'circles-desktop.png'), fullPage: true });
  });

  it('recording the idle mobile checkpoint at the longest gap raises the coverage shown', async () => {
    const before = ring.coveragePercent;
    await page.getByTestId('gap-deploy').first().click();
    const dialog = page.getByTestId('deployment-dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.getByTestId('deployment-location').textContent()).toMatch(/\d+\.\d+/);
    // The idle mobile member is chosen for the gap.
    const idle = ring.members.find((m) => m.kind === 'mobile_checkpoint' && !m.active)?.name ?? '';
    await expect.poll(() => dialog.getByTestId('deployment-site').textContent()).toContain(idle);
    await dialog.getByTestId('deployment-save').click();
    await dialog.waitFor({ state: 'hidden' });
    const eshan = await apiAs('eshan');
    const after = await eshan<Circle>(`/api/circles/${ring.id}`);
    expect(after.coveragePercent).toBeGreaterThan(before);
    expect(after.members.filter((m) => m.active).length).toBe(ring.members.filter((m) => m.active).length + 1);
    await expect.poll(() => page.getByTestId('circle-coverage').textContent()).toBe(`${after.coveragePercent}%`);
    expect(w.errors).toEqual([]);
    expect(w.foreignRequests).toEqual([]);
    await w.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'circles-deployed-desktop.png'), fullPage: true });
  });

  it('lists the deployment under way, and ending it there takes the coverage back down', async () => {
    const idle = ring.members.find((m) => m.kind === 'mobile_checkpoint' && !m.active)?.name ?? '';
    const row = page.locator('[data-testid="deployment"][data-status="under_way"]', { hasText: idle });
    await row.waitFor();
    await row.getByTestId('deployment-end').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(() => page.getByTestId('circle-coverage').textContent(), { timeout: 15_000 }).toBe(`${ring.coveragePercent}%`);
    await page.locator('[data-testid="deployment"][data-status="ended"]', { hasText: idle }).first().waitFor();
    const after = await (await apiAs('eshan'))<Circle>(`/api/circles/${ring.id}`);
    expect(after.coveragePercent).toBe(ring.coveragePercent);
    expect(w.errors).toEqual([]);
  });

  it('shows the city the county rings compared in a chart, on a phone and in English', async () => {
    const phone = await browser.openSignedIn('city', {
      locale: 'en-US',
      landing: 'menu-toggle',
      context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
      initScript: () => localStorage.setItem('safeforest.locale', 'en-US'),
    });
    await phone.page.goto(`${BASE_URL}/circles`);
    await waitForMap(phone.page);
    expect(await phone.page.getByTestId('circle-gaps').textContent()).toContain('km');
    await phone.page.getByTestId('circle-coverage-chart').locator('canvas').first().waitFor();
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await phone.settled();
    await phone.page.screenshot({ path: path.join(ARTIFACTS, 'circles-phone-en.png'), fullPage: true });
    expect(phone.errors).toEqual([]);
  });
});
