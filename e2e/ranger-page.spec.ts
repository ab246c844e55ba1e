/**
 * The ranger's phone page, with the browser's geolocation standing in for the phone's GPS: a
 * ranger signs in and lands on it, starts a patrol, the page reports positions, keeps them while
 * the network is gone and sends them when it returns, checks in at a point, and sends an SOS
 * that reaches the command centre.
 */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, apiAs, apiSession, BASE_URL, type OrgUnit, useBrowser, type WatchedPage } from './helpers';

const GRID = '玉兴街道第1网格';
const RANGER1_PHONE = 'YX5304020001'; // the demo phone of ranger1's ranger, which the ranger page reports as

type Position = { fixTime: string; lon: number; lat: number };
type Alert = { id: string; kind: string; state: string; rangerId: string | null; raisedAt: string; lon: number | null; lat: number | null };

describe('the ranger page', () => {
  const browser = useBrowser();
  let w: WatchedPage;
  let context: BrowserContext;
  let page: Page;
  let centre: [number, number];
  let rangerId: string;
  let hongta: Awaited<ReturnType<typeof apiAs>>;
  const start = new Date();

  /** The fixes the page has sent since the spec started: it reports as the ranger's registered phone. */
  async function webFixes(): Promise<Position[]> {
    const from = new Date(start.getTime() - 1_000).toISOString();
    return (await hongta<{ items: Position[] }>(`/api/positions?uniqueId=${RANGER1_PHONE}&from=${from}`)).items;
  }

  const buffered = async () => Number(await page.getByTestId('buffered-count').getAttribute('data-count'));
  const confirmDialog = () => page.locator('.el-message-box').last();

  beforeAll(async () => {
    hongta = await apiAs('hongta');
    const { items } = await hongta<{ items: OrgUnit[] }>(`/api/org/units?q=${encodeURIComponent(GRID)}`);
    const grid = items.find((u) => u.name === GRID);
    if (!grid?.center) throw new Error(`${GRID} has no centre`);
    centre = grid.center;
    rangerId = await (await apiAs('ranger1'))<{ id: string }>('/api/rangers/me').then((r) => r.id);
  });

  it('lands a ranger on the phone page, which is installable', async () => {
    w = await browser.openSignedIn('ranger1', {
      landing: 'ranger-page',
      context: {
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        geolocation: { latitude: centre[1], longitude: centre[0], accuracy: 8 },
        permissions: ['geolocation'],
      },
      // Report every 2 s instead of 30 s, so the spec does not wait minutes.
      initScript: () => localStorage.setItem('safeforest.ranger.intervalSeconds', '2'),
      // Expected: the 401 before sign-in, and requests the browser refuses while it is offline.
      expectedConsoleError: (text, page) =>
        (text.includes('status of 401') && new URL(page.url()).pathname === '/login') || text.includes('ERR_INTERNET_DISCONNECTED'),
    });
    ({ context, page } = w);
    expect(new URL(page.url()).pathname).toBe('/ranger');
    expect(await page.getByTestId('side-menu').count()).toBe(0);
    await expect.poll(() => page.locator('.sf-ranger-who').textContent()).toContain('李建华');

    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = (await (await fetch(`${BASE_URL}${manifestHref}`)).json()) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: '平安林区护林员', display: 'standalone', start_url: '/ranger' });
    for (const icon of manifest.icons as { src: string }[]) expect((await fetch(`${BASE_URL}${icon.src}`)).status).toBe(200);
  });

  it('starts a patrol and reports the phone’s position', async () => {
    const ranger = page.getByTestId('ranger-page');
    await expect.poll(() => ranger.getAttribute('data-patrol')).not.toBe('loading');
    // A patrol the movement analyzer opened from the earlier specs' fixes is ended first.
    if ((await ranger.getAttribute('data-patrol')) === 'active') {
      await page.getByTestId('patrol-end').click();
      await confirmDialog().locator('.el-button--primary').click();
      await expect.poll(() => ranger.getAttribute('data-patrol')).toBe('none');
    }
    await page.getByTestId('patrol-start').click();
    await expect.poll(() => ranger.getAttribute('data-patrol')).toBe('active');
    const me = await apiSession('ranger1');
    const current = await me.get<{ patrol: { id: string; active: boolean; openedBy: string } | null }>('/api/patrols/current');
    expect(current.patrol).toMatchObject({ active: true, openedBy: 'ranger' });

    // Fixes arrive at the server as the ranger's browser device, at the emulated position.
    await expect.poll(async () => (await webFixes()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const [fix] = await webFixes();
    expect(fix.lon).toBeCloseTo(centre[0], 5);
    expect(fix.lat).toBeCloseTo(centre[1], 5);
    await expect.poll(() => page.getByTestId('last-sent').getAttribute('data-at')).not.toBe('');

    // Walking 100 m north shows on the phone's distance.
    await context.setGeolocation({ latitude: centre[1] + 0.0009, longitude: centre[0], accuracy: 8 });
    await expect.poll(() => page.getByTestId('patrol-distance').textContent(), { timeout: 20_000 }).toMatch(/^(9\d|1\d\d) m$/);
    expect(await page.getByTestId('connection-state').getAttribute('data-state')).toBe('online');
  });

  it('keeps fixes while offline and sends them in order when the network returns', async () => {
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('offline');
    await expect.poll(buffered, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    // The queue is kept on the phone (localStorage), oldest first.
    const queued = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('safeforest.ranger.queue.'));
      return JSON.parse((key && localStorage.getItem(key)) || '[]') as { fixTime: string }[];
    });
    expect(queued.length).toBeGreaterThanOrEqual(3);
    const queuedTimes = queued.map((f) => Date.parse(f.fixTime));
    expect([...queuedTimes].sort((a, b) => a - b)).toEqual(queuedTimes);
    await page.screenshot({ path: path.join(ARTIFACTS, 'ranger-offline.png') });

    await context.setOffline(false);
    await expect.poll(buffered, { timeout: 30_000 }).toBe(0);
    expect(await page.getByTestId('connection-state').getAttribute('data-state')).toBe('online');
    // Every fix taken offline reached the server.
    const stored = new Set((await webFixes()).map((p) => Date.parse(p.fixTime)));
    for (const time of queuedTimes) expect(stored.has(time), `fix of ${new Date(time).toISOString()} stored`).toBe(true);
  });

  it('checks in at a point within its radius', async () => {
    // The county office places a point at the grid's centre, and the ranger walks back there.
    const office = await apiSession('hongta');
    const { items } = await hongta<{ items: OrgUnit[] }>(`/api/org/units?q=${encodeURIComponent(GRID)}`);
    const here: [number, number] = [Number(centre[0].toFixed(6)), Number(centre[1].toFixed(6))];
    await context.setGeolocation({ latitude: here[1], longitude: here[0], accuracy: 8 });
    const pointName = `E2E 打卡点 ${Date.now().toString(36)}`;
    await office.post('/api/checkin-points', {
      name: pointName,
      orgUnitId: items[0].id,
      location: { type: 'Point', coordinates: here },
      radiusM: 100,
    });

    await page.getByTestId('open-checkin').click();
    const point = page.locator('[data-testid="checkin-point"]', { hasText: pointName });
    await point.waitFor();
    await expect.poll(() => point.getByTestId('checkin-submit').isEnabled()).toBe(true);
    await point.getByTestId('checkin-submit').click();
    await page.locator('.el-message--success', { hasText: pointName }).waitFor();
    const me = await apiSession('ranger1');
    const current = await me.get<{ patrol: { checkins: { pointName: string }[] } }>('/api/patrols/current');
    expect(current.patrol.checkins.map((c) => c.pointName)).toContain(pointName);
  });

  it('reports a fire hazard with a photo at the current position', async () => {
    await page.getByTestId('open-report').click();
    await page.getByTestId('report-kind-fire_hazard').click();
    const note = `E2E 路边有人烧荒 ${Date.now().toString(36)}`;
    await page.getByTestId('report-note').fill(note);
    // The camera's photo: any small PNG does.
    await page.getByTestId('report-photo').setInputFiles(path.resolve(ARTIFACTS, '../../web/public/icons/ranger-192.png'));
    await page.locator('.sf-photo img').waitFor();
    await page.getByTestId('report-submit').click();
    await page.locator('.el-message--success', { hasText: '事件已上报' }).waitFor();

    type Report = {
      kind: string;
      note: string | null;
      photoFileId: string | null;
      rangerId: string;
      location: { coordinates: [number, number] };
    };
    const { items } = await hongta<{ items: Report[] }>('/api/field-reports?kind=fire_hazard&pageSize=50');
    const report = items.find((r) => r.note === note);
    expect(report, 'the report reached the county office').toBeDefined();
    expect(report?.rangerId).toBe(rangerId);
    expect(report?.photoFileId).toMatch(/^[0-9a-f-]{36}$/);
    expect(report?.location.coordinates[0]).toBeCloseTo(centre[0], 4);
  });

  it('sends an SOS after a confirmation, and the command centre has it', async () => {
    await page.getByTestId('sos-button').click();
    await confirmDialog().waitFor();
    expect(await confirmDialog().textContent()).toContain('SOS');
    await w.settled(); // the dialog's fade-in, for the screenshot only
    await page.screenshot({ path: path.join(ARTIFACTS, 'ranger-sos-confirm.png') });
    await confirmDialog().locator('.el-button--danger').click();
    await page.locator('.el-message-box', { hasText: 'SOS 已发送' }).waitFor();
    await page.locator('.el-message-box', { hasText: 'SOS 已发送' }).locator('.el-button--primary').click();

    const duty = await apiSession('duty');
    const { items } = await duty.get<{ items: Alert[] }>('/api/alerts?state=open&kind=sos');
    const sos = items.find((a) => a.rangerId === rangerId && Date.parse(a.raisedAt) >= start.getTime() - 5_000);
    expect(sos, 'an open SOS of the ranger').toBeDefined();
    expect(sos?.lon).toBeCloseTo(centre[0], 4);
    // Resolved again, so the alarm does not stay on the officers' screens for the specs after this one.
    await duty.post(`/api/alerts/${sos?.id}/resolve`, { note: 'E2E' });

    await page.locator('.el-message-box').waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'ranger-page.png') });
    await page.getByTestId('patrol-end').click();
    await confirmDialog().locator('.el-button--primary').click();
    await expect.poll(() => page.getByTestId('ranger-page').getAttribute('data-patrol')).toBe('none');
    expect(w.errors).toEqual([]);
  });
});
