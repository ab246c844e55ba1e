/**
 * The two ways a simulation starts — the demo mode of `serve` (in process, devices read from the
 * database) and the `safeforest simulate` command (against a running server, devices read from
 * its API) — and where their devices and grid areas come from.
 */
import { parseArgs } from 'node:util';
import type { Db } from '../db/connection.js';
import { keyAccepted } from '../modules/devices/device-keys.js';
import { createDevicesRepo } from '../modules/devices/devices.repo.js';
import { createSitesRepo } from '../modules/sites/sites.repo.js';
import { createOrgRepo } from '../platform/org/org.repo.js';
import { DEMO_WATCHED_VEHICLES } from './demo-watchlists.js';
import { demoDeviceKey } from './rangers.js';
import { DEMO_PASSWORD } from './seed.js';
import { type GridArea, pickAcrossCounties, type SimulatedDevice, type SimulationStats, startSimulation } from './simulate.js';
import { startTraffic, type TrafficPassage, type TrafficResult } from './simulate-traffic.js';

/** The county part of a materialised org path ('/1/3/17/120/' → '3'). */
const countyOf = (path: string) => path.split('/')[2] ?? '';

/**
 * From the database: every active device the simulation can speak for — a demo phone with its
 * demo key, or a keyless device its county accepts — that is bound now to a ranger whose
 * assigned unit has an area, with that area (read through the device and org repos).
 */
export async function simulatedDevicesFromDatabase(db: Db): Promise<SimulatedDevice[]> {
  const [directory, areas] = await Promise.all([createDevicesRepo().directory(db), createOrgRepo().indexAreas(db)]);
  const areaOf = new Map(areas.map((a) => [a.id, a.area]));
  const now = Date.now();
  const devices: SimulatedDevice[] = [];
  for (const entry of directory) {
    const key = entry.keyHash ? demoDeviceKey(entry.uniqueId) : null;
    if (entry.status !== 'active' || !keyAccepted(entry, key)) continue;
    const binding = entry.bindings.find((b) => Date.parse(b.from) <= now && (!b.to || now < Date.parse(b.to)));
    const area = binding && areaOf.get(binding.orgUnitId);
    if (binding && area)
      devices.push({ uniqueId: entry.uniqueId, key, gridArea: area, rangerId: binding.rangerId, countyKey: countyOf(binding.orgPath) });
  }
  return devices;
}

type ApiSession = { get<T>(path: string): Promise<T>; post<T>(path: string, body: unknown): Promise<T> };

async function signIn(apiUrl: string, username: string, password: string): Promise<ApiSession> {
  const login = await fetch(new URL('/api/auth/login', apiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`Signing in to ${apiUrl} as ${username} failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return {
    async get<T>(path: string) {
      const response = await fetch(new URL(path, apiUrl), { headers: { cookie } });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async post<T>(path: string, body: unknown) {
      const response = await fetch(new URL(path, apiUrl), {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${(await response.text()).slice(0, 300)}`);
      return (await response.json()) as T;
    },
  };
}

/**
 * From a running server's API (signed in as an account that may read rangers and the org tree):
 * `count` rangers spread over the counties with a device, and their grids' areas.
 */
export async function simulatedDevicesFromApi(apiUrl: string, account: { username: string; password: string }, count: number) {
  const api = await signIn(apiUrl, account.username, account.password);
  const units = await api.get<{ items: { id: number; path: string }[] }>('/api/org/units?kind=grid&kind=township');
  const pathOf = new Map(units.items.map((u) => [u.id, u.path]));
  const rangers: { id: string; orgUnitId: number; devices: { uniqueId: string }[] }[] = [];
  for (let page = 1; ; page++) {
    const list = await api.get<{ items: typeof rangers; total: number }>(`/api/rangers?status=active&pageSize=500&page=${page}`);
    rangers.push(...list.items);
    if (list.items.length === 0 || rangers.length >= list.total) break;
  }
  const candidates = rangers
    .filter((r) => r.devices.length && pathOf.has(r.orgUnitId))
    .map((r) => ({
      uniqueId: r.devices[0].uniqueId,
      // Taken for a demo phone, whose key is derived from its id (a keyless device ignores it).
      key: demoDeviceKey(r.devices[0].uniqueId),
      rangerId: r.id,
      unitId: r.orgUnitId,
      countyKey: countyOf(pathOf.get(r.orgUnitId) ?? ''),
    }));
  const picked = pickAcrossCounties(
    candidates.map((c) => ({ ...c, gridArea: { type: 'Polygon', coordinates: [] } as GridArea })),
    count,
  );
  const unitOf = new Map(candidates.map((c) => [c.uniqueId, c.unitId]));
  const devices: SimulatedDevice[] = [];
  for (const device of picked) {
    // Zoom 18 simplifies by about half a metre, far less than the walker's margin.
    const feature = await api.get<{ geometry: GridArea }>(`/api/org/units/${unitOf.get(device.uniqueId)}/area?zoom=18`);
    devices.push({ ...device, gridArea: feature.geometry });
  }
  return devices;
}

/** How this machine reaches a server listening on `host` (any address: the loopback one). */
export const loopbackOf = (host: string) =>
  host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

/** The URL a simulation on this machine sends to: the OsmAnd port when it is on, else the HTTP route. */
export function osmandTarget(host: string, httpPort: number, osmandPort: number | null): string {
  const loopback = loopbackOf(host);
  return osmandPort === null ? `http://${loopback}:${httpPort}/api/ingest/osmand` : `http://${loopback}:${osmandPort}/`;
}

export const DEMO_SIMULATION = { rangers: 20, intervalSeconds: 10, sosPerHour: 1 };

/**
 * The demo simulation of `serve`: 20 rangers across the counties, one fix each every 10 s, about
 * one SOS an hour. Walking in their grids opens their patrols, as it would for a real ranger.
 * Answers null when the database has no demo devices.
 */
export async function startDemoSimulation(deps: { db: Db; baseUrl: string; log: (message: string) => void }) {
  const devices = pickAcrossCounties(await simulatedDevicesFromDatabase(deps.db), DEMO_SIMULATION.rangers);
  if (devices.length === 0) return null;
  const simulation = startSimulation({
    baseUrl: deps.baseUrl,
    devices,
    intervalSeconds: DEMO_SIMULATION.intervalSeconds,
    sosPerHour: DEMO_SIMULATION.sosPerHour,
    log: deps.log,
  });
  return {
    ...simulation,
    description:
      `Demo simulation: ${devices.length} rangers walk their grids and report every ${DEMO_SIMULATION.intervalSeconds} s to ${deps.baseUrl} ` +
      `(walking opens their patrols; about ${DEMO_SIMULATION.sosPerHour} SOS an hour); SIMULATE=0 turns it off.`,
  };
}

export const DEMO_TRAFFIC = { account: 'kakou', tripsPerHour: 300, watchedTripsPerHour: 1, historyHours: 6, tickSeconds: 5 };

/**
 * The demo road traffic of `serve`: about 300 trips an hour between the timber and temporary
 * checkpoints in service, pushed as the city's checkpoint platform account (`kakou`) signs in and
 * pushes, the last 6 hours first; each vehicle of the demo watchlist drives about one trip an hour.
 * Answers null when there are no checkpoints. A sign-in that fails (the account's password was
 * changed) is tried again at the next batch.
 */
export async function startDemoTraffic(deps: { db: Db; apiUrl: string; log: (message: string) => void }) {
  const checkpoints = await createSitesRepo().activePlaces(deps.db, ['timber_checkpoint', 'temporary_checkpoint']);
  if (checkpoints.length === 0) return null;
  let session: Promise<ApiSession> | null = null;
  const send = async (batch: TrafficPassage[]) => {
    session ??= signIn(deps.apiUrl, DEMO_TRAFFIC.account, DEMO_PASSWORD);
    try {
      return await (await session).post<TrafficResult>('/api/ingest/captures', batch);
    } catch (error) {
      session = null;
      throw error;
    }
  };
  const traffic = startTraffic({
    checkpoints,
    tripsPerHour: DEMO_TRAFFIC.tripsPerHour,
    watched: DEMO_WATCHED_VEHICLES.map(({ plate, plateColor, vehicleType }) => ({
      vehicle: { plate, plateColor, vehicleType },
      tripsPerHour: DEMO_TRAFFIC.watchedTripsPerHour,
    })),
    send,
    historyHours: DEMO_TRAFFIC.historyHours,
    tickSeconds: DEMO_TRAFFIC.tickSeconds,
    log: deps.log,
  });
  return {
    ...traffic,
    description:
      `Demo traffic: about ${DEMO_TRAFFIC.tripsPerHour} vehicle trips an hour past ${checkpoints.length} checkpoints, pushed as ${DEMO_TRAFFIC.account} ` +
      `(the last ${DEMO_TRAFFIC.historyHours} hours first); each vehicle of the demo watchlist drives about ${DEMO_TRAFFIC.watchedTripsPerHour} trip an hour (watchlist hits).`,
  };
}

export const SIMULATE_USAGE = `Usage: safeforest simulate [options]

Walks demo rangers through their grids and sends their fixes to a running server over the real
OsmAnd protocol, as Traccar Client does. The devices and grid areas are read from that server's API
(so it works the same on the embedded database, which only the server may open, and on PostgreSQL),
signed in as an account that may read rangers and the org tree. Stop it with Ctrl-C.

  --url <url>             the server's HTTP address (default http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --osmand-port <port>    send to the OsmAnd port of that host (default $OSMAND_PORT or 5055);
                          'off' sends to <url>/api/ingest/osmand instead
  --rangers <n>           how many rangers walk, spread over the counties (default 50)
  --interval <seconds>    seconds between two fixes of one ranger (default 30)
  --sos-per-hour <n>      SOS presses per hour across all rangers (default 1)
  --duration <seconds>    stop after this long (default: until Ctrl-C)
  --user <name>           account to read devices with (default admin)
  --password <p>          its password (default the demo password)

Run the server with SIMULATE=0 so its own demo simulation does not walk the same rangers.`;

/** `safeforest simulate …`: the simulator against a running server; a mistake is told in a sentence and exits 1. */
export async function simulateCommand(argv: string[], defaults: { port: number; osmandPort: number | null }) {
  try {
    await runSimulateCommand(argv, defaults);
  } catch (error) {
    console.error(`${(error as Error).message}\n\nsafeforest simulate --help tells the options.`);
    process.exitCode = 1;
  }
}

async function runSimulateCommand(argv: string[], defaults: { port: number; osmandPort: number | null }) {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      'osmand-port': { type: 'string' },
      rangers: { type: 'string' },
      interval: { type: 'string' },
      'sos-per-hour': { type: 'string' },
      duration: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(SIMULATE_USAGE);
  const number = (name: string, text: string | undefined, fallback: number, min: number) => {
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number of at least ${min}, got ${text}`);
    return value;
  };
  const apiUrl = values.url ?? `http://127.0.0.1:${defaults.port}`;
  const osmandPortText = values['osmand-port'];
  const osmandPort =
    osmandPortText === 'off' ? null : osmandPortText === undefined ? defaults.osmandPort : number('osmand-port', osmandPortText, 0, 1);
  const rangers = number('rangers', values.rangers, 50, 1);
  const intervalSeconds = number('interval', values.interval, 30, 0.1);
  const sosPerHour = number('sos-per-hour', values['sos-per-hour'], 1, 0);
  const duration = values.duration === undefined ? null : number('duration', values.duration, 0, 1);

  const devices = await simulatedDevicesFromApi(
    apiUrl,
    { username: values.user ?? 'admin', password: values.password ?? DEMO_PASSWORD },
    rangers,
  );
  if (devices.length === 0) throw new Error(`${apiUrl} has no active rangers with a device in a grid to simulate`);
  const api = new URL(apiUrl);
  const baseUrl = osmandPort === null ? new URL('/api/ingest/osmand', api).toString() : `${api.protocol}//${api.hostname}:${osmandPort}/`;
  const controller = new AbortController();
  const simulation = startSimulation({
    baseUrl,
    devices,
    intervalSeconds,
    sosPerHour,
    signal: controller.signal,
    log: (m) => console.error(m),
  });
  console.log(
    `Simulating ${devices.length} rangers (${devices[0].uniqueId}…), a fix each every ${intervalSeconds} s to ${baseUrl}, ` +
      `${sosPerHour} SOS an hour${duration ? `, for ${duration} s` : ''}. Ctrl-C stops.`,
  );
  const progress = setInterval(() => console.log(progressLine(simulation.stats)), 60_000);
  await new Promise<void>((resolve) => {
    const end = () => resolve();
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
    if (duration) setTimeout(end, duration * 1000).unref();
  });
  clearInterval(progress);
  controller.abort();
  await simulation.stop();
  console.log(progressLine(simulation.stats));
}

const progressLine = (s: SimulationStats) => `sent ${s.sent} fixes: ${s.stored} stored, ${s.failed} failed, ${s.sos} SOS`;
