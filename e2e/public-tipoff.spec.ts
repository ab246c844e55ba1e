/**
 * The public tip-off page (群众举报) at a phone's width, without an account: a member of the
 * public reports a fire with a photo and the phone's position, gets a tracking code, and the
 * status lookup shows the progress and the officers' public reply — as text, and nothing else of
 * the tip-off. The duty officer sees it in the tip-off register and answers from there.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, apiAs, apiSession, BASE_URL, type OrgUnit, useBrowser, type WatchedPage } from './helpers';

const GRID = '玉兴街道第1网格';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
/** A 2×2 PNG: the server reads the type from these bytes. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);
const DESCRIPTION = '山坡上有浓烟，火势向东蔓延，附近有村民在用火烧荒。';
const REPLY = '已派护林员前往核查 <b>请勿靠近</b>';

type TipoffSummary = { id: string; incidentId: string; category: string; photoCount: number; anonymous: boolean; description: string };

describe('the public tip-off page', () => {
  const browser = useBrowser();
  let w: WatchedPage;
  let page: Page;
  let centre: [number, number];
  let code = '';
  let duty: Awaited<ReturnType<typeof apiSession>>;

  beforeAll(async () => {
    const hongta = await apiAs('hongta');
    const { items } = await hongta<{ items: OrgUnit[] }>(`/api/org/units?q=${encodeURIComponent(GRID)}`);
    const grid = items.find((u) => u.name === GRID);
    if (!grid?.center) throw new Error(`${GRID} has no centre`);
    centre = grid.center;
    duty = await apiSession('duty');
  });

  it('opens without an account, on its own phone layout', async () => {
    w = await browser.open({
      context: { ...PHONE, geolocation: { latitude: centre[1], longitude: centre[0], accuracy: 10 }, permissions: ['geolocation'] },
      // Not signed in: the session check answers 401, which the page expects.
      expectedConsoleError: (text) => text.includes('status of 401'),
    });
    page = w.page;
    await page.goto(`${BASE_URL}/report`);
    await page.getByTestId('tipoff-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/report');
    expect(await page.getByTestId('side-menu').count()).toBe(0);
    await page.locator('[data-testid="map-picker"][data-centred="true"]').waitFor({ state: 'attached' });
    await w.settled();
    // Nothing but the page itself fits the phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(ARTIFACTS, 'public-tipoff-form-phone.png'), fullPage: true });
  });

  it('checks what is missing and the photos before sending', async () => {
    await page.getByTestId('tipoff-submit').click();
    await expect
      .poll(() => page.locator('.el-form-item__error').allTextContents())
      .toEqual(expect.arrayContaining(['请选择举报类别', '请填写情况描述', '请在地图上选择位置或使用我的位置']));
    // A file that is not a picture is refused before upload, with its name.
    await page
      .getByTestId('tipoff-photo-input')
      .setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
    await expect.poll(() => page.locator('.el-message').last().textContent()).toContain('“说明.txt”不是 JPEG、PNG 或 WebP 图片');
    expect(await page.getByTestId('tipoff-photo-preview').count()).toBe(0);
  });

  it('sends a report with a photo and the phone’s position, and answers a tracking code', async () => {
    await page.getByTestId('tipoff-category-forest_fire').click();
    await page.getByTestId('tipoff-description').fill(DESCRIPTION);
    await page.getByTestId('tipoff-locate').click();
    await expect.poll(() => page.getByTestId('tipoff-point').textContent()).toContain(centre[0].toFixed(4).slice(0, 6));
    await page.getByTestId('tipoff-place-text').fill('玉兴街道后山');
    // The marks of the refused attempt went as each field was put right.
    await expect.poll(() => page.locator('.el-form-item__error').count()).toBe(0);
    await page.getByTestId('tipoff-photo-input').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.getByTestId('tipoff-photo-preview').count()).toBe(1);
    expect(await page.getByTestId('tipoff-anonymous').locator('input').isChecked()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'public-tipoff-filled-phone.png'), fullPage: true });

    const sent = page.waitForResponse((r) => r.url().endsWith('/api/public/tipoffs') && r.request().method() === 'POST');
    await page.getByTestId('tipoff-submit').click();
    const response = await sent;
    expect(response.status()).toBe(201);
    expect(response.request().headers()['content-type']).toMatch(/^multipart\/form-data/);
    await page.getByTestId('tipoff-done').waitFor();
    code = (await page.getByTestId('tipoff-code').getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect((await page.getByTestId('tipoff-code').textContent())?.replace(/\s/g, '')).toBe(code);
    await w.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'public-tipoff-code-phone.png'), fullPage: true });
  });

  it('became a tip-off with its photo and an incident, for the officers', async () => {
    const { items } = await duty.get<{ items: TipoffSummary[] }>(`/api/tipoffs?trackingCode=${code}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ category: 'forest_fire', photoCount: 1, anonymous: true, description: DESCRIPTION });
    const incident = await duty.get<{ source: string; category: string }>(`/api/incidents/${items[0].incidentId}`);
    expect(incident).toMatchObject({ source: 'tipoff', category: 'forest_fire' });
  });

  it('the duty officer answers the reporter from the tip-off register', async () => {
    const officer = await browser.openSignedIn('duty');
    await officer.page.goto(`${BASE_URL}/tipoffs`);
    await officer.page.getByTestId('tipoff-filter-code').fill(code);
    await officer.page.getByTestId('tipoff-filter-code').press('Enter');
    const row = officer.page.getByTestId('tipoff-table').locator('.el-table__row');
    await expect.poll(() => row.count()).toBe(1);
    await row.first().click();
    await officer.page.getByTestId('tipoff-detail').getByText(DESCRIPTION).waitFor();
    await officer.page.getByTestId('tipoff-reply-text').fill(REPLY);
    await officer.page.getByTestId('tipoff-reply-send').click();
    await officer.page.getByTestId('tipoff-detail-replies').getByText(REPLY).waitFor();
    await officer.settled();
    await officer.page.screenshot({ path: path.join(ARTIFACTS, 'tipoff-register-desktop.png') });
    expect(officer.errors).toEqual([]);
  });

  it('shows the progress and the public reply for the code, as text, and nothing else', async () => {
    const answered = page.waitForResponse((r) => r.url().includes('/api/public/tipoffs/') && r.request().method() === 'GET');
    await page.getByTestId('tipoff-lookup-mine').click();
    const body = (await (await answered).json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['replies', 'status']);
    expect(JSON.stringify(body)).not.toContain(DESCRIPTION);
    await page.getByTestId('tipoff-status-result').waitFor();
    expect(await page.getByTestId('tipoff-status-value').getAttribute('data-status')).toBe('received');
    expect(await page.getByTestId('tipoff-status-value').textContent()).toContain('已受理');
    const replies = page.getByTestId('tipoff-replies');
    expect(await replies.textContent()).toContain(REPLY);
    expect(await replies.locator('b').count()).toBe(0);
    // The page shows nothing of the report itself: not the description, place or incident.
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toContain(DESCRIPTION);
    expect(text).not.toContain('玉兴街道后山');
    expect(text).not.toMatch(/JQ\d{8}/);
    // The code is not left in the address.
    expect(page.url()).not.toContain(code);
    await w.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'public-tipoff-status-phone.png'), fullPage: true });
  });

  it('an unknown code is not found, a malformed one is refused before asking', async () => {
    await page.getByTestId('tipoff-status-code').fill('ABCDE-FGHJK');
    await page.getByTestId('tipoff-status-lookup').click();
    await page.getByTestId('tipoff-status-missing').waitFor();
    await page.getByTestId('tipoff-status-code').fill('123');
    await page.getByTestId('tipoff-status-lookup').click();
    await expect.poll(() => page.getByTestId('tipoff-status-failed').textContent()).toContain('查询码为 10 位字母和数字');
    await page.screenshot({ path: path.join(ARTIFACTS, 'public-tipoff-status-invalid-phone.png'), fullPage: true });
    expect(w.errors.filter((e) => !e.includes('404'))).toEqual([]);
    expect(w.foreignRequests).toEqual([]);
  });
});
