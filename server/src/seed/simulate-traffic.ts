/**
 * Demo road traffic (卡口过车, notice clause 九): vehicles drive between the checkpoints and the
 * checkpoints' platform pushes every passage to `/api/ingest/captures`, the path a real platform
 * takes (validation, the store, the in-memory watchlist matcher, hits, alerts and incidents).
 *
 * The traffic is a function of time alone: the trips that start in an hour are drawn from a
 * generator seeded with that hour and the checkpoints. A restart sends the hours it covers again
 * and the store counts them as duplicates (captures are idempotent on checkpoint, time and
 * plate), so a demo never gets a second history. On start the last `historyHours` are sent, so
 * search and a vehicle's timeline have something to show; then what passed, every tick.
 */

import { seededRandom } from './seeded-random.js';

export type TrafficCheckpoint = { id: string; lon: number; lat: number };
export type Vehicle = { plate: string; plateColor: 'blue' | 'yellow' | 'green'; vehicleType: string };
/** A passage as `/api/ingest/captures` takes it. */
export type TrafficPassage = {
  checkpointId: string;
  plate: string;
  plateColor: Vehicle['plateColor'];
  vehicleType: string;
  direction: 'in' | 'out';
  lane: number;
  speed: number;
  at: string;
};
export type TrafficResult = { stored: number; duplicates: number; hits: number };

export type TrafficOptions = {
  checkpoints: TrafficCheckpoint[];
  /** Trips of ordinary vehicles starting per hour across the area (each passes 1–4 checkpoints). */
  tripsPerHour: number;
  /** Vehicles under watch, each driving `tripsPerHour` trips an hour (only live, and in the last hour of history). */
  watched: { vehicle: Vehicle; tripsPerHour: number }[];
  /** Sends a batch (at most `MAX_TRAFFIC_BATCH`); rejects when it was not accepted. */
  send: (batch: TrafficPassage[]) => Promise<TrafficResult>;
  historyHours: number;
  tickSeconds: number;
  now?: () => number;
  log?: (message: string) => void;
};

export type TrafficStats = { sent: number; stored: number; duplicates: number; hits: number; failedBatches: number };

const HOUR_MS = 3_600_000;
/** A trip ends within this long of its start (4 legs of at most 60 km at 40 km/h, and stops). */
const MAX_TRIP_MS = 8 * HOUR_MS;
const MAX_LEG_KM = 60;
export const MAX_TRAFFIC_BATCH = 2_000;
const FLEET_SIZE = 400;
const FLEET_SEED = 20_261_201;
/** Letters of Chinese plates (I and O are not used). */
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Kinds of vehicle on the forest roads, with their share and plate colour (heavy trucks and coaches have yellow plates). */
const KINDS: { share: number; vehicleType: string; plateColor: Vehicle['plateColor'] }[] = [
  { share: 0.42, vehicleType: '小型轿车', plateColor: 'blue' },
  { share: 0.16, vehicleType: '小型越野客车', plateColor: 'blue' },
  { share: 0.16, vehicleType: '轻型货车', plateColor: 'blue' },
  { share: 0.14, vehicleType: '重型货车', plateColor: 'yellow' },
  { share: 0.04, vehicleType: '大型客车', plateColor: 'yellow' },
  { share: 0.08, vehicleType: '小型轿车', plateColor: 'green' },
];
/** Where the vehicles are registered: mostly Yuxi (云F), then Kunming (云A), Honghe (云G), Chuxiong (云E). */
const OFFICES: [string, number][] = [
  ['云F', 0.8],
  ['云A', 0.12],
  ['云G', 0.05],
  ['云E', 0.03],
];

function weighted<T>(random: () => number, items: readonly T[], share: (item: T) => number): T {
  let r = random();
  for (const item of items) {
    r -= share(item);
    if (r < 0) return item;
  }
  return items[items.length - 1];
}

/** The same fleet every time: 400 vehicles with their plates, colours and types. */
export function demoFleet(): Vehicle[] {
  const random = seededRandom(FLEET_SEED);
  const fleet = new Map<string, Vehicle>();
  while (fleet.size < FLEET_SIZE) {
    const kind = weighted(random, KINDS, (k) => k.share);
    const office = weighted(random, OFFICES, ([, share]) => share)[0];
    const digit = () => String(Math.floor(random() * 10));
    // New-energy plates have six characters after the office, beginning with D (electric) or F (hybrid).
    // Others have five, at most two of them letters.
    const tail =
      kind.plateColor === 'green'
        ? `${pick(random, ['D', 'F'])}${Array.from({ length: 5 }, digit).join('')}`
        : `${random() < 0.6 ? pick(random, [...LETTERS]) : digit()}${Array.from({ length: 4 }, () => (random() < 0.1 ? pick(random, [...LETTERS]) : digit())).join('')}`;
    if (tail.replace(/\d/g, '').length > 2) continue;
    const plate = `${office}${tail}`;
    fleet.set(plate, { plate, plateColor: kind.plateColor, vehicleType: kind.vehicleType });
  }
  return [...fleet.values()];
}

function distanceKm(a: TrafficCheckpoint, b: TrafficCheckpoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 12_742 * Math.asin(Math.sqrt(h));
}

/** A string's 32-bit hash (FNV-1a), to seed the hours with the checkpoints they run between. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export type Trip = { vehicle: Vehicle; watched: boolean; passages: TrafficPassage[] };

/**
 * The trips that start in the hour beginning at `hourStart`: a vehicle starts at a checkpoint and
 * drives on to one of the three nearest it has not passed (within 60 km) at 40–70 km/h, with a stop
 * of up to 10 minutes now and then, passing 1 to 4 checkpoints in all.
 */
export function tripsOfHour(
  hourStart: number,
  options: Pick<TrafficOptions, 'checkpoints' | 'tripsPerHour' | 'watched'>,
  fleet: Vehicle[],
): Trip[] {
  const { checkpoints } = options;
  if (checkpoints.length === 0) return [];
  const random = seededRandom(hash(`${hourStart}|${checkpoints.map((c) => c.id).join(',')}`));
  const drive = (vehicle: Vehicle, watched: boolean): Trip => {
    const legs = 1 + Math.floor(random() * 4);
    let at = hourStart + random() * HOUR_MS;
    let here = pick(random, checkpoints);
    const passed = new Set<string>();
    const passages: TrafficPassage[] = [];
    for (let leg = 0; leg < legs; leg++) {
      passed.add(here.id);
      passages.push({
        checkpointId: here.id,
        plate: vehicle.plate,
        plateColor: vehicle.plateColor,
        vehicleType: vehicle.vehicleType,
        direction: random() < 0.5 ? 'in' : 'out',
        lane: 1 + Math.floor(random() * 2),
        speed: Math.round(15 + random() * 35),
        at: new Date(Math.round(at)).toISOString(),
      });
      const next = checkpoints
        .filter((c) => !passed.has(c.id))
        .map((c) => ({ c, km: distanceKm(here, c) }))
        .filter((n) => n.km <= MAX_LEG_KM)
        .sort((a, b) => a.km - b.km)
        .slice(0, 3);
      if (next.length === 0) break;
      const { c, km } = pick(random, next);
      at += (km / (40 + random() * 30)) * HOUR_MS + (random() < 0.3 ? random() * 10 * 60_000 : 0);
      here = c;
    }
    return { vehicle, watched, passages };
  };
  const trips: Trip[] = [];
  for (let i = 0; i < options.tripsPerHour; i++) trips.push(drive(pick(random, fleet), false));
  for (const w of options.watched) for (let i = 0; i < w.tripsPerHour; i++) trips.push(drive(w.vehicle, true));
  return trips;
}

/**
 * The passages in (from, to] of the trips `tripsOf` gives for each hour, in time order; a watched
 * vehicle's only when after `watchedSince` (the history leaves out the older hits a first start
 * would otherwise raise all at once).
 */
export function passagesBetween(from: number, to: number, tripsOf: (hourStart: number) => Trip[], watchedSince = from): TrafficPassage[] {
  const out: TrafficPassage[] = [];
  for (let hour = Math.floor((from - MAX_TRIP_MS) / HOUR_MS) * HOUR_MS; hour <= to; hour += HOUR_MS)
    for (const trip of tripsOf(hour))
      for (const p of trip.passages) {
        const t = Date.parse(p.at);
        if (t > from && t <= to && (!trip.watched || t > watchedSince)) out.push(p);
      }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** Runs the traffic: the history first, then every tick what passed since the last batch accepted. */
export function startTraffic(options: TrafficOptions) {
  const now = options.now ?? Date.now;
  const fleet = demoFleet();
  // The hours a tick looks at (a trip lasts up to 8 hours), drawn once each.
  const hours = new Map<number, Trip[]>();
  const tripsOf = (hourStart: number) => {
    let trips = hours.get(hourStart);
    if (!trips) {
      trips = tripsOfHour(hourStart, options, fleet);
      hours.set(hourStart, trips);
      for (const h of hours.keys()) if (h < hourStart - MAX_TRIP_MS - HOUR_MS) hours.delete(h);
    }
    return trips;
  };
  const stats: TrafficStats = { sent: 0, stored: 0, duplicates: 0, hits: 0, failedBatches: 0 };
  let cursor = now() - options.historyHours * HOUR_MS;
  let watchedSince = Math.max(cursor, now() - HOUR_MS);
  let lastFailureLog = 0;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  async function tick() {
    const end = now();
    const passages = passagesBetween(cursor, end, tripsOf, watchedSince);
    try {
      for (let i = 0; i < passages.length; i += MAX_TRAFFIC_BATCH) {
        const batch = passages.slice(i, i + MAX_TRAFFIC_BATCH);
        const result = await options.send(batch);
        stats.sent += batch.length;
        stats.stored += result.stored;
        stats.duplicates += result.duplicates;
        stats.hits += result.hits;
      }
      cursor = end;
      watchedSince = end;
    } catch (error) {
      // Sent again next tick: what was stored comes back as duplicates.
      stats.failedBatches++;
      if (Date.now() - lastFailureLog > 60_000) {
        lastFailureLog = Date.now();
        options.log?.(`demo traffic: a batch of captures was not accepted (${(error as Error).message}); retrying`);
      }
    }
  }

  running = tick();
  const timer = setInterval(() => {
    if (!stopped) running = running.then(tick);
  }, options.tickSeconds * 1000);
  timer.unref();
  return {
    stats,
    /** Resolves once the history has been sent (or failed to be). */
    started: running,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
