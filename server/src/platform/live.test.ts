import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { demoDeviceKey } from '../seed/rangers.js';
import { DEMO_PASSWORD } from '../seed/seed.js';
import { SESSION_COOKIE } from './http.js';
import { SESSION_ENDED_CLOSE } from './live.js';

let t: TestApp;
const PHONE = 'YX5304020001'; // ranger1's ranger, in 红塔区

/** A new session of the account, apart from the harness's shared one (these tests end sessions). */
async function freshSession(username: string): Promise<string> {
  const res = await t.request(null, { method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `${SESSION_COOKIE}=${res.cookies.find((c) => c.name === SESSION_COOKIE)?.value}`;
}

/** Creates a site in 红塔区: a `sites` event every demo account of 红塔区 may receive, sent after whatever came before. */
async function siteEvent(name: string) {
  const hongta = await t.unit('530402');
  const res = await t.post('hongta', '/api/sites', {
    kind: 'police_post',
    name,
    orgUnitId: hongta.id,
    location: { type: 'Point', coordinates: [102.55, 24.35] },
  });
  expect(res.statusCode, res.body).toBe(201);
}

beforeAll(async () => {
  t = await createTestApp({ liveSessionCheckMs: 200 });
});
afterAll(() => t.close());

describe('live topics follow the permissions of their routes', () => {
  it('checkpoint staff cannot subscribe to positions or alerts and receive no SOS; the duty officer does', async () => {
    const checkpoint = await t.listen('checkpoint1', ['positions', 'alerts', 'sites']);
    const duty = await t.listen('duty', ['positions', 'alerts', 'sites']);
    expect(checkpoint.received).toEqual([
      expect.objectContaining({
        type: 'error',
        code: 'forbidden',
        topics: ['positions', 'alerts'],
        message: expect.stringMatching(/positions.*positions:read/),
      }),
    ]);
    expect((await t.get('checkpoint1', '/api/positions/live')).statusCode).toBe(403);

    const sos = await t.get(
      null,
      `/api/ingest/osmand?id=${PHONE}&key=${demoDeviceKey(PHONE)}&lat=24.35&lon=102.55&timestamp=${new Date().toISOString()}&alarm=sos`,
    );
    expect(sos.statusCode).toBe(200);
    await expect.poll(() => duty.received.some((m) => m.type === 'alert')).toBe(true);
    await expect.poll(() => duty.received.some((m) => m.type === 'position'), { timeout: 3_000 }).toBe(true);
    // The site event is published after the SOS: once it has arrived, nothing of the SOS can still come.
    await siteEvent('live-permission-control');
    await expect.poll(() => checkpoint.received.some((m) => m.type === 'site.created')).toBe(true);
    expect(checkpoint.received.filter((m) => m.topic === 'positions' || m.topic === 'alerts')).toEqual([]);
    checkpoint.close();
    duty.close();
  });

  it('an unknown topic is named in the answer', async () => {
    const socket = await t.listen('hongta', ['sites', 'weather']);
    expect(socket.received).toEqual([expect.objectContaining({ type: 'error', code: 'unknown_topic', topics: ['weather'] })]);
    socket.close();
  });
});

describe('a socket closes when its session ends', () => {
  it('on sign-out', async () => {
    const cookie = await freshSession('tonghai');
    const socket = await t.listen('tonghai', ['sites'], cookie);
    const res = await t.request(null, { method: 'POST', url: '/api/auth/logout', headers: await t.sessionHeaders(cookie) });
    expect(res.statusCode).toBe(204);
    expect(await socket.closed).toEqual(SESSION_ENDED_CLOSE);
  });

  it('on a password change, also the sockets of the user’s other sessions; a socket of another user stays open', async () => {
    const first = await freshSession('huaning');
    const second = await freshSession('huaning');
    const socket = await t.listen('huaning', ['sites'], first);
    const bystander = await t.listen('liaison1', ['sites']);
    const res = await t.request(null, {
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: second },
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'Another-Password-2026' },
    });
    expect(res.statusCode).toBe(200);
    expect(await socket.closed).toEqual(SESSION_ENDED_CLOSE);
    await siteEvent('after-password-change');
    await expect.poll(() => bystander.received.some((m) => m.type === 'site.created')).toBe(true);
    bystander.close();
  });

  it('when the session expires', async () => {
    const cookie = await freshSession('eshan');
    const socket = await t.listen('eshan', ['sites'], cookie);
    await t.database.pool.query(
      "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE username = 'eshan')",
    );
    expect(await socket.closed).toEqual(SESSION_ENDED_CLOSE);
  });

  it('when the account is disabled', async () => {
    const cookie = await freshSession('xinping');
    const socket = await t.listen('xinping', ['sites'], cookie);
    await t.database.pool.query("UPDATE users SET active = false WHERE username = 'xinping'");
    expect(await socket.closed).toEqual(SESSION_ENDED_CLOSE);
  });
});

describe('the origin of the socket', () => {
  it('a page of another site cannot open it with the visitor’s cookie; this site can', async () => {
    const cookie = await t.sessionOf('hongta');
    await expect(t.app.injectWS('/api/live', { headers: { cookie, origin: 'https://evil.example' } })).rejects.toThrow(/403/);
    await expect(t.app.injectWS('/api/live', { headers: { cookie, origin: 'null' } })).rejects.toThrow(/403/);
    const same = await t.app.injectWS('/api/live', { headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80' } });
    same.terminate();
  });
});
