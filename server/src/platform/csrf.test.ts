import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { demoDeviceKey } from '../seed/rangers.js';
import { DEMO_PASSWORD } from '../seed/seed.js';
import { CSRF_HEADER } from './csrf.js';
import { SESSION_COOKIE } from './http.js';

let t: TestApp;
const PHONE = 'YX5304020001'; // ranger1's ranger
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const EVIL = 'https://evil.example';

/** A new session (these tests sign out). */
async function freshSession(username: string): Promise<string> {
  const res = await t.request(null, { method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(res.statusCode).toBe(200);
  return `${SESSION_COOKIE}=${res.cookies.find((c) => c.name === SESSION_COOKIE)?.value}`;
}

function multipart(data: Buffer) {
  const boundary = '----cross-site';
  return {
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.png"\r\nContent-Type: image/png\r\n\r\n`),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** What a page of another site can make a browser send with the victim's cookie: a form or a "simple" fetch. */
function forged(cookie: string, url: string, kind: 'form' | 'text' | 'multipart' | 'empty', origin?: string): InjectOptions {
  const headers: Record<string, string> = { cookie, ...(origin ? { origin } : {}) };
  if (kind === 'form')
    return { method: 'POST', url, payload: 'note=x', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } };
  if (kind === 'text') return { method: 'POST', url, payload: '{"note":"x"}', headers: { ...headers, 'content-type': 'text/plain' } };
  if (kind === 'multipart') {
    const { payload, contentType } = multipart(PNG);
    return { method: 'POST', url, payload, headers: { ...headers, 'content-type': contentType } };
  }
  return { method: 'POST', url, headers };
}

let alertId: string;
let patrolId: string;

beforeAll(async () => {
  t = await createTestApp();
  const sos = await t.get(
    null,
    `/api/ingest/osmand?id=${PHONE}&key=${demoDeviceKey(PHONE)}&lat=24.35&lon=102.55&timestamp=${new Date().toISOString()}&alarm=sos`,
  );
  expect(sos.statusCode).toBe(200);
  alertId = (await t.get('duty', '/api/alerts?state=open&kind=sos')).json().items[0].id;
  const patrol = await t.post('ranger1', '/api/patrols/start', {});
  expect(patrol.statusCode, patrol.body).toBe(201);
  patrolId = patrol.json().id;
});
afterAll(() => t.close());

describe('a page of another site cannot act with the visitor’s session', () => {
  it('acknowledging an alert, ending a patrol, uploading and signing out are refused 403 from forms, text and multipart', async () => {
    const duty = await t.sessionOf('duty');
    const ranger = await t.sessionOf('ranger1');
    const attempts: [string, string, 'form' | 'text' | 'multipart' | 'empty'][] = [
      [duty, `/api/alerts/${alertId}/acknowledge`, 'form'],
      [duty, `/api/alerts/${alertId}/acknowledge`, 'text'],
      [ranger, `/api/patrols/${patrolId}/end`, 'form'],
      [ranger, `/api/patrols/${patrolId}/end`, 'empty'],
      [ranger, '/api/files', 'multipart'],
      [duty, '/api/auth/logout', 'empty'],
      [duty, '/api/auth/logout', 'form'],
    ];
    for (const [cookie, url, kind] of attempts) {
      // A browser says where the request comes from…
      const fromEvil = await t.request(null, forged(cookie, url, kind, EVIL));
      expect([url, kind, fromEvil.statusCode, fromEvil.json().error.code]).toEqual([url, kind, 403, 'cross_site_request']);
      // …and without that, the request still lacks the token a foreign page cannot read.
      const anonymous = await t.request(null, forged(cookie, url, kind));
      expect([url, kind, anonymous.statusCode, anonymous.json().error.code]).toEqual([url, kind, 403, 'csrf_token_required']);
    }
    // Nothing happened.
    expect((await t.get('duty', `/api/alerts/${alertId}`)).json().state).toBe('new');
    expect((await t.get('duty', '/api/auth/me')).statusCode).toBe(200);
    expect((await t.get('ranger1', '/api/patrols/current')).json().patrol).toMatchObject({ id: patrolId });
  });

  it('a JSON request from another site is refused by its Origin, and so is a Referer of another site', async () => {
    const duty = await t.sessionOf('duty');
    const url = `/api/alerts/${alertId}/acknowledge`;
    const json = { 'content-type': 'application/json', cookie: duty };
    expect((await t.request(null, { method: 'POST', url, payload: '{}', headers: { ...json, origin: EVIL } })).statusCode).toBe(403);
    expect((await t.request(null, { method: 'POST', url, payload: '{}', headers: { ...json, referer: `${EVIL}/x` } })).statusCode).toBe(
      403,
    );
    expect((await t.request(null, { method: 'POST', url, payload: '{}', headers: { ...json, origin: 'null' } })).statusCode).toBe(403);
  });

  it('signing in from another site’s form is refused too (login CSRF)', async () => {
    const res = await t.request(null, {
      method: 'POST',
      url: '/api/auth/login',
      payload: `username=duty&password=${DEMO_PASSWORD}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_token_required');
  });

  it('device ingest does not use the cookie and is not guarded', async () => {
    const res = await t.request(null, {
      method: 'POST',
      url: '/api/ingest/osmand',
      payload: `id=${PHONE}&key=${demoDeviceKey(PHONE)}&lat=24.35&lon=102.55&timestamp=${Date.now()}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL, cookie: await t.sessionOf('duty') },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('the web client’s way succeeds', () => {
  it('JSON from this site, and the token for an upload and bodyless requests', async () => {
    const origin = 'http://localhost:80';
    const host = 'localhost:80';
    const duty = await t.sessionHeaders(await t.sessionOf('duty'));
    const ack = await t.request(null, {
      method: 'POST',
      url: `/api/alerts/${alertId}/acknowledge`,
      payload: { note: '收到' },
      headers: { ...duty, origin, host },
    });
    expect(ack.statusCode, ack.body).toBe(200);

    const ranger = await t.sessionHeaders(await t.sessionOf('ranger1'));
    const { payload, contentType } = multipart(PNG);
    const upload = await t.request(null, {
      method: 'POST',
      url: '/api/files',
      payload,
      headers: { ...ranger, 'content-type': contentType, origin, host },
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const end = await t.request(null, { method: 'POST', url: `/api/patrols/${patrolId}/end`, headers: { ...ranger, origin, host } });
    expect(end.statusCode, end.body).toBe(200);

    const session = await freshSession('tonghai');
    const withToken = await t.sessionHeaders(session);
    expect(withToken[CSRF_HEADER]).toEqual(expect.any(String));
    // A token of one session is worth nothing with another.
    const other = await t.sessionHeaders(await t.sessionOf('hongta'));
    const mixed = await t.request(null, {
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: session, [CSRF_HEADER]: other[CSRF_HEADER] },
    });
    expect(mixed.statusCode).toBe(403);
    const logout = await t.request(null, { method: 'POST', url: '/api/auth/logout', headers: { ...withToken, origin, host } });
    expect(logout.statusCode).toBe(204);
    expect((await t.request(null, { method: 'GET', url: '/api/auth/me', headers: { cookie: session } })).statusCode).toBe(401);
  });
});
