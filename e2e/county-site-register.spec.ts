/**
 * A county office (红塔区) sees only its own sites, registers a new one by clicking on the map in
 * the form, and finds it on the map page.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, apiAs, type OrgUnit, type Site, useBrowser, type WatchedPage, waitForMap } from './helpers';

describe('a county office keeps its site register', () => {
  const browser = useBrowser();
  let w: WatchedPage;
  const siteName = `E2E 警务站 ${Date.now().toString(36)}`;

  it('lists only sites inside 红塔区', async () => {
    const api = await apiAs('hongta');
    const me = await api<{ orgUnit: OrgUnit }>('/api/auth/me');
    expect(me.orgUnit.name).toBe('红塔区');
    const { items: units } = await api<{ items: OrgUnit[] }>('/api/org/units');
    const unitById = new Map(units.map((u) => [u.id, u]));
    const { items: sites, total } = await api<{ items: Site[]; total: number }>('/api/sites?pageSize=500');
    expect(total).toBeGreaterThan(0);
    for (const site of sites) {
      const unit = unitById.get(site.orgUnitId);
      expect(unit, `${site.name}: its unit is in hongta's org list`).toBeDefined();
      expect(unit?.path.startsWith(me.orgUnit.path), `${site.name} (${site.orgUnitName}) lies in 红塔区`).toBe(true);
    }
    // The city sees more: the county filter is real, not an empty register.
    const city = await apiAs('city');
    const all = await city<{ total: number }>('/api/sites?pageSize=1');
    expect(all.total).toBeGreaterThan(total);

    w = await browser.openSignedIn('hongta');
    await expect.poll(() => w.page.getByTestId('header-unit').textContent()).toContain('红塔区');
    await w.page.getByTestId('menu-sites').click();
    const rows = w.page.locator('[data-testid="site-table"] .el-table__body tr');
    await rows.first().waitFor();
    const shownUnits = await w.page.getByTestId('site-row-unit').allTextContents();
    expect(shownUnits.length).toBe(Math.min(20, total));
    const hongtaNames = new Set(units.map((u) => u.name));
    for (const name of shownUnits) expect(hongtaNames.has(name.trim()), `${name} is a unit of 红塔区`).toBe(true);
    await expect.poll(() => w.page.locator('.el-pagination__total').textContent()).toContain(String(total));
  });

  it('registers a site by clicking inside 红塔区 on the form map', async () => {
    const { page } = w;
    await page.getByTestId('site-create').click();
    const form = page.locator('.el-dialog').filter({ has: page.getByTestId('map-picker') });
    await form.waitFor();
    await page.getByTestId('site-name').fill(siteName);
    await page.getByTestId('site-kind').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '林区警务站' }).click();
    // The unit defaults to the user's own county; the picker centres on a point inside it.
    await expect.poll(() => page.locator('.el-select[data-testid="site-unit"]').textContent()).toContain('红塔区');
    await page.locator('[data-testid="map-picker"][data-centred="true"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="map-picker"] canvas').click();
    await expect.poll(() => page.getByTestId('site-location').textContent()).toMatch(/^\d+\.\d+, \d+\.\d+$/);
    await page.getByTestId('site-save').click();
    await form.waitFor({ state: 'hidden', timeout: 30_000 });

    const api = await apiAs('hongta');
    const { items } = await api<{ items: Site[] }>(`/api/sites?q=${encodeURIComponent(siteName)}`);
    expect(items.map((s) => s.name)).toEqual([siteName]);
    expect(items[0].kind).toBe('police_post');
    const unit = await api<OrgUnit>(`/api/org/units/${items[0].orgUnitId}`);
    expect(unit.name).toBe('红塔区');
  });

  it('finds the new site on the map page', async () => {
    const { page } = w;
    await page.getByTestId('menu-map').click();
    await waitForMap(page);
    const search = page.getByTestId('map-search');
    await search.fill(siteName.slice(0, 12));
    await page.locator('[data-testid="map-search-item"]', { hasText: siteName }).click();
    const popup = page.getByTestId('site-popup');
    await popup.waitFor({ state: 'visible' });
    expect(await popup.textContent()).toContain(siteName);
    expect(await popup.textContent()).toContain('红塔区');
    await w.settled(); // the tiles of the new view
    await page.screenshot({ path: path.join(ARTIFACTS, 'map.png') });
    expect(w.errors).toEqual([]);
    expect(w.foreignRequests).toEqual([]);
  });
});
