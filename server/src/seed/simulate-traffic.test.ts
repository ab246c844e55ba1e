import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { plateProblem } from '../modules/watchlists/index.js';
import { DEMO_WATCHED_VEHICLES } from './demo-watchlists.js';
import { startDemoTraffic } from './simulate-commands.js';
import { demoFleet, passagesBetween, startTraffic, type TrafficCheckpoint, type TrafficPassage, tripsOfHour } from './simulate-traffic.js';

const HOUR = 3_600_000;
const CHECKPOINTS: TrafficCheckpoint[] = [
  { id: 'a', lon: 102.5, lat: 24.3 },
  { id: 'b', lon: 102.6, lat: 24.35 },
  { id: 'c', lon: 102.8, lat: 24.2 },
  { id: 'd', lon: 103.9, lat: 25.5 }, // over 100 km from the others: only ever a trip of its own
];
const WATCHED = { plate: '云F8K372', plateColor: 'yellow', vehicleType: '重型货车' } as const;
const options = { checkpoints: CHECKPOINTS, tripsPerHour: 50, watched: [{ vehicle: WATCHED, tripsPerHour: 3 }] };

describe('the demo road traffic', () => {
  const fleet = demoFleet();
  const tripsOf = (hour: number) => tripsOfHour(hour, options, fleet);

  it('drives a fixed fleet of 400 vehicles with plates a checkpoint would read', () => {
    expect(fleet).toHaveLength(400);
    expect(new Set(fleet.map((v) => v.plate)).size).toBe(400);
    expect(demoFleet()).toEqual(fleet);
    for (const v of fleet) {
      expect(plateProblem(v.plate)).toBeNull();
      expect(v.plate).toMatch(v.plateColor === 'green' ? /^云[FAGE][DF]\d{5}$/u : /^云[FAGE][A-Z0-9]{5}$/u);
      expect(v.plate.slice(2).replace(/\d/g, '').length).toBeLessThanOrEqual(2);
    }
    expect(fleet.filter((v) => v.plate.startsWith('云F')).length).toBeGreaterThan(280);
  });

  it('is a function of time: the same hour gives the same trips, and a span split in two gives the same passages', () => {
    const hour = Math.floor(Date.parse('2026-11-30T08:00:00Z') / HOUR) * HOUR;
    expect(tripsOfHour(hour, options, fleet)).toEqual(tripsOf(hour));
    expect(tripsOf(hour + HOUR)).not.toEqual(tripsOf(hour));
    const whole = passagesBetween(hour, hour + 3 * HOUR, tripsOf);
    const split = [...passagesBetween(hour, hour + 1.5 * HOUR, tripsOf), ...passagesBetween(hour + 1.5 * HOUR, hour + 3 * HOUR, tripsOf)];
    expect(split).toEqual(whole);
    expect(whole.length).toBeGreaterThan(100);
    expect([...whole].sort((a, b) => a.at.localeCompare(b.at))).toEqual(whole);
  });

  it('passes each checkpoint of a trip once, in time order, and never drives more than 60 km between two', () => {
    const hour = Math.floor(Date.parse('2026-11-30T08:00:00Z') / HOUR) * HOUR;
    const trips = tripsOf(hour);
    expect(trips).toHaveLength(53);
    expect(trips.filter((t) => t.watched).every((t) => t.vehicle.plate === WATCHED.plate)).toBe(true);
    for (const trip of trips) {
      const ids = trip.passages.map((p) => p.checkpointId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(1);
      expect(ids.length).toBeLessThanOrEqual(4);
      const times = trip.passages.map((p) => Date.parse(p.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      if (ids.includes('d')) expect(ids).toEqual(['d']);
    }
    expect(trips.some((t) => t.passages.length > 1)).toBe(true);
  });

  it('leaves a watched vehicle out before the given time, and only it', () => {
    const hour = Math.floor(Date.parse('2026-11-30T08:00:00Z') / HOUR) * HOUR;
    const all = passagesBetween(hour, hour + 4 * HOUR, tripsOf);
    const late = passagesBetween(hour, hour + 4 * HOUR, tripsOf, hour + 3 * HOUR);
    const watchedIn = (list: TrafficPassage[]) => list.filter((p) => p.plate === WATCHED.plate);
    expect(watchedIn(all).some((p) => Date.parse(p.at) <= hour + 3 * HOUR)).toBe(true);
    expect(watchedIn(late).every((p) => Date.parse(p.at) > hour + 3 * HOUR)).toBe(true);
    expect(late.length - watchedIn(late).length).toBe(all.length - watchedIn(all).length);
  });
});

describe('the demo road traffic on the app', () => {
  let t: TestApp;
  let apiUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    apiUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('pushes the last hours through the ingest route as the checkpoint platform account, and a restart stores nothing twice', async () => {
    const traffic = await startDemoTraffic({ db: t.database.db, apiUrl, log: (m) => expect.fail(m) });
    if (!traffic) throw new Error('the demo has checkpoints');
    await traffic.started;
    await traffic.stop();
    expect(traffic.stats.failedBatches).toBe(0);
    // About 300 trips an hour over 6 hours, most of them passing more than one checkpoint.
    expect(traffic.stats.stored).toBeGreaterThan(2_000);
    expect(traffic.stats.duplicates).toBe(0);

    const city = (await t.get('city', '/api/captures?pageSize=1')).json();
    expect(city.total).toBeGreaterThanOrEqual(Math.min(traffic.stats.stored, 1_000));
    const hongta = (await t.get('hongta', '/api/captures?pageSize=100')).json();
    expect(hongta.total).toBeGreaterThan(0);
    expect(hongta.total).toBeLessThan(city.total);
    expect(hongta.items.every((c: { countyCode: string }) => c.countyCode === '530402')).toBe(true);

    const again = await startDemoTraffic({ db: t.database.db, apiUrl, log: (m) => expect.fail(m) });
    await again?.started;
    await again?.stop();
    expect(again?.stats.stored).toBeLessThan(20); // only what passed in the seconds between the two
    expect(again?.stats.duplicates).toBeGreaterThanOrEqual(traffic.stats.stored - 20);
  });

  it('drives the demo watchlist’s vehicles into hits on that watchlist', async () => {
    const lists = (await t.get('duty', '/api/watchlists')).json();
    const demo = lists.items.find((w: { name: string }) => w.name.includes('演示'));
    expect(demo).toMatchObject({ state: 'approved' });
    const at = Date.now();
    const vehicles = DEMO_WATCHED_VEHICLES.map(({ plate, plateColor, vehicleType }) => ({
      vehicle: { plate, plateColor, vehicleType },
      tripsPerHour: 30,
    }));
    const checkpoints = (
      await t.database.pool.query<TrafficCheckpoint>(
        "SELECT id, ST_X(location) AS lon, ST_Y(location) AS lat FROM sites WHERE kind = 'timber_checkpoint' AND deleted_at IS NULL ORDER BY id",
      )
    ).rows;
    const traffic = startTraffic({
      checkpoints,
      tripsPerHour: 0,
      watched: vehicles,
      send: async (batch) => {
        const res = await t.post('kakou', '/api/ingest/captures', batch);
        if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
        return res.json();
      },
      historyHours: 2,
      tickSeconds: 3_600,
      now: () => at,
    });
    await traffic.started;
    await traffic.stop();
    expect(traffic.stats.failedBatches).toBe(0);
    // Only the last hour of history carries the watched vehicles.
    expect(traffic.stats.hits).toBe(traffic.stats.stored);
    expect(traffic.stats.hits).toBeGreaterThan(5);
    const hits = (await t.get('duty', `/api/watchlist-hits?watchlistId=${demo.id}&pageSize=100`)).json();
    // With those the first test's traffic raised.
    expect(hits.total).toBeGreaterThanOrEqual(traffic.stats.hits);
    const plates = new Set(hits.items.map((h: { plate: string }) => h.plate));
    expect(plates).toEqual(new Set(DEMO_WATCHED_VEHICLES.map((v) => v.plate)));
  });
});
