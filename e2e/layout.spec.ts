/**
 * The signed-in layout on a phone and on a desktop: a menu that folds or slides in, a header on
 * one line, pages that fit 390 px; the SOS bar that never covers the page's controls; the alerts
 * table beside its fixed actions column; Reset clearing every filter; the header in English; and
 * no console or page errors on the sign-in page or when leaving the command map.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, apiSession, BASE_URL, sendOsmAnd, useBrowser, waitForMap } from './helpers';

const PHONE = { width: 390, height: 844 };
const SOS_DEVICE = 'YX5304020003'; // 张德才's phone, 红塔区
const NEAR_YUXI: [number, number] = [102.5437, 24.3505];

type Alert = { id: string; kind: string; state: string; version: number };

/** How far the page and its content area reach past the window's right edge (0 when they fit). */
function horizontalOverflow(page: Page) {
  return page.evaluate(() => {
    const main = document.querySelector('.sf-layout-main');
    return Math.max(document.documentElement.scrollWidth - window.innerWidth, main ? main.scrollWidth - main.clientWidth : 0);
  });
}

/** Whether the element at the centre of the page form's button with this text is that button (or inside it): nothing covers it. */
async function isUncovered(page: Page, label: string) {
  return page.evaluate((text) => {
    const target = [...document.querySelectorAll('.sf-page .el-form .el-button')].find((b) => b.textContent?.trim() === text);
    if (!target) return false;
    const box = target.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && (hit === target || target.contains(hit));
  }, label);
}

describe('the layout', () => {
  const browser = useBrowser();

  it('shows no error on the sign-in page of a visitor without a session', async () => {
    const w = await browser.open();
    await w.page.goto(`${BASE_URL}/login`);
    await w.page.getByTestId('login-username').waitFor();
    await w.settled();
    expect(w.errors).toEqual([]);
  });

  it('on a phone: the menu is a drawer behind the header button, the header one line, and the field pages fit 390 px', async () => {
    const w = await browser.openSignedIn('hongta', { landing: 'menu-toggle', context: { viewport: PHONE } });
    const { page } = w;
    expect(await page.getByTestId('side-menu').isVisible()).toBe(false);
    await page.getByTestId('menu-toggle').click();
    const drawer = page.getByTestId('menu-drawer');
    await drawer.getByTestId('side-menu').waitFor({ state: 'visible' });
    await drawer.getByTestId('menu-alerts').click();
    await page.getByTestId('alerts-table').waitFor();
    await expect.poll(() => drawer.isVisible()).toBe(false);
    expect(new URL(page.url()).pathname).toBe('/alerts');

    for (const [route, ready] of [
      ['/', 'stat-all'],
      ['/command', 'command-map'],
      ['/map', 'layer-panel'],
      ['/sites', 'site-table'],
      ['/alerts', 'alerts-table'],
    ] as const) {
      await page.goto(`${BASE_URL}${route}`);
      await page.getByTestId(ready).first().waitFor();
      if (route === '/command' || route === '/map') await waitForMap(page);
      else await w.settled();
      expect(await horizontalOverflow(page), route).toBeLessThanOrEqual(0);
      const header = await page
        .locator('.sf-layout-header')
        .evaluate((h) => ({ height: h.clientHeight, content: h.scrollHeight, right: h.getBoundingClientRect().right }));
      expect(header.content, `${route}: the header wraps`).toBeLessThanOrEqual(header.height);
      const user = await page.getByTestId('user-menu').boundingBox();
      expect((user?.x ?? 0) + (user?.width ?? 0), `${route}: the user menu leaves the screen`).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: path.join(ARTIFACTS, `phone${route.replace(/\//g, '-') || '-overview'}.png`) });
    }
    // The map legend starts folded: the map stays visible.
    await page.goto(`${BASE_URL}/map`);
    const legend = await page.getByTestId('layer-panel').boundingBox();
    expect(legend?.height ?? 999).toBeLessThan(60);
    await page.getByTestId('layer-panel').locator('button').first().click();
    await expect.poll(async () => (await page.getByTestId('layer-panel').boundingBox())?.height ?? 0).toBeGreaterThan(200);
    expect(w.errors).toEqual([]);
  });

  it('on a desktop: the side menu folds to its icons and opens again', async () => {
    const w = await browser.openSignedIn('hongta');
    const { page } = w;
    const aside = page.locator('.sf-layout-aside');
    expect((await aside.boundingBox())?.width).toBeGreaterThan(180);
    await page.getByTestId('menu-toggle').click();
    await expect.poll(async () => (await aside.boundingBox())?.width).toBeLessThanOrEqual(65); // 64 px of icons and the border
    await page.getByTestId('menu-toggle').click();
    await expect.poll(async () => (await aside.boundingBox())?.width).toBeGreaterThan(180);
    expect(w.errors).toEqual([]);
  });

  it('shows an SOS in a bar of its own: the query buttons and the alert columns stay uncovered and usable', async () => {
    const w = await browser.openSignedIn('duty');
    const { page } = w;
    await page.getByTestId('menu-alerts').click();
    await page.getByTestId('alerts-table').waitFor();
    await sendOsmAnd(SOS_DEVICE, { lon: NEAR_YUXI[0], lat: NEAR_YUXI[1], at: new Date() }, { alarm: 'sos' });
    const note = page.getByTestId('sos-notification');
    await note.waitFor({ timeout: 20_000 });
    expect(await note.textContent()).toContain('张德才');
    await page.screenshot({ path: path.join(ARTIFACTS, 'alerts-with-sos.png') });

    // The bar sits above the page, not over it.
    const bar = await page.getByTestId('sos-alarm').boundingBox();
    const title = await page.locator('.sf-page-title').boundingBox();
    expect((bar?.y ?? 0) + (bar?.height ?? 0)).toBeLessThanOrEqual(title?.y ?? 0);
    for (const label of ['查询', '重置']) expect(await isUncovered(page, label), label).toBe(true);
    // Every column fits beside the fixed 操作 column: the table does not scroll sideways.
    await expect.poll(() => page.locator('[data-testid="alert-row-state"]').count()).toBeGreaterThan(0);
    const scroll = await page
      .locator('[data-testid="alerts-table"] .el-table__body-wrapper .el-scrollbar__wrap')
      .first()
      .evaluate((e) => e.scrollWidth - e.clientWidth);
    expect(scroll).toBeLessThanOrEqual(0);
    const handling = await page.locator('th:has-text("处理情况")').first().boundingBox();
    const actions = await page.locator('th.el-table-fixed-column--right').first().boundingBox();
    expect((handling?.x ?? 0) + (handling?.width ?? 0)).toBeLessThanOrEqual((actions?.x ?? 0) + 1);

    // 重置 clears every filter, the state too: the next query asks for every alert.
    const kindSelect = page.locator('.el-form-item:has-text("类型") .el-select').first();
    await kindSelect.click();
    const selected = page.waitForRequest((r) => r.url().includes('/api/alerts?') && r.url().includes('kind=sos'));
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'SOS 求救' }).click();
    await selected;
    const asked = page.waitForRequest((r) => r.url().includes('/api/alerts?'));
    await page.locator('.sf-page .el-form .el-button:has-text("重置")').click();
    const query = new URL((await asked).url()).searchParams;
    expect(query.get('state')).toBeNull();
    expect(query.get('kind')).toBeNull();
    expect(await page.getByTestId('alerts-filter-state').locator('input').inputValue()).toBe('');

    // Acknowledged from the bar: it goes.
    await note.getByTestId('sos-notification-acknowledge').click();
    await note.waitFor({ state: 'detached' });
    expect(w.errors).toEqual([]);

    // Leave no open SOS for other specs; the handler shows by name.
    const api = await apiSession('duty');
    const { items } = await api.get<{ items: (Alert & { acknowledgedByName: string | null })[] }>('/api/alerts?state=open&kind=sos');
    expect(items.map((a) => a.acknowledgedByName)).toContain('市森林公安局指挥中心值班员');
    for (const alert of items) await api.post(`/api/alerts/${alert.id}/resolve`, { version: alert.version });
    await page.locator('.sf-page .el-form .el-button', { hasText: '重置' }).click();
    const row = page.locator('.el-table__row', { hasText: '张德才' }).first();
    await expect.poll(() => row.getByTestId('alert-row-handling').textContent()).toContain('市森林公安局指挥中心值班员');
  });

  it('speaks English in the header and the overview when switched to English', async () => {
    const w = await browser.openSignedIn('city');
    const { page } = w;
    await page.getByTestId('locale-en').click();
    await expect.poll(() => page.getByTestId('header-product').textContent()).toBe('SafeForest');
    expect(await page.getByTestId('header-unit').getAttribute('title')).toBe('Scope');
    expect(await page.getByTestId('menu-toggle').getAttribute('aria-label')).toBe('Menu');
    await page.goto(`${BASE_URL}/`);
    await page.getByTestId('stat-all').waitFor();
    expect(await page.locator('.sf-toolbar .sf-muted').first().textContent()).toMatch(/^Scope: /);
    // Names (the unit, the user's display name) stay as they are; the product and labels translate.
    const header = (await page.locator('.sf-layout-header').textContent()) ?? '';
    expect(header).not.toContain('平安林区综合防控平台');
    expect(w.errors).toEqual([]);
  });

  it('leaves the command map without page errors, while it loads and while positions stream in', async () => {
    const w = await browser.open();
    const { page } = w;
    // The positions the live socket delivers (it opens at sign-in), and the fixes sent: what the map and the pages after it live through.
    let positions = 0;
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        if (String(payload).includes('"type":"position"')) positions++;
      }),
    );
    await browser.signIn(w, 'hongta');
    let sent = 0;
    let streaming = true;
    const stream = (async () => {
      for (let i = 0; streaming; i++) {
        const at = new Date(Date.now() - 30_000 + i * 1000);
        await sendOsmAnd('YX5304020004', { lon: NEAR_YUXI[0] + i * 0.0003, lat: NEAR_YUXI[1], at }).then(
          () => sent++,
          () => undefined,
        );
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    try {
      for (let round = 0; round < 2; round++) {
        // Left at once, while the map still loads…
        await page.getByTestId('menu-command').click();
        await page.getByTestId('command-map').waitFor();
        await page.getByTestId('menu-alerts').click();
        await page.getByTestId('alerts-table').waitFor();
        // …and left once it is live.
        await page.getByTestId('menu-command').click();
        await waitForMap(page);
        const seen = positions;
        await expect.poll(() => positions, { timeout: 30_000 }).toBeGreaterThan(seen);
        await page.getByTestId('menu-sites').click();
        await page.getByTestId('site-table').waitFor();
      }
      // Ten more fixes stream in after the map was left.
      const left = sent;
      await expect.poll(() => sent, { timeout: 30_000 }).toBeGreaterThanOrEqual(left + 10);
    } finally {
      streaming = false;
      await stream;
    }
    expect(w.errors).toEqual([]);
  }, 300_000);
});
