import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { DEMO_PASSWORD } from '../../seed/seed.js';
import { SESSION_COOKIE } from '../http.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const session = (cookie?: string) => t.request(null, { method: 'GET', url: '/api/auth/session', headers: cookie ? { cookie } : {} });

describe('the session check of a page load', () => {
  it('answers 200 "not signed in" to a visitor without a session, and to an unknown or ended one', async () => {
    for (const cookie of [undefined, `${SESSION_COOKIE}=not-a-session`]) {
      const res = await session(cookie);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ signedIn: false, me: null });
    }
    const login = await t.post(null, '/api/auth/login', { username: 'eshan', password: DEMO_PASSWORD });
    const cookie = `${SESSION_COOKIE}=${login.cookies.find((c) => c.name === SESSION_COOKIE)?.value}`;
    expect((await session(cookie)).json().signedIn).toBe(true);
    expect((await t.request(null, { method: 'POST', url: '/api/auth/logout', headers: await t.sessionHeaders(cookie) })).statusCode).toBe(
      204,
    );
    expect((await session(cookie)).json()).toEqual({ signedIn: false, me: null });
  });

  it('tells a signed-in user who they are, as /api/auth/me does', async () => {
    const res = await t.get('hongta', '/api/auth/session');
    expect(res.statusCode).toBe(200);
    const me = (await t.get('hongta', '/api/auth/me')).json();
    expect(res.json()).toEqual({ signedIn: true, me });
    expect(me.orgUnit.name).toBe('红塔区');
  });
});
