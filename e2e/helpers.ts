/**
 * Shared set-up of the browser specs: one fixture (`useBrowser`) launches Debian's Chromium through
 * playwright-core, opens pages that record console errors, page errors and requests to other
 * origins, signs them in through the UI and closes everything after the spec; and a small API
 * client that signs in with a cookie for checks behind the UI's back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, expect } from 'vitest';
import { demoDeviceKey } from '../server/src/seed/rangers';

export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3000';
export const DEMO_PASSWORD = 'SafeForest2026';
export const ARTIFACTS = path.resolve(new URL('.', import.meta.url).pathname, 'artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}

export type WatchedPage = {
  context: BrowserContext;
  page: Page;
  /** console errors and uncaught page errors, in order */
  errors: string[];
  /** requests that left our origin (the UI must work offline) */
  foreignRequests: string[];
  /**
   * Waits until the page has settled instead of for a fixed time: no request of it still
   * unanswered, and its CSS transitions and finite animations (a dialog's fade-in) ended.
   */
  settled: () => Promise<void>;
};

export type PageOptions = {
  /** zh-CN unless given */
  locale?: string;
  /** What the context needs besides a 1440×900 desktop in Shanghai: a phone's viewport, geolocation… */
  context?: BrowserContextOptions;
  /** Runs in the page before its own scripts (e.g. to set localStorage). */
  initScript?: () => void;
  /** Console errors this page is expected to log, left out of `errors`. */
  expectedConsoleError?: (text: string, page: Page) => boolean;
};

/** A fresh context (own cookies and storage) with a page that records what went wrong. */
async function openPage(browser: Browser, options: PageOptions): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...options.context,
  });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  const errors: string[] = [];
  const foreignRequests: string[] = [];
  const origin = new URL(BASE_URL).origin;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (options.expectedConsoleError?.(message.text(), page)) return;
    errors.push(`console: ${message.text()} (${page.url()})`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  let inFlight = 0;
  page.on('request', (request) => {
    inFlight++;
    const url = request.url();
    if (/^(data|blob):/.test(url)) return;
    if (new URL(url).origin !== origin) foreignRequests.push(url);
  });
  page.on('requestfinished', () => inFlight--);
  page.on('requestfailed', () => inFlight--);
  async function settled() {
    await expect.poll(() => inFlight, { timeout: 30_000 }).toBe(0);
    await page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.playState === 'running' && Number.isFinite(a.effect?.getComputedTiming().endTime ?? Number.POSITIVE_INFINITY))
          .map((a) => a.finished.catch(() => undefined)),
      ),
    );
  }
  return { context, page, errors, foreignRequests, settled };
}

/**
 * Signs in through the sign-in page and waits for where the account lands: the signed-in layout
 * (its side menu), or for a ranger the phone page (`landing: 'ranger-page'`).
 */
async function signIn(page: Page, username: string, password = DEMO_PASSWORD, landing = 'side-menu') {
  await page.goto(`${BASE_URL}/login`);
  // Element Plus passes data-testid through to the <input> itself.
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId(landing).waitFor({ state: 'visible' });
}

/**
 * The browser of one spec file, to call in its `describe`: Chromium is launched on first use, and
 * after the file's tests every page opened through it and the browser are closed (the fixture
 * registers its own `afterAll`).
 */
export function useBrowser() {
  let launched: Promise<Browser> | undefined;
  const opened: BrowserContext[] = [];
  afterAll(async () => {
    for (const context of opened) await context.close();
    await (await launched)?.close();
  });
  /** A fresh page (own cookies and storage) that records what went wrong, not signed in. */
  async function open(options: PageOptions = {}): Promise<WatchedPage> {
    launched ??= launchBrowser();
    const watched = await openPage(await launched, options);
    opened.push(watched.context);
    return watched;
  }
  return {
    open,
    /**
     * A fresh page signed in as `username` through the sign-in page, once it shows where the
     * account lands (the side menu, or `landing`: 'ranger-page', 'menu-toggle' on a phone).
     */
    async openSignedIn(username: string, options: PageOptions & { landing?: string; password?: string } = {}) {
      const watched = await open(options);
      await signIn(watched.page, username, options.password, options.landing);
      return watched;
    },
    /** Signs in an open page (one that first showed the sign-in page itself). */
    signIn: (watched: WatchedPage, username: string, options: { landing?: string; password?: string } = {}) =>
      signIn(watched.page, username, options.password, options.landing),
  };
}

/** Signs in through the API and answers the session cookie. */
async function sessionCookie(username: string, password: string): Promise<string> {
  const response = await fetch(`${BASE_URL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${username} failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A signed-in API client for checks the UI does not show directly. */
export async function apiAs(username: string, password = DEMO_PASSWORD) {
  return (await apiSession(username, password)).get;
}

/** A signed-in API client that also writes (resolving alerts, placing check-in points…). */
export async function apiSession(username: string, password = DEMO_PASSWORD) {
  const cookie = await sessionCookie(username, password);
  async function get<T = unknown>(pathAndQuery: string): Promise<T> {
    const r = await fetch(`${BASE_URL}${pathAndQuery}`, { headers: { cookie } });
    if (!r.ok) throw new Error(`GET ${pathAndQuery} as ${username}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  }
  /** A JSON change as the web client sends it (JSON needs no CSRF token). */
  async function send<T = unknown>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', pathAndQuery: string, body: unknown = {}): Promise<T> {
    const r = await fetch(`${BASE_URL}${pathAndQuery}`, {
      method,
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${pathAndQuery} as ${username}: ${r.status} ${await r.text()}`);
    return (r.status === 204 ? null : await r.json()) as T;
  }
  return {
    get,
    post: <T = unknown>(pathAndQuery: string, body?: unknown) => send<T>('POST', pathAndQuery, body),
    put: <T = unknown>(pathAndQuery: string, body?: unknown) => send<T>('PUT', pathAndQuery, body),
  };
}

/**
 * Sends one fix as a phone running Traccar Client does (the OsmAnd protocol over HTTP, no
 * sign-in): `extra` adds parameters such as `alarm=sos` or `batt`. A demo phone (`YX…`) sends
 * its demo key, as the phones of the demo data are set up to.
 */
export async function sendOsmAnd(deviceId: string, fix: { lon: number; lat: number; at: Date }, extra: Record<string, string> = {}) {
  const query = new URLSearchParams({
    id: deviceId,
    ...(deviceId.startsWith('YX') ? { key: demoDeviceKey(deviceId) } : {}),
    lat: String(fix.lat),
    lon: String(fix.lon),
    timestamp: String(Math.floor(fix.at.getTime() / 1000)),
    speed: '2.5',
    ...extra,
  });
  const response = await fetch(`${BASE_URL}/api/ingest/osmand?${query}`);
  if (!response.ok) throw new Error(`OsmAnd fix for ${deviceId}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { stored: number; duplicates: number };
}

/** The calendar day of a moment in China Standard Time (what the day-track API takes). */
export const shanghaiDate = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

export type OrgUnit = {
  id: number;
  parentId: number | null;
  path: string;
  kind: string;
  code: string | null;
  name: string;
  center: [number, number] | null;
};
export type Site = {
  id: string;
  name: string;
  kind: string;
  orgUnitId: number;
  orgUnitName: string;
  location: { coordinates: [number, number] };
};

/**
 * The colours of every fourth pixel of a PNG screenshot as [r, g, b, r, g, b, …], decoded by the
 * browser itself, so the specs need no image library.
 */
async function samplePixels(page: Page, png: Buffer): Promise<Uint8Array> {
  const base64 = await page.evaluate(async (source) => {
    const image = new Image();
    image.src = `data:image/png;base64,${source}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return '';
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let binary = '';
    for (let i = 0; i < data.length; i += 16) binary += String.fromCharCode(data[i], data[i + 1], data[i + 2]);
    return btoa(binary);
  }, png.toString('base64'));
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/** Counts the distinct colours of a screenshot: a map that drew its layers has many, an empty canvas one or two. */
export async function distinctColours(page: Page, png: Buffer): Promise<number> {
  const rgb = await samplePixels(page, png);
  const colours = new Set<number>();
  for (let i = 0; i < rgb.length; i += 3) colours.add((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
  return colours.size;
}

/** The share of a screenshot's pixels within a small distance of `colour`. */
export async function shareOfColour(page: Page, png: Buffer, [r, g, b]: [number, number, number]): Promise<number> {
  const rgb = await samplePixels(page, png);
  let near = 0;
  for (let i = 0; i < rgb.length; i += 3) if (Math.abs(rgb[i] - r) + Math.abs(rgb[i + 1] - g) + Math.abs(rgb[i + 2] - b) < 60) near++;
  return rgb.length ? near / (rgb.length / 3) : 0;
}

/** Waits for the main map of a page to finish its first load (the view sets data-ready). */
export async function waitForMap(page: Page) {
  await page.locator('[data-testid="map"][data-ready="true"]').first().waitFor({ state: 'attached', timeout: 60_000 });
  await page.locator('[data-testid="map"] canvas').first().waitFor({ state: 'visible' });
}
