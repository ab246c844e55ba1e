/**
 * `npm run bench:map`: how the command map keeps up with many live devices. The real app serves
 * the built web client on a fresh PostgreSQL database (seeded with the demo data, dropped at the
 * end); Debian's Chromium signs in as the city office and opens the command map.
 *
 * Baseline: the same map and moves with the devices the demo has reported so far (none on a fresh
 * database) and no live load. Then BENCH_MAP_DEVICES (10,000)
 * generated devices are spread over the nine counties, every one reporting every 10 s through the
 * batch API while the map is measured idle, zooming and panning. Figures: time until all are drawn,
 * frames per second and the 95th-percentile gap between frames; ratio = fps under load ÷ baseline.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type AppConfig, buildApp } from '../server/src/app.js';
import { openDatabase } from '../server/src/db/connection.js';
import { migrateDatabase } from '../server/src/db/migrate.js';
import { DEMO_PASSWORD, seedDatabase } from '../server/src/seed/seed.js';

const DEVICES = Number(process.env.BENCH_MAP_DEVICES ?? 10_000);
const FIXES_PER_SEC = DEVICES / 10;
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

const CONFIG: AppConfig = {
  logLevel: 'warn',
  cookieSecure: 'auto',
  sessionHours: 12,
  trustProxy: false,
  tileUrl: undefined,
  dataDir: path.join(os.tmpdir(), 'safeforest-bench'),
  webDist: WEB_DIST,
  analyzerIntervalMs: 0,
};

type Frames = { fps: number; p95GapMs: number; maxGapMs: number; longTaskMs: number };

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The generated devices: unbound phones of the county offices, placed at random inside their county. */
const GENERATE_DEVICES = `
  WITH spots AS (
    SELECT c.id AS county_id, (ST_Dump(ST_GeneratePoints(c.area, ceil($1::numeric / 9)::int, 7))).geom AS g
    FROM org_units c WHERE c.kind = 'county'
  ), numbered AS (
    SELECT county_id, g, row_number() OVER () AS n FROM spots
  ), device AS (
    INSERT INTO devices (id, unique_id, name, org_unit_id, model)
    SELECT gen_random_uuid(), 'MAP' || lpad(n::text, 6, '0'), 'bench ' || n, county_id, 'bench' FROM numbered WHERE n <= $1
    RETURNING id, unique_id
  )
  INSERT INTO device_states (device_id, fix_time, server_time, lon, lat, anchor_lon, anchor_lat, moved_at)
  SELECT device.id, now(), now(), ST_X(n.g), ST_Y(n.g), ST_X(n.g), ST_Y(n.g), now()
  FROM device JOIN numbered n ON 'MAP' || lpad(n.n::text, 6, '0') = device.unique_id`;

/**
 * Counts frames and long tasks in the page. Page scripts are sent as text: functions passed to
 * the page would carry the helpers the TypeScript loader adds to them, which the page lacks.
 */
const START_COUNTING = `(() => {
  window.benchObserver?.disconnect();
  window.benchFrames = [];
  window.benchLong = 0;
  window.benchObserver = new PerformanceObserver((list) => { for (const e of list.getEntries()) window.benchLong += e.duration; });
  window.benchObserver.observe({ type: 'longtask' });
  const tick = (t) => { window.benchFrames.push(t); if (window.benchFrames.length < 100000) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()`;
const STOP_COUNTING = `(() => {
  window.benchObserver.disconnect();
  const f = window.benchFrames.splice(0);
  const gaps = f.slice(1).map((t, i) => t - f[i]).sort((a, b) => a - b);
  return { fps: (f.length - 1) / ((f[f.length - 1] - f[0]) / 1000), p95GapMs: gaps[Math.floor(gaps.length * 0.95)], maxGapMs: gaps[gaps.length - 1], longTaskMs: window.benchLong };
})()`;

/** Frames per second and gaps between frames while `act` runs, over at least `seconds`. */
async function frames(page: Page, seconds: number, act: () => Promise<void> = async () => {}): Promise<Frames> {
  await page.evaluate(START_COUNTING);
  await Promise.all([act(), page.waitForTimeout(seconds * 1000)]);
  return (await page.evaluate(STOP_COUNTING)) as Frames;
}

async function zoomInAndOut(page: Page) {
  for (const control of ['in', 'in', 'in', 'out', 'out', 'out']) {
    await page.locator(`.maplibregl-ctrl-zoom-${control}`).click();
    await page.waitForTimeout(400);
  }
}

async function pan(page: Page) {
  const box = await page.locator('[data-testid="map"]').boundingBox();
  if (!box) throw new Error('the map is not visible');
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 40; i++) {
    await page.mouse.move(x + i * 6, y + i * 2);
    await page.waitForTimeout(30);
  }
  await page.mouse.up();
}

/** Signs in as the city office, opens the command map and waits until `count` devices are drawn; answers the time from the click. */
async function openCommandMap(page: Page, baseUrl: string, count: number): Promise<number> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill('city');
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('side-menu').waitFor();
  const started = Date.now();
  await page.getByTestId('menu-command').click();
  await waitForDevices(page, count);
  return Date.now() - started;
}

/** Waits until the command map says it draws `count` devices. */
async function waitForDevices(page: Page, count: number) {
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="map"][data-ready="true"]')?.getAttribute('data-devices') ?? -1) >= n,
    count,
    { timeout: 120_000 },
  );
}

/** Every generated device reports every 10 s: batches of a tenth of them each second, each a few metres on. */
function startLoad(baseUrl: string, positions: Map<string, [number, number]>) {
  const ids = [...positions.keys()];
  let next = 0;
  let failures = 0;
  let sent = 0;
  const timer = setInterval(() => {
    const batch = [];
    for (let i = 0; i < FIXES_PER_SEC && ids.length > 0; i++) {
      const id = ids[next++ % ids.length];
      const p = positions.get(id) as [number, number];
      p[0] += (Math.random() - 0.5) * 0.0004;
      p[1] += (Math.random() - 0.5) * 0.0004;
      batch.push({ uniqueId: id, fixTime: new Date().toISOString(), lon: p[0], lat: p[1] });
    }
    sent += batch.length;
    fetch(`${baseUrl}/api/ingest/positions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    })
      .then((r) => {
        if (!r.ok) failures++;
      })
      .catch(() => failures++);
  }, 1000);
  return {
    stop: () => clearInterval(timer),
    get sent() {
      return sent;
    },
    get failures() {
      return failures;
    },
  };
}

const describe = (label: string, f: Frames) =>
  console.log(
    `  ${label.padEnd(44)} ${f.fps.toFixed(1).padStart(5)} fps, frame gap p95 ${Math.round(f.p95GapMs)} ms, max ${Math.round(f.maxGapMs)} ms, long tasks ${Math.round(f.longTaskMs)} ms`,
  );

async function main() {
  const name = `safeforest_map_${process.pid}`;
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const drop = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  let browser: Browser | null = null;
  let close: (() => Promise<void>) | null = null;
  try {
    await adminQuery(`CREATE DATABASE ${name}`);
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
    await migrateDatabase(database.db, database.pool);
    await seedDatabase(database, { demo: true });
    const built = await buildApp(CONFIG, database);
    await built.app.listen({ port: 0, host: '127.0.0.1' });
    close = async () => {
      await built.app.close();
      await database.close();
    };
    const address = built.app.server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    console.log(`SafeForest command map benchmark, ${new Date().toISOString()}: ${DEVICES} devices, ${FIXES_PER_SEC} fixes/s`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    const demo = Number((await database.pool.query('SELECT count(*)::int AS n FROM device_states')).rows[0].n);
    const baselineMs = await openCommandMap(page, baseUrl, demo);
    console.log(`baseline: the map with ${demo} devices, drawn in ${baselineMs} ms, no live load`);
    const baseline = {
      idle: await frames(page, 6),
      zoom: await frames(page, 6, () => zoomInAndOut(page)),
      pan: await frames(page, 4, () => pan(page)),
    };
    describe('idle', baseline.idle);
    describe('zooming in and out', baseline.zoom);
    describe('panning', baseline.pan);

    await database.pool.query(GENERATE_DEVICES, [DEVICES]);
    const { rows } = await database.pool.query<{ unique_id: string; lon: number; lat: number }>(
      "SELECT d.unique_id, s.lon, s.lat FROM devices d JOIN device_states s ON s.device_id = d.id WHERE d.model = 'bench'",
    );
    const load = startLoad(baseUrl, new Map(rows.map((r) => [r.unique_id, [r.lon, r.lat]])));
    const reloaded = Date.now();
    await page.reload();
    await waitForDevices(page, demo + DEVICES);
    const drawnMs = Date.now() - reloaded;
    console.log(`${demo + DEVICES} devices drawn in ${drawnMs} ms, with ${FIXES_PER_SEC} fixes/s arriving`);
    const loaded = {
      idle: await frames(page, 8),
      zoom: await frames(page, 6, () => zoomInAndOut(page)),
      pan: await frames(page, 4, () => pan(page)),
    };
    load.stop();
    describe('idle, live updates', loaded.idle);
    describe('zooming in and out, live updates', loaded.zoom);
    describe('panning, live updates', loaded.pan);
    console.log(`  fixes sent ${load.sent}, batches refused ${load.failures}; page errors: ${errors.length ? errors.join('; ') : 'none'}`);
    const ratio = (a: Frames, b: Frames) => Number((a.fps / b.fps).toFixed(2));
    console.log(
      `fps under load ÷ baseline: idle ${ratio(loaded.idle, baseline.idle)}, zoom ${ratio(loaded.zoom, baseline.zoom)}, pan ${ratio(loaded.pan, baseline.pan)}`,
    );
    const round = (v: number) => Math.round(v * 10) / 10;
    console.log(
      JSON.stringify({
        bench: 'command-map',
        devices: DEVICES,
        drawnMs,
        idleFps: round(loaded.idle.fps),
        zoomFps: round(loaded.zoom.fps),
        zoomP95GapMs: round(loaded.zoom.p95GapMs),
        panFps: round(loaded.pan.fps),
        baselineIdleFps: round(baseline.idle.fps),
        idleRatio: ratio(loaded.idle, baseline.idle),
        zoomRatio: ratio(loaded.zoom, baseline.zoom),
        pageErrors: errors.length,
      }),
    );
  } finally {
    await browser?.close();
    await close?.();
    await drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
