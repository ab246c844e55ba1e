import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { startOsmAndServer } from '../ingest/osmand-server.js';
import { areaContains, osmandQuery, pickAcrossCounties, RangerWalk, type SimulatedDevice, startSimulation } from './simulate.js';
import { simulatedDevicesFromDatabase } from './simulate-commands.js';

describe('the live simulator', () => {
  let t: TestApp;
  let osmand: Awaited<ReturnType<typeof startOsmAndServer>>;
  let devices: SimulatedDevice[];
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    osmand = await startOsmAndServer(t.network.ingest, { port: 0, host: '127.0.0.1', logger: false });
    baseUrl = `http://127.0.0.1:${osmand.port}/`;
    devices = pickAcrossCounties(await simulatedDevicesFromDatabase(t.database.db), 4);
  });
  afterAll(async () => {
    await osmand?.server.close();
    await t?.close();
  });

  it('finds the demo phones with their rangers’ grids, spread over the counties', () => {
    expect(devices).toHaveLength(4);
    expect(new Set(devices.map((d) => d.countyKey)).size).toBe(4);
    for (const d of devices) {
      expect(d.uniqueId).toMatch(/^YX\d{10}$/);
      expect(d.gridArea.type).toBe('MultiPolygon');
    }
  });

  it('walks rangers through the OsmAnd port at walking speed, never out of their grids', async () => {
    const walkers = devices.slice(0, 3);
    const simulation = startSimulation({ baseUrl, devices: walkers, intervalSeconds: 1, sosPerHour: 0 });
    // Three rounds of the three walkers (or a failure, which the test then names).
    await expect.poll(() => simulation.stats.stored + simulation.stats.failed, { timeout: 20_000 }).toBeGreaterThanOrEqual(9);
    await simulation.stop();
    expect(simulation.stats.failed).toBe(0);
    expect(simulation.stats.stored).toBeGreaterThanOrEqual(9);

    const { rows } = await t.database.pool.query<{ unique_id: string; in_assigned_area: boolean; speed: number; fixes: number }>(
      `SELECT d.unique_id, p.in_assigned_area, p.speed
       FROM positions p JOIN devices d ON d.id = p.device_id
       WHERE d.unique_id = ANY($1) ORDER BY d.unique_id, p.fix_time`,
      [walkers.map((d) => d.uniqueId)],
    );
    expect(rows.length).toBe(simulation.stats.stored);
    expect(new Set(rows.map((r) => r.unique_id))).toEqual(new Set(walkers.map((d) => d.uniqueId)));
    for (const row of rows) {
      expect(row.in_assigned_area).toBe(true);
      expect(row.speed).toBeGreaterThanOrEqual(0);
      expect(row.speed).toBeLessThanOrEqual(1.6);
    }
  });

  it('raises an SOS alert when a simulated ranger presses SOS', async () => {
    const ranger = devices[3];
    const simulation = startSimulation({ baseUrl, devices: [ranger], intervalSeconds: 0.5, sosPerHour: 1_000_000 });
    await expect.poll(() => simulation.stats.sos, { timeout: 10_000 }).toBeGreaterThan(0);
    await simulation.stop();
    expect(simulation.stats.sos).toBeGreaterThan(0);
    const res = await t.get('duty', `/api/alerts?kind=sos&rangerId=${ranger.rangerId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([expect.objectContaining({ kind: 'sos', rangerId: ranger.rangerId })]);
  });

  it('keeps a long walk inside a grid, at 0.8–1.5 m/s between rests', () => {
    const area = devices[0].gridArea;
    const walk = new RangerWalk('YX0', area, Math.random);
    const before = walk.battery;
    let walking = 0;
    let outside = 0;
    for (let i = 0; i < 2_000; i++) {
      const fix = walk.step(Date.now() + i * 30_000, 30, false);
      const knots = Number(osmandQuery(fix).get('speed'));
      expect(knots * (1852 / 3600)).toBeLessThanOrEqual(1.51);
      if (fix.speedMps > 0) {
        expect(fix.speedMps).toBeGreaterThanOrEqual(0.8);
        walking++;
      }
      if (!areaContains(area, fix.lon, fix.lat)) outside++;
    }
    expect(outside).toBe(0);
    expect(walking).toBeGreaterThan(1_000);
    expect(walk.battery).not.toBe(before);
  });
});
