import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { startMqttIngest } from './mqtt.js';

// Mosquitto runs on this machine (and in CI); MQTT_TEST_URL points elsewhere.
const BROKER = process.env.MQTT_TEST_URL ?? 'mqtt://127.0.0.1:1883';
let t: TestApp;
let stop: () => Promise<void>;
const clientId = `safeforest-test-${process.pid}-${Date.now()}`;
const subscribe = () => startMqttIngest(t.network.ingest, { url: BROKER, clientId, log: { info: () => {}, warn: () => {} } });

beforeAll(async () => {
  t = await createTestApp();
  // OwnTracks over MQTT carries no device key: these demo phones report as keyless devices.
  await t.makeKeyless('YX5304020001', 'YX5304030001');
  stop = (await subscribe()).stop;
});
afterAll(async () => {
  await stop?.();
  await t.close();
});

async function publish(topic: string, payload: unknown) {
  const client = await mqtt.connectAsync(BROKER);
  await client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
  await client.endAsync();
}

const storedAt = async (uniqueId: string, at: Date) =>
  (
    await t.database.pool.query(
      'SELECT p.speed FROM positions p JOIN devices d ON d.id = p.device_id WHERE d.unique_id = $1 AND p.fix_time = $2',
      [uniqueId, at],
    )
  ).rows;

describe('MQTT', () => {
  it('an OwnTracks publish on owntracks/<user>/<device> is stored for the device of the last topic level and reaches the map', async () => {
    const map = await t.listen('hongta', ['positions']);
    const tst = Math.floor(Date.now() / 1000) - 7;
    await publish('owntracks/lijianhua/YX5304020001', { _type: 'location', lat: 24.35, lon: 102.55, tst, vel: 18, tid: 'LJ' });
    await expect.poll(() => storedAt('YX5304020001', new Date(tst * 1000)), { timeout: 10_000 }).toHaveLength(1);
    expect((await storedAt('YX5304020001', new Date(tst * 1000)))[0].speed).toBeCloseTo(5, 5);
    // The command map's live feed: the county office's socket gets the new position.
    await expect
      .poll(() => map.received.find((m) => m.type === 'position' && m.uniqueId === 'YX5304020001'), { timeout: 5_000 })
      .toMatchObject({ type: 'position', uniqueId: 'YX5304020001', lon: 102.55, lat: 24.35 });
    map.close();
  });

  it('a JSON batch on safeforest/positions is stored', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 11_000);
    await publish('safeforest/positions', [{ uniqueId: 'YX5304030001', fixTime: at.toISOString(), lon: 102.75, lat: 24.29 }]);
    await expect.poll(() => storedAt('YX5304030001', at), { timeout: 10_000 }).toHaveLength(1);
  });

  it('a message published while SafeForest was away is delivered when it comes back (persistent session, QoS 1)', async () => {
    await stop();
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 13_000);
    await publish('safeforest/positions', [{ uniqueId: 'YX5304030001', fixTime: at.toISOString(), lon: 102.75, lat: 24.29 }]);
    expect(await storedAt('YX5304030001', at)).toHaveLength(0);
    stop = (await subscribe()).stop;
    await expect.poll(() => storedAt('YX5304030001', at), { timeout: 10_000 }).toHaveLength(1);
  });
});
