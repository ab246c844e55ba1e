/**
 * Cameras: the spec makes a short HLS stream with ffmpeg (a test pattern) and serves it from a
 * tiny static server of its own on a free port — a media server apart from SafeForest, as in a
 * real installation, which the content security policy lets the browser reach once a camera
 * names it. A county registers a camera with that stream; the camera is on the register's map,
 * turns online when its heartbeat arrives, and plays in the video wall with frames advancing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, apiSession, BASE_URL, useBrowser, type WatchedPage, waitForMap } from './helpers';

const TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t' };
const GB_ID = '53040200001329000777';

/** Serves the files of `dir` to any origin (hls.js fetches them cross-origin). */
function serveStatic(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const name = path.basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = path.join(dir, name);
    res.setHeader('access-control-allow-origin', '*');
    if (!name || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Seconds of video the page's player has played, and frames presented, over `ms`. */
async function playback(page: Page, selector: string, ms: number) {
  return page.evaluate(
    ({ selector, ms }) =>
      new Promise<{ advanced: number; frames: number }>((resolve) => {
        const video = document.querySelector(selector) as HTMLVideoElement;
        const start = video.currentTime;
        let frames = 0;
        const count = () => {
          frames++;
          video.requestVideoFrameCallback(count);
        };
        video.requestVideoFrameCallback(count);
        setTimeout(() => resolve({ advanced: video.currentTime - start, frames }), ms);
      }),
    { selector, ms },
  );
}

describe('cameras', () => {
  const browser = useBrowser();
  let w: WatchedPage;
  let page: Page;
  let media: http.Server;
  let dir: string;
  let streamUrl: string;
  let cameraId: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-hls-'));
    // 30 s of test pattern with a running clock, H.264 in 2 s MPEG-TS segments.
    execFileSync('ffmpeg', [
      ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25:duration=30'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', '50'],
      ...['-f', 'hls', '-hls_time', '2', '-hls_list_size', '0', '-hls_playlist_type', 'vod', path.join(dir, 'live.m3u8')],
    ]);
    media = await serveStatic(dir);
    streamUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}/live.m3u8`;
  });
  afterAll(async () => {
    await new Promise((resolve) => media?.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a county registers a camera with its stream; it is on the register and its map', async () => {
    const hongta = await apiSession('hongta');
    const { items } = await hongta.get<{ items: { name: string; center: [number, number] }[] }>(
      `/api/org/units?q=${encodeURIComponent('玉兴街道第1网格')}`,
    );
    const centre = items[0].center;
    const camera = await hongta.post<{ id: string; status: string }>('/api/cameras', {
      name: '玉兴测试烟火摄像机',
      gbId: GB_ID,
      category: 'key_forest_area',
      type: 'smoke_fire',
      location: { type: 'Point', coordinates: centre },
      streamUrl,
    });
    cameraId = camera.id;
    expect(camera.status).toBe('unknown');

    w = await browser.openSignedIn('hongta');
    page = w.page;
    await page.goto(`${BASE_URL}/cameras`);
    // Element Plus passes the test id through to the <input> itself.
    await page.getByTestId('camera-filter-q').fill(GB_ID);
    await page.getByTestId('camera-filter-q').press('Enter');
    const rows = page.getByTestId('camera-table').locator('.el-table__row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('玉兴测试烟火摄像机');
    expect(await page.getByTestId('camera-row-status').first().textContent()).toBe('未知');
    const map = page.getByTestId('camera-map').locator('[data-cameras]');
    await expect.poll(() => map.getAttribute('data-cameras'), { timeout: 30_000 }).toBe('1');
    expect(await page.getByTestId('camera-legend').textContent()).toContain('在线');
  });

  it('turns online when its heartbeat arrives, live', async () => {
    const r = await fetch(`${BASE_URL}/api/ingest/camera-status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ gbId: GB_ID, online: true, at: new Date().toISOString() }]),
    });
    expect(r.status).toBe(200);
    await expect.poll(() => page.getByTestId('camera-row-status').first().textContent(), { timeout: 15_000 }).toBe('在线');
    await w.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'cameras-register-desktop.png') });
  });

  it('plays in the video wall: the frames advance', async () => {
    await page.goto(`${BASE_URL}/cameras/wall?n=4`);
    await page.getByTestId('wall-choose-0').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '玉兴测试烟火摄像机' }).click();
    const player = page.getByTestId('wall-tile-0').getByTestId('video-player');
    await expect.poll(() => player.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    const { advanced, frames } = await playback(page, '[data-testid="wall-tile-0"] video', 2_000);
    expect(advanced).toBeGreaterThan(1);
    expect(frames).toBeGreaterThan(10);
    expect(page.url()).toContain(`c=${cameraId}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'cameras-wall-desktop.png') });
  });

  it('takes a Hikvision alarm with its picture: a smoke alarm in a key forest area opens an incident, listed with its snapshot', async () => {
    const picture = execFileSync('ffmpeg', [
      ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:duration=1', '-frames:v', '1', '-f', 'mjpeg', 'pipe:1'],
    ]);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<ipAddress>10.0.0.7</ipAddress><channelID>1</channelID><dateTime>${new Date().toISOString()}</dateTime>
<eventType>smokeDetection</eventType><eventState>active</eventState><eventDescription>smoke detected</eventDescription>
</EventNotificationAlert>`;
    const form = new FormData();
    form.append('SmokeDetection.xml', new Blob([xml], { type: 'application/xml' }), 'SmokeDetection.xml');
    form.append('smokePicture', new Blob([picture], { type: 'image/jpeg' }), 'smokePicture.jpg');
    const r = await fetch(`${BASE_URL}/api/ingest/isapi?gbId=${GB_ID}`, { method: 'POST', body: form });
    expect(r.status).toBe(200);
    expect((await r.json()).incidentId).toBeTruthy();
    await page.goto(`${BASE_URL}/camera-alarms`);
    const rows = page.getByTestId('camera-alarm-table').locator('.el-table__row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('烟雾');
    expect(await rows.first().textContent()).toContain('已生成警情');
    const thumb = page.getByTestId('alarm-snapshot').locator('img');
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 15_000 }).toBe(320);
    await w.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'cameras-alarms-desktop.png') });
  });

  it('plays on the camera’s own page, and is on the map page', async () => {
    await page.goto(`${BASE_URL}/cameras/${cameraId}`);
    await expect.poll(() => page.getByTestId('video-player').getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    const { advanced } = await playback(page, '[data-testid="video-element"]', 1_500);
    expect(advanced).toBeGreaterThan(0.5);
    await page.screenshot({ path: path.join(ARTIFACTS, 'cameras-detail-desktop.png') });
    await page.goto(`${BASE_URL}/map`);
    await waitForMap(page);
    const map = page.locator('[data-testid="map"]').first();
    await expect.poll(async () => Number((await map.getAttribute('data-cameras')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(1);
    // The only other origin the browser reached is the camera's own media server.
    const origin = new URL(streamUrl).origin;
    expect(w.foreignRequests.filter((url) => !url.startsWith(origin))).toEqual([]);
    expect(w.errors).toEqual([]);
  });
});
