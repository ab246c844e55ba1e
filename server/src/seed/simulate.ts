/**
 * The live simulator: demo rangers walking their grids and reporting like Traccar Client does,
 * through the real OsmAnd protocol over HTTP (`GET /?id=…&lat=…&lon=…&timestamp=…&speed=<knots>…`
 * to the OsmAnd port, or `/api/ingest/osmand`), so a demo exercises the same path as a phone:
 * parsing, the pipeline, alerts, the live map. `serve` runs a small one in demo mode; the
 * `simulate` command drives any running server from outside.
 *
 * Each ranger does a random walk with momentum at walking speed (0.8–1.5 m/s) that never leaves
 * their grid (every step keeps a margin from its boundary), rests now and then, drains the phone
 * battery slowly and charges it from a power bank when it runs low, and — rarely, at a rate given
 * for all rangers together — presses SOS.
 *
 * Where the devices come from and how a simulation is started (the demo mode of `serve`, the
 * `simulate` command) is in simulate-commands.ts.
 */

/** A grid's area as GeoJSON (what the org tree stores is a MultiPolygon; a simplified one may come back as a Polygon). */
export type GridArea = { type: 'MultiPolygon'; coordinates: number[][][][] } | { type: 'Polygon'; coordinates: number[][][] };

/** A device to simulate: its identity (the OsmAnd `id`), its key if it has one, and the grid its ranger patrols. */
export type SimulatedDevice = { uniqueId: string; key?: string | null; gridArea: GridArea; rangerId?: string | null; countyKey?: string };

export type SimulationOptions = {
  /** Where fixes go: the OsmAnd port (`http://127.0.0.1:5055/`) or `http://host:port/api/ingest/osmand`. */
  baseUrl: string;
  devices: SimulatedDevice[];
  /** Seconds between two fixes of one ranger (the rangers are staggered over it). */
  intervalSeconds: number;
  /** SOS presses per hour across all rangers together. */
  sosPerHour: number;
  /** Aborting it stops the simulation. */
  signal?: AbortSignal;
  /** Random source in [0, 1) (tests may fix it). */
  random?: () => number;
  /** Told about failed sends, at most once a minute per kind of failure. */
  log?: (message: string) => void;
};

export type SimulationStats = { sent: number; stored: number; failed: number; sos: number };
export type Simulation = { stats: SimulationStats; stop(): Promise<void> };

const MIN_SPEED = 0.8;
const MAX_SPEED = 1.5;
/** Metres a step keeps from the grid's boundary, so a fix is inside the stored area whatever simplification the caller used. */
const MARGIN_M = 25;
const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON_EQUATOR = 111_320;
const MPS_TO_KNOTS = 3600 / 1852;
/** A walking ranger starts a rest on average every 20 minutes; a rest lasts 1–6 minutes. */
const REST_EVERY_S = 20 * 60;
/** Battery: drains 3–7 %/h; below 15 % the ranger plugs in a power bank that charges 40 %/h up to 95 %. */
const CHARGE_BELOW = 15;
const CHARGE_UNTIL = 95;

type Rings = number[][][]; // polygons → rings → [lon, lat]

function polygonsOf(area: GridArea): Rings[] {
  return area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
}

function ringContains(ring: number[][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point lies in an area (holes excluded). */
export function areaContains(area: GridArea, lon: number, lat: number): boolean {
  return new Grid(area).contains(lon, lat);
}

/** A grid the walker can test points against: inside, and a margin away from every edge. */
class Grid {
  readonly polygons: Rings[];
  readonly bbox: [number, number, number, number];

  constructor(area: GridArea) {
    this.polygons = polygonsOf(area);
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const polygon of this.polygons)
      for (const [x, y] of polygon[0]) {
        w = Math.min(w, x);
        e = Math.max(e, x);
        s = Math.min(s, y);
        n = Math.max(n, y);
      }
    this.bbox = [w, s, e, n];
  }

  contains(x: number, y: number): boolean {
    return this.polygons.some((rings) => ringContains(rings[0], x, y) && !rings.slice(1).some((hole) => ringContains(hole, x, y)));
  }

  /** Inside with the margin: the point and the eight points around it at the margin. */
  safelyContains(x: number, y: number): boolean {
    if (!this.contains(x, y)) return false;
    const dLat = MARGIN_M / M_PER_DEG_LAT;
    const dLon = MARGIN_M / (M_PER_DEG_LON_EQUATOR * Math.cos((y * Math.PI) / 180));
    for (let k = 0; k < 8; k++) {
      const a = (k * Math.PI) / 4;
      if (!this.contains(x + dLon * Math.cos(a), y + dLat * Math.sin(a))) return false;
    }
    return true;
  }
}

/** One fix as the OsmAnd protocol carries it. */
export type OsmAndFix = {
  id: string;
  key?: string | null;
  lat: number;
  lon: number;
  timestamp: number;
  speedMps: number;
  bearing: number;
  batt: number;
  charge: boolean;
  accuracy: number;
  sos: boolean;
};

/** One ranger walking a grid: position, heading and speed with momentum, rests, the phone's battery. */
export class RangerWalk {
  private readonly grid: Grid;
  lon = 0;
  lat = 0;
  private heading: number;
  private speed: number;
  battery: number;
  private readonly drainPerHour: number;
  private charging = false;
  private restUntil = 0;

  constructor(
    readonly uniqueId: string,
    area: GridArea,
    private readonly random: () => number,
    private readonly key: string | null = null,
  ) {
    this.grid = new Grid(area);
    const [w, s, e, n] = this.grid.bbox;
    let placed = false;
    for (let tries = 0; tries < 5_000 && !placed; tries++) {
      const x = w + (e - w) * random();
      const y = s + (n - s) * random();
      if (this.grid.safelyContains(x, y)) [this.lon, this.lat, placed] = [x, y, true];
    }
    if (!placed) throw new Error(`No room to walk in the grid of ${uniqueId}`);
    this.heading = random() * 360;
    this.speed = MIN_SPEED + (MAX_SPEED - MIN_SPEED) * random();
    this.battery = 55 + 45 * random();
    this.drainPerHour = 3 + 4 * random();
  }

  /** Advances the walk by `dt` seconds to time `now` (ms) and answers the fix to send. */
  step(now: number, dt: number, sos: boolean): OsmAndFix {
    this.advanceBattery(dt);
    if (sos) this.restUntil = now + (5 + 10 * this.random()) * 60_000; // stays where help can find them
    let moved = 0;
    if (now >= this.restUntil) {
      if (this.random() < dt / REST_EVERY_S) this.restUntil = now + (1 + 5 * this.random()) * 60_000;
      else moved = this.walk(dt);
    }
    return {
      id: this.uniqueId,
      key: this.key,
      lat: this.lat,
      lon: this.lon,
      timestamp: now,
      speedMps: moved / dt,
      bearing: this.heading,
      batt: Math.round(this.battery * 10) / 10,
      charge: this.charging,
      accuracy: Math.round(3 + 9 * this.random()),
      sos,
    };
  }

  /** One leg of walking; turns away from the boundary when the way ahead leaves the grid. Answers the metres walked. */
  private walk(dt: number): number {
    const turnSigma = Math.min(60, 20 * Math.sqrt(dt / 30));
    this.heading = (this.heading + turnSigma * gaussian(this.random) + 360) % 360;
    this.speed = Math.min(MAX_SPEED, Math.max(MIN_SPEED, this.speed + 0.1 * gaussian(this.random)));
    const distance = this.speed * dt;
    // Straight on first, then ever sharper turns to either side, up to turning back.
    for (let k = 0; k <= 12; k++) {
      const heading = (this.heading + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 30 + 360) % 360;
      const [x, y] = this.ahead(heading, distance);
      if (this.grid.safelyContains(x, y)) {
        [this.lon, this.lat, this.heading] = [x, y, heading];
        return distance;
      }
    }
    return 0; // cornered: waits a step
  }

  private ahead(heading: number, metres: number): [number, number] {
    const rad = (heading * Math.PI) / 180;
    const dx = metres * Math.sin(rad);
    const dy = metres * Math.cos(rad);
    return [this.lon + dx / (M_PER_DEG_LON_EQUATOR * Math.cos((this.lat * Math.PI) / 180)), this.lat + dy / M_PER_DEG_LAT];
  }

  private advanceBattery(dt: number) {
    const hours = dt / 3600;
    if (!this.charging && this.battery < CHARGE_BELOW) this.charging = true;
    if (this.charging && this.battery >= CHARGE_UNTIL) this.charging = false;
    this.battery = Math.min(100, Math.max(1, this.battery + (this.charging ? 40 : -this.drainPerHour) * hours));
  }
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The OsmAnd query of a fix, as Traccar Client sends it (speed in knots, time in epoch milliseconds). */
export function osmandQuery(fix: OsmAndFix): URLSearchParams {
  const params = new URLSearchParams({
    id: fix.id,
    lat: fix.lat.toFixed(7),
    lon: fix.lon.toFixed(7),
    timestamp: String(fix.timestamp),
    speed: (fix.speedMps * MPS_TO_KNOTS).toFixed(2),
    bearing: fix.bearing.toFixed(1),
    batt: fix.batt.toFixed(1),
    charge: String(fix.charge),
    accuracy: String(fix.accuracy),
  });
  if (fix.sos) params.set('alarm', 'sos');
  if (fix.key) params.set('key', fix.key);
  return params;
}

/**
 * Starts the rangers walking: each sends a fix every `intervalSeconds`, the rangers staggered over
 * the interval. Answers the running simulation; `stop()` ends it and waits for the fixes in flight.
 */
export function startSimulation(options: SimulationOptions): Simulation {
  const { baseUrl, devices, intervalSeconds, sosPerHour, signal } = options;
  const random = options.random ?? Math.random;
  if (!(intervalSeconds > 0)) throw new Error('intervalSeconds must be positive');
  const stats: SimulationStats = { sent: 0, stored: 0, failed: 0, sos: 0 };
  const walks = devices.map((d) => new RangerWalk(d.uniqueId, d.gridArea, random, d.key ?? null));
  const sosChance = Math.min(1, (Math.max(0, sosPerHour) * intervalSeconds) / 3600 / Math.max(1, walks.length));
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();
  const lastLogged = new Map<string, number>();
  let stopped = false;

  const report = (kind: string, message: string) => {
    const now = Date.now();
    if (!options.log || now - (lastLogged.get(kind) ?? 0) < 60_000) return;
    lastLogged.set(kind, now);
    options.log(message);
  };

  async function send(fix: OsmAndFix) {
    const url = new URL(baseUrl);
    url.search = osmandQuery(fix).toString();
    stats.sent++;
    if (fix.sos) stats.sos++;
    try {
      const response = await fetch(url, { signal: AbortSignal.any([abort.signal, AbortSignal.timeout(10_000)]) });
      const body = await response.text();
      if (response.ok) stats.stored++;
      else {
        stats.failed++;
        report(String(response.status), `simulated fix of ${fix.id} refused: ${response.status} ${body.slice(0, 200)}`);
      }
    } catch (error) {
      stats.failed++;
      if (!stopped) report('network', `simulated fix of ${fix.id} not delivered to ${baseUrl}: ${(error as Error).message}`);
    }
  }

  const started = Date.now();
  walks.forEach((walk, i) => {
    const offset = (intervalSeconds * 1000 * i) / walks.length;
    let last = started;
    let tick = 0;
    const schedule = () => {
      if (stopped) return;
      const due = started + offset + tick * intervalSeconds * 1000;
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          if (stopped) return;
          const now = Date.now();
          const dt = tick === 0 ? intervalSeconds : Math.max(0.001, (now - last) / 1000);
          last = now;
          tick++;
          const pending = send(walk.step(now, dt, random() < sosChance)).finally(() => inFlight.delete(pending));
          inFlight.add(pending);
          schedule();
        },
        Math.max(0, due - Date.now()),
      );
      timers.add(timer);
    };
    schedule();
  });

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // Fixes already sent are let through (their answer says they are stored), but not for ever.
      const giveUp = setTimeout(() => abort.abort(), 5_000);
      await Promise.allSettled([...inFlight]);
      clearTimeout(giveUp);
    })();
    return stopping;
  };
  signal?.addEventListener('abort', () => void stop(), { once: true });
  return { stats, stop };
}

/** Takes `count` devices in turn from each county (by `countyKey`), so every county has walkers. */
export function pickAcrossCounties(devices: SimulatedDevice[], count: number): SimulatedDevice[] {
  const byCounty = new Map<string, SimulatedDevice[]>();
  for (const d of [...devices].sort((a, b) => a.uniqueId.localeCompare(b.uniqueId))) {
    const key = d.countyKey ?? '';
    byCounty.set(key, [...(byCounty.get(key) ?? []), d]);
  }
  const queues = [...byCounty.values()];
  const picked: SimulatedDevice[] = [];
  for (let round = 0; picked.length < count && queues.some((q) => q.length > round); round++)
    for (const queue of queues) if (round < queue.length && picked.length < count) picked.push(queue[round]);
  return picked;
}
