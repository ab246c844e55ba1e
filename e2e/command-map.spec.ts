/**
 * The command map follows the ranger network live: a phone running Traccar Client (the OsmAnd
 * protocol) reports, and the county office sees the device appear and move. An SOS from it
 * flashes on every officer's map and in the alert panel; the duty officer acknowledges and
 * resolves it there. The ranger's day then replays with a moving marker.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDeviceKey } from '../server/src/seed/rangers';
import { ARTIFACTS, apiAs, apiSession, type OrgUnit, sendOsmAnd, shanghaiDate, useBrowser, type WatchedPage, waitForMap } from './helpers';

const DEVICE = 'YX5304020001';
const GRID = '玉兴街道第1网格';

type Alert = { id: string; kind: string; state: string; rangerId: string | null; acknowledgedBy: string | null; raisedAt: string };

/** The position the ranger card shows, as the UI writes it. */
const shown = ([lon, lat]: [number, number]) => `${lon.toFixed(6)}, ${lat.toFixed(6)}`;

async function openCommandMap(page: Page) {
  await page.getByTestId('menu-command').click();
  await waitForMap(page);
}

describe('the command map', () => {
  const browser = useBrowser();
  let county: WatchedPage;
  let duty: WatchedPage;
  let centre: [number, number];
  let rangerId: string;
  const start = Date.now();
  // Two fixes a minute apart inside the grid, the second about 90 m east of the first. They must be
  // the phone's newest (a late fix never moves the live position back), and the ranger page's spec
  // reports as the same phone: they come after whatever it last reported.
  let first: [number, number];
  let second: [number, number];
  let firstAt: Date;
  let secondAt: Date;

  beforeAll(async () => {
    const hongta = await apiAs('hongta');
    const { items } = await hongta<{ items: OrgUnit[] }>(`/api/org/units?q=${encodeURIComponent(GRID)}`);
    const grid = items.find((u) => u.name === GRID);
    if (!grid?.center) throw new Error(`${GRID} has no centre`);
    centre = grid.center;
    first = [Number((centre[0] - 0.0005).toFixed(6)), Number(centre[1].toFixed(6))];
    second = [Number((centre[0] + 0.0004).toFixed(6)), Number((centre[1] + 0.0002).toFixed(6))];
    const { items: devices } = await hongta<{ items: { uniqueId: string; rangerId: string | null }[] }>(`/api/devices?q=${DEVICE}`);
    rangerId = devices.find((d) => d.uniqueId === DEVICE)?.rangerId ?? '';
    const live = await hongta<{ items: { uniqueId: string; fixTime: string }[] }>('/api/positions/live');
    const lastReported = Date.parse(live.items.find((d) => d.uniqueId === DEVICE)?.fixTime ?? '') || 0;
    const base = Math.max(start, lastReported + 125_000);
    firstAt = new Date(base - 120_000);
    secondAt = new Date(base - 60_000);
    expect(rangerId, `${DEVICE} is carried by a ranger`).not.toBe('');
  });
  afterAll(async () => {
    // Whatever happened above, no SOS of this spec stays open on the officers' screens of the next specs.
    const api = await apiSession('duty');
    const { items } = await api.get<{ items: Alert[] }>('/api/alerts?state=open&kind=sos');
    for (const alert of items.filter((a) => a.rangerId === rangerId)) await api.post(`/api/alerts/${alert.id}/resolve`, { note: 'E2E' });
  });

  it('shows a device appear and move as its phone reports (county office 红塔区)', async () => {
    county = await browser.openSignedIn('hongta');
    const { page } = county;
    await openCommandMap(page);
    const map = page.locator('[data-testid="map"][data-ready="true"]');
    const before = Number((await map.getAttribute('data-devices')) ?? '0');
    const hongta = await apiAs('hongta');
    const known = (await hongta<{ items: { uniqueId: string }[] }>('/api/positions/live')).items.some((d) => d.uniqueId === DEVICE);

    await sendOsmAnd(DEVICE, { lon: first[0], lat: first[1], at: firstAt }, { key: demoDeviceKey(DEVICE), batt: '87' });
    // A device that never reported appears through the live socket and the next batched redraw.
    if (!known) await expect.poll(async () => Number(await map.getAttribute('data-devices'))).toBe(before + 1);

    await page.getByTestId('device-search').fill(DEVICE);
    await page.getByTestId('device-search-item').first().click();
    const card = page.getByTestId('ranger-card');
    await card.waitFor();
    await expect.poll(() => page.getByTestId('ranger-card-position').textContent()).toBe(shown(first));
    expect(await card.textContent()).toContain('87%');
    // The list is read again for a device that appeared live: the card names its ranger.
    await expect.poll(() => page.getByTestId('ranger-card-name').textContent(), { timeout: 30_000 }).toBe('李建华');
    expect(await card.textContent()).toContain(GRID);

    await sendOsmAnd(DEVICE, { lon: second[0], lat: second[1], at: secondAt }, { key: demoDeviceKey(DEVICE), batt: '86' });
    await expect.poll(() => page.getByTestId('ranger-card-position').textContent()).toBe(shown(second));
    expect(Number(await page.getByTestId('state-count-total').textContent())).toBeGreaterThan(0);

    // Today's track is drawn from the two fixes.
    await page.getByTestId('ranger-card-track').click();
    await expect.poll(() => page.getByTestId('ranger-card-track').textContent()).toContain('隐藏轨迹');
    await county.settled(); // the tiles of the track's view
    await page.screenshot({ path: path.join(ARTIFACTS, 'command-map.png') });
    expect(county.errors).toEqual([]);
    expect(county.foreignRequests).toEqual([]);
  });

  it('raises an SOS that nobody can miss, and the duty officer acknowledges and resolves it', async () => {
    duty = await browser.openSignedIn('duty');
    await openCommandMap(duty.page);

    const sosAt = new Date(Math.max(Date.now(), secondAt.getTime() + 1_000));
    await sendOsmAnd(DEVICE, { lon: second[0], lat: second[1], at: sosAt }, { key: demoDeviceKey(DEVICE), alarm: 'sos', batt: '85' });

    // Both officers see the red banner over the map; the duty officer's panel lists it.
    for (const page of [duty.page, county.page]) {
      await page.getByTestId('sos-banner').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('sos-banner').textContent()).toContain('李建华');
      // On the command map the layout's SOS bar gives way to the map's own banner.
      expect(await page.getByTestId('sos-notification').count()).toBe(0);
      await expect.poll(() => page.getByTestId('state-count-sos').textContent()).toBe('1');
    }
    const item = duty.page.locator('[data-testid="alert-item"][data-kind="sos"]', { hasText: '李建华' });
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('new');
    // The SOS is first in the panel, and the map flew to it (the ranger's card is open).
    expect(await duty.page.getByTestId('alert-item').first().getAttribute('data-kind')).toBe('sos');
    await expect.poll(() => duty.page.getByTestId('ranger-card-name').textContent()).toBe('李建华');
    await duty.page.screenshot({ path: path.join(ARTIFACTS, 'command-map-sos.png') });
    // The county office may read alerts but not act on them.
    expect(await county.page.getByTestId('alert-acknowledge').count()).toBe(0);

    await item.getByTestId('alert-acknowledge').click();
    await expect.poll(() => item.getAttribute('data-state')).toBe('acknowledged');
    const api = await apiSession('duty');
    const alertId = (await item.getAttribute('data-alert-id')) ?? '';
    const acknowledged = await api.get<Alert>(`/api/alerts/${alertId}`);
    expect(acknowledged.kind).toBe('sos');
    expect(acknowledged.rangerId).toBe(rangerId);
    expect(acknowledged.state).toBe('acknowledged');
    expect(acknowledged.acknowledgedBy).toBe('duty');
    // Taken on: the banner goes, on the county office's screen too.
    for (const page of [duty.page, county.page]) {
      await page.getByTestId('sos-banner').waitFor({ state: 'detached' });
    }

    await item.getByTestId('alert-resolve').click();
    const prompt = duty.page.locator('.el-message-box');
    await prompt.locator('input').fill('已电话联系，护林员安全');
    await prompt.locator('.el-button--primary').click();
    await item.waitFor({ state: 'detached' });
    const resolved = await api.get<Alert & { note: string | null }>(`/api/alerts/${alertId}`);
    expect(resolved.state).toBe('resolved');
    expect(resolved.note).toBe('已电话联系，护林员安全');
    // The device is no longer drawn as SOS once its alert is resolved.
    await expect.poll(() => duty.page.getByTestId('state-count-sos').textContent()).toBe('0');
    expect(duty.errors).toEqual([]);
    expect(county.errors).toEqual([]);
  });

  it('replays the ranger’s day with a marker that follows the slider', async () => {
    const { page } = county;
    await page.getByTestId('ranger-card-replay').click();
    await page.getByTestId('replay').waitFor();
    await waitForMap(page);
    // The day of the fixes (the same as today unless the spec ran across midnight in China).
    const day = shanghaiDate(firstAt);
    if (new URL(page.url()).searchParams.get('date') !== day) {
      await page.goto(`${page.url().split('?')[0]}?rangerId=${rangerId}&date=${day}`);
      await waitForMap(page);
    }
    const panel = page.getByTestId('replay-panel');
    await expect.poll(async () => Number(await panel.getAttribute('data-fixes'))).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator('.sf-replay-top').textContent()).toContain('李建华');

    // At the start the marker stands on the day's first fix: this spec's first, or an earlier one
    // the ranger page's spec reported as the same phone.
    const track = await (await apiAs('hongta'))<{ geometry: { type: string; coordinates: unknown } }>(
      `/api/rangers/${rangerId}/track?date=${day}`,
    );
    const { type, coordinates } = track.geometry;
    const dayStart = (
      type === 'Point' ? coordinates : type === 'LineString' ? (coordinates as unknown[])[0] : (coordinates as unknown[][])[0][0]
    ) as [number, number];
    await expect.poll(() => page.getByTestId('replay-position').textContent()).toBe(shown(dayStart));
    const startTime = await page.getByTestId('replay-time').textContent();

    // Dragging the slider to the end moves the marker to the last fix, and the time with it.
    const slider = page.locator('[data-testid="replay-slider"] .el-slider__runway');
    const box = await slider.boundingBox();
    if (!box) throw new Error('the slider is not visible');
    await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
    // A map redraw on a busy machine takes more than the default second.
    await expect.poll(() => page.getByTestId('replay-position').textContent(), { timeout: 10_000 }).toBe(shown(second));
    expect(await page.getByTestId('replay-time').textContent()).not.toBe(startTime);

    // Half-way between the two fixes in time the marker is between them in space. The slider spans
    // the whole day, which may begin with fixes the ranger page's spec reported as the same phone.
    const dayFrom = Number(await panel.getAttribute('data-start'));
    const dayTo = Number(await panel.getAttribute('data-end'));
    const halfway = (firstAt.getTime() + secondAt.getTime()) / 2;
    await page.mouse.click(box.x + (box.width * (halfway - dayFrom)) / (dayTo - dayFrom), box.y + box.height / 2);
    await expect
      .poll(
        async () => {
          const text = (await page.getByTestId('replay-position').textContent()) ?? '';
          const lon = Number(text.split(',')[0]);
          return lon > first[0] && lon < second[0];
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(await page.getByTestId('replay-speed-value').textContent()).toMatch(/km\/h/);
    await county.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'replay.png') });

    // Play runs the marker on to the end.
    await page.getByTestId('replay-play').click();
    await expect.poll(() => page.getByTestId('replay-position').textContent(), { timeout: 30_000 }).toBe(shown(second));
    expect(county.errors).toEqual([]);
  });
});
