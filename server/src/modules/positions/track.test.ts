import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatrol } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { demoDeviceKey } from '../../seed/rangers.js';

/**
 * A ranger who carries the demo phone and also has a tracker, left at the station 3 km away:
 * both report every 10 s, interleaved. The phone walks 20 minutes at 1.2 m/s (1.44 km); it also
 * sends one glitch 5 km off and one fix with 500 m accuracy.
 */
let t: TestApp;
const PHONE = 'YX5304020001';
const TRACKER = 'TRACKER-TRACK-1';
const M_PER_DEG_LAT = 110_574;
let rangerId: string;
let start: [number, number];
let station: [number, number];
let trackerKey: string;
/** The walk begins at five past the hour, three hours ago: inside one CST day and month. */
const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000 + 5 * 60_000;
const WALK_S = 1_200;
const SPEED = 1.2;
const cstMonth = new Date(base + 8 * 3_600_000).toISOString().slice(0, 7);
const cstDate = new Date(base + 8 * 3_600_000).toISOString().slice(0, 10);

const mPerDegLon = (lat: number) => 111_320 * Math.cos((lat * Math.PI) / 180);
const phoneAt = (s: number): [number, number] => [start[0] + (SPEED * s) / mPerDegLon(start[1]), start[1]];

async function sendBatch(items: object[]) {
  for (let i = 0; i < items.length; i += 500) {
    const res = await t.post(null, '/api/ingest/positions', items.slice(i, i + 500));
    expect(res.json().rejected).toEqual([]);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  rangerId = await t.rangerIdOf('ranger1');
  start = await t.pointIn('53040200101');
  station = [start[0], start[1] + 3_000 / M_PER_DEG_LAT];
  const tracker = await t.post('hongta', '/api/devices', {
    uniqueId: TRACKER,
    name: '定位器',
    kind: 'tracker',
    rangerId,
    generateKey: true,
  });
  expect(tracker.statusCode).toBe(201);
  trackerKey = tracker.json().key;
  // The tracker was handed to the ranger long before the walk (the API binds from now on).
  await t.database.pool.query("UPDATE device_bindings SET valid_from = '2020-01-01' WHERE device_id = $1", [tracker.json().id]);
  t.network.directory.invalidate(TRACKER);

  const phoneKey = demoDeviceKey(PHONE);
  const items: object[] = [];
  for (let s = 0; s <= WALK_S; s += 10) {
    const [lon, lat] = phoneAt(s);
    const glitch = s === 600;
    items.push({
      uniqueId: PHONE,
      key: phoneKey,
      fixTime: new Date(base + s * 1000).toISOString(),
      lon: glitch ? lon + 5_000 / mPerDegLon(lat) : lon,
      lat,
      accuracy: s === 900 ? 500 : 8,
    });
  }
  // Accuracy 500 m, 1 km south: left out of the track.
  items.push({
    uniqueId: PHONE,
    key: phoneKey,
    fixTime: new Date(base + 905_000).toISOString(),
    lon: start[0],
    lat: start[1] - 0.01,
    accuracy: 500,
  });
  // The tracker at the station, from the start until 15 minutes after the phone fell silent.
  for (let s = 5; s <= WALK_S + 900; s += 10) {
    items.push({
      uniqueId: TRACKER,
      key: trackerKey,
      fixTime: new Date(base + s * 1000).toISOString(),
      lon: station[0],
      lat: station[1],
      accuracy: 5,
    });
  }
  await createPatrol(t, { rangerId, startedAt: new Date(base - 60_000) });
  await sendBatch(items);
});
afterAll(() => t.close());

describe('a ranger’s track comes from one source at a time, without impossible jumps', () => {
  it('an active patrol’s track so far and its distance are the phone’s walk', async () => {
    const current = (await t.get('hongta', `/api/patrols?rangerId=${rangerId}&state=active`)).json().items[0];
    const detail = (await t.get('hongta', `/api/patrols/${current.id}`)).json();
    // Hundreds of km of zigzag between the station and the ranger before; the walk is 1.44 km, and
    // the switch to the tracker covers no distance (where the ranger went in between is unknown).
    expect(detail.distanceM).toBeGreaterThan(1_380);
    expect(detail.distanceM).toBeLessThan(1_500);
    // The phone's walk, then (once the phone has been silent for the gap) the tracker: one switch, no zigzag.
    const atStation = detail.track.coordinates.map(([, lat]: [number, number]) => Math.abs(lat - station[1]) < 1e-6);
    const switches = atStation.filter((s: boolean, i: number) => i > 0 && s !== atStation[i - 1]).length;
    expect(atStation[0]).toBe(false);
    expect(switches).toBe(1);
  });

  it('the ended patrol stores that track and distance; the month’s km and coverage agree', async () => {
    const current = (await t.get('hongta', `/api/patrols?rangerId=${rangerId}&state=active`)).json().items[0];
    const ended = await t.post('ranger1', `/api/patrols/${current.id}/end`, { at: new Date(base + (WALK_S + 60) * 1000).toISOString() });
    expect(ended.statusCode).toBe(200);
    const stored = (await t.get('hongta', `/api/patrols/${current.id}`)).json();
    expect(stored.distanceM).toBeGreaterThan(1_380);
    expect(stored.distanceM).toBeLessThan(1_500);
    const lons = stored.track.coordinates.map(([lon]: [number, number]) => lon);
    expect(Math.max(...lons)).toBeLessThan(phoneAt(WALK_S)[0] + 1e-6);
    expect(Math.max(...stored.track.coordinates.map(([, lat]: [number, number]) => lat))).toBeLessThan(start[1] + 1e-6);

    const figures = (await t.get('hongta', `/api/performance/rangers?month=${cstMonth}`))
      .json()
      .items.find((r: { rangerId: string }) => r.rangerId === rangerId);
    expect(figures.patrolKm).toBeGreaterThan(1.38);
    expect(figures.patrolKm).toBeLessThan(1.5);
    // A 1.44 km line east crosses 3 or 4 cells of ~500 m; the station's cell counts once the tracker filled in, the glitch's never.
    expect(figures.visitedCells).toBeGreaterThanOrEqual(3);
    expect(figures.visitedCells).toBeLessThanOrEqual(6);
  });

  it('the day track takes the tracker only after the phone has been silent for the gap', async () => {
    const day = (await t.get('hongta', `/api/rangers/${rangerId}/track?date=${cstDate}`)).json();
    const times: string[] = day.properties.times;
    const coordinates: [number, number][] = day.geometry.type === 'LineString' ? day.geometry.coordinates : day.geometry.coordinates.flat();
    const fromStation = times.filter((_, i) => Math.abs(coordinates[i][1] - station[1]) < 1e-6);
    expect(fromStation.length).toBeGreaterThan(0);
    const phoneSilentFrom = base + WALK_S * 1000;
    for (const time of fromStation) expect(Date.parse(time)).toBeGreaterThan(phoneSilentFrom + 300_000);
    // Nothing 5 km east (the glitch) nor 1 km south (the inaccurate fix).
    expect(coordinates.every(([lon, lat]) => lon < phoneAt(WALK_S)[0] + 1e-6 && lat > start[1] - 1e-6)).toBe(true);
  });
});
