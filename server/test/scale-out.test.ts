import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, QUIET_APP_CONFIG } from '../src/app.js';
import { openDatabase } from '../src/db/connection.js';
import { startEventBridge } from '../src/platform/event-bridge.js';
import { demoDeviceKey } from '../src/seed/rangers.js';
import { testDatabaseMode } from './databases.js';
import { createTestApp, type TestApp } from './harness.js';

/**
 * Two SafeForest instances on one PostgreSQL: an alert raised through one reaches a viewer
 * connected to the other, through LISTEN/NOTIFY. (The embedded database serves one process, so
 * this runs in the PostgreSQL suite.)
 */
describe.runIf(testDatabaseMode() === 'postgres')('two instances on one PostgreSQL', () => {
  let a: TestApp;
  let b: Awaited<ReturnType<typeof buildApp>>;
  let closeB: () => Promise<void>;
  let bridges: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    a = await createTestApp();
    const database = await openDatabase({ databaseUrl: a.database.url, dataDir: '' });
    b = await buildApp(QUIET_APP_CONFIG, database);
    await b.app.ready();
    closeB = async () => {
      await b.app.close();
      await database.close();
    };
    const log = { info: () => {}, warn: () => {} };
    bridges = [await startEventBridge(a.database.url, a.events, log), await startEventBridge(a.database.url, b.events, log)];
  });

  afterAll(async () => {
    for (const bridge of bridges) await bridge.stop();
    await closeB?.();
    await a?.close();
  });

  it('an SOS received by instance A reaches the duty officer connected to instance B', async () => {
    const login = await b.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'duty', password: 'SafeForest2026' } });
    const cookie = `sf_session=${login.cookies.find((c) => c.name === 'sf_session')?.value}`;
    const socket = await b.app.injectWS('/api/live', { headers: { cookie } });
    const received: { type: string; kind?: string; uniqueId?: string }[] = [];
    await new Promise<void>((resolve) => {
      socket.on('message', (raw: Buffer) => {
        const message = JSON.parse(raw.toString());
        if (message.type === 'subscribed') resolve();
        else received.push(message);
      });
      socket.send(JSON.stringify({ type: 'subscribe', topics: ['alerts', 'positions'] }));
    });
    const res = await a.get(
      null,
      `/api/ingest/osmand?id=YX5304250001&key=${demoDeviceKey('YX5304250001')}&lat=24.67&lon=102.16&timestamp=${new Date().toISOString()}&alarm=sos`,
    );
    expect(res.statusCode).toBe(200);
    await expect.poll(() => received.find((m) => m.type === 'alert'), { timeout: 5_000 }).toMatchObject({ type: 'alert', kind: 'sos' });
    await expect.poll(() => received.find((m) => m.type === 'position'), { timeout: 5_000 }).toMatchObject({ uniqueId: 'YX5304250001' });
    socket.terminate();
  });

  it('a device registered through one instance is accepted by the other at once', async () => {
    const sendToB = async () =>
      (await b.app.inject({ method: 'GET', url: '/api/ingest/osmand?id=SCALE-OUT-1&lat=24.67&lon=102.16' })).statusCode;
    expect(await sendToB()).toBe(400);
    const created = await a.post('yimen', '/api/devices', { uniqueId: 'SCALE-OUT-1', name: '跨实例终端' });
    expect(created.statusCode).toBe(201);
    // B remembers the identity as unknown for 30 s; the change relayed from A clears that.
    await expect.poll(sendToB, { timeout: 5_000 }).toBe(200);
  });
});
