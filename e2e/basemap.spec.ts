/**
 * An office without internet uploads an offline basemap of its area: the administrator uploads a
 * small MBTiles package (made here: one solid colour over Yuxi) on the 底图设置 page, chooses it,
 * and the command map requests its tiles from SafeForest and draws them under its layers —
 * instead of the blank plane it showed before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng, tilesCovering, writeMbtiles } from '../server/test/tile-packages';
import { ARTIFACTS, apiSession, shareOfColour, useBrowser, waitForMap } from './helpers';

/** A colour no layer of the map uses, so its pixels can only come from the basemap. */
const TILE_COLOUR: [number, number, number] = [186, 52, 158];
const YUXI: [number, number, number, number] = [100.9, 23.0, 103.5, 25.3];

describe('an offline basemap', () => {
  const browser = useBrowser();
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
  });

  afterAll(async () => {
    // The next specs start from a map without a basemap again.
    await (await apiSession('admin')).put('/api/settings/basemap', { kind: 'none' });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('the administrator uploads an MBTiles package and chooses it; the command map draws its tiles', async () => {
    const admin = await browser.openSignedIn('admin');
    const { page } = admin;
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
