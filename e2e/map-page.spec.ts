/**
 * The map page draws with WebGL in the browser: the worker loads, boundaries and sites appear,
 * nothing is fetched from outside, and the console stays clean. The county outlines are fetched
 * for the zoom level and fetched again when the zoom changes.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, distinctColours, useBrowser, waitForMap } from './helpers';

describe('the map page', () => {
  const browser = useBrowser();

  it('renders boundaries and sites with no console errors', async () => {
    // Signed in below: the responses of the sign-in and the landing page count too.
    const w = await browser.open();
    const { page } = w;
    const workerResponses: number[] = [];
    const countyZooms: string[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.includes('maplibre-gl-csp-worker')) workerResponses.push(response.status());
      if (url.pathname === '/api/org/layers/counties') countyZooms.push(url.searchParams.get('zoom') ?? '');
    });

    await browser.signIn(w, 'city');
    await page.getByTestId('menu-map').click();
    await waitForMap(page);
    await page.waitForLoadState('networkidle');

    expect(workerResponses, 'the MapLibre worker was loaded from its own file').toContain(200);
    expect(countyZooms.length).toBeGreaterThan(0);
    expect(
      countyZooms.every((z) => /^\d+$/.test(z)),
      `county requests carry a zoom: ${countyZooms}`,
    ).toBe(true);

    // County names are HTML labels; all nine counties of 玉溪市 are on the map.
    await expect.poll(() => page.locator('.sf-map-label.is-county').count()).toBe(9);
    const canvas = page.locator('[data-testid="map"] canvas').first();
    const box = await canvas.boundingBox();
    expect(box?.width).toBeGreaterThan(400);
    const colours = await distinctColours(page, await canvas.screenshot());
    expect(colours, 'the canvas shows more than its background').toBeGreaterThan(20);
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-city.png') });

    // Zooming in two levels asks for the outlines again at the new zoom.
    await page.waitForLoadState('networkidle');
    const lastZoom = countyZooms.at(-1);
    const before = countyZooms.length;
    await page.locator('.maplibregl-ctrl-zoom-in').click();
    await w.settled();
    await page.locator('.maplibregl-ctrl-zoom-in').click();
    await expect.poll(() => countyZooms.slice(before).filter((z) => z !== lastZoom).length, { timeout: 15_000 }).toBeGreaterThan(0);

    expect(w.errors, 'no console or page errors').toEqual([]);
    expect(w.foreignRequests, 'nothing fetched from other origins').toEqual([]);
  });
});
