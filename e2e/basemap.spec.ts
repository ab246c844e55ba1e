/**
 * An office without internet uploads an offline basemap of its area: the administrator uploads a
 * small MBTiles package (made here: one solid colour over Yuxi) on the 底图设置 page, chooses it,
 * and the command map requests its tiles from SafeForest and draws them under its layers —
 * instead of the blank plane it showed before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng, tilesCovering, writeMbtiles } from '../server/test/tile-packages';
import { ARTIFACTS, BASE_URL, DEMO_PASSWORD, launchBrowser, openPage, signIn, type WatchedPage, waitForMap } from './helpers';

/** A colour no layer of the map uses, so its pixels can only come from the basemap. */
const TILE_COLOUR: [number, number, number] = [186, 52, 158];
const YUXI: [number, number, number, number] = [100.9, 23.0, 103.5, 25.3];

/** The share of a PNG screenshot's pixels within a small distance of `colour` (decoded by the browser). */
async function shareOfColour(page: Page, png: Buffer, colour: [number, number, number]): Promise<number> {
  return page.evaluate(
    async ({ base64, rgb }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const ctx = canvas.getContext('2d');
      if (!ctx) return 0;
      ctx.drawImage(image, 0, 0);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let near = 0;
      let all = 0;
      for (let i = 0; i < data.length; i += 16) {
        all++;
        if (Math.abs(data[i] - rgb[0]) + Math.abs(data[i + 1] - rgb[1]) + Math.abs(data[i + 2] - rgb[2]) < 60) near++;
      }
      return near / all;
    },
    { base64: png.toString('base64'), rgb: colour },
  );
}

async function adminRequest(method: string, url: string, body?: unknown) {
  const login = await fetch(`${BASE_URL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return fetch(`${BASE_URL}${url}`, {
    method,
    headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

describe('an offline basemap', () => {
  let browser: Browser;
  let admin: WatchedPage;
  let scratch: string;
  let packageFile: string;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-e2e-basemap-'));
    packageFile = path.join(scratch, '玉溪离线底图.mbtiles');
    const tile = solidPng(TILE_COLOUR);
    writeMbtiles(
      packageFile,
      tilesCovering(YUXI, [5, 6, 7, 8, 9, 10], () => tile),
      { name: '玉溪离线底图', format: 'png', minzoom: '5', maxzoom: '10', bounds: YUXI.join(',') },
    );
    browser = await launchBrowser();
    admin = await openPage(browser);
  });

  afterAll(async () => {
    // The next specs start from a map without a basemap again.
    await adminRequest('PUT', '/api/settings/basemap', { kind: 'none' });
    await admin?.context.close();
    await browser?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('the administrator uploads an MBTiles package and chooses it; the command map draws its tiles', async () => {
    const { page } = admin;
    await signIn(page, 'admin');
    await page.getByTestId('menu-basemaps').click();
    await page.getByTestId('basemaps-page').waitFor({ state: 'visible' });

    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/basemaps') && r.request().method() === 'POST');
    await page.getByTestId('basemap-file').setInputFiles(packageFile);
    const response = await uploaded;
    expect(response.status()).toBe(201);
    const basemap = (await response.json()) as { id: string; name: string; minzoom: number; maxzoom: number };
    expect(basemap).toMatchObject({ name: '玉溪离线底图', minzoom: 5, maxzoom: 10 });
    await expect.poll(() => page.getByTestId('basemap-table').getByText('玉溪离线底图').count()).toBe(1);

    const saved = page.waitForResponse((r) => r.url().endsWith('/api/settings/basemap') && r.request().method() === 'PUT');
    await page.getByTestId(`basemap-use-${basemap.id}`).click();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => page.getByTestId('basemap-table').getByText('使用中').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'basemap-settings.png') });

    const tileResponses: { status: number; type: string | null }[] = [];
    page.on('response', (r) => {
      if (r.url().includes(`/api/basemaps/${basemap.id}/tiles/`))
        tileResponses.push({ status: r.status(), type: r.headers()['content-type'] ?? null });
    });
    await page.getByTestId('menu-command').click();
    await waitForMap(page);
    await expect.poll(() => tileResponses.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(tileResponses.filter((r) => r.status === 200).every((r) => r.type === 'image/png')).toBe(true);

    // The tiles are drawn: much of the map is the package's colour, not the blank background.
    const map = page.locator('[data-testid="map"]').first();
    await expect.poll(async () => shareOfColour(page, await map.screenshot(), TILE_COLOUR), { timeout: 30_000 }).toBeGreaterThan(0.3);
    await page.screenshot({ path: path.join(ARTIFACTS, 'basemap-command-map.png') });

    // Nothing left the server and nothing was refused by the Content-Security-Policy.
    expect(admin.foreignRequests).toEqual([]);
    expect(admin.errors).toEqual([]);
  });
});
