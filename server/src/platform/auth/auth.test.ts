import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { DEMO_PASSWORD } from '../../seed/seed.js';
import { SESSION_COOKIE } from '../http.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const signIn = (username: string, password: string) => t.post(null, '/api/auth/login', { username, password });

describe('signing in', () => {
  it('sets an httpOnly, SameSite session cookie whose value is not stored in clear', async () => {
    const res = await signIn('hongta', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const { rows } = await t.database.pool.query('SELECT count(*)::int AS n FROM sessions WHERE token_hash = $1', [cookie?.value]);
    expect(rows[0].n).toBe(0);
  });

  it('answers 401 to a wrong password and to an unknown user alike', async () => {
    const wrong = await signIn('tonghai', 'not-the-password');
    const unknown = await signIn('nobody', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe(unknown.json().error.code);
  });

  it('stores passwords as argon2id hashes', async () => {
    const { rows } = await t.database.pool.query("SELECT password_hash FROM users WHERE username = 'admin'");
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('locks the account for 15 minutes after five failures, and audits each step', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn('huaning', 'wrong-password')).json().error.code).toBe('invalid_credentials');
    const fifth = await signIn('huaning', 'wrong-password');
    expect(fifth.json().error.code).toBe('account_locked');
    const locked = await signIn('huaning', DEMO_PASSWORD);
    expect(locked.statusCode).toBe(401);
    expect(locked.json().error.code).toBe('account_locked');
    const until = new Date(locked.json().error.details.lockedUntil).getTime();
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    const { rows } = await t.database.pool.query(
      "SELECT action, count(*)::int AS n FROM audit_log WHERE actor_name = 'huaning' GROUP BY action ORDER BY action",
    );
    expect(rows).toEqual([
      { action: 'auth.locked', n: 1 },
      { action: 'auth.sign_in_failed', n: 5 },
      { action: 'auth.sign_in_refused_locked', n: 1 },
    ]);
  });

  it('rejects a malformed sign-in body with the field', async () => {
    const res = await t.post(null, '/api/auth/login', { username: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.username', 'body.password']);
  });
});

describe('the session', () => {
  it('tells the signed-in user who they are and what they may do', async () => {
    const me = (await t.get('hongta', '/api/auth/me')).json();
    expect(me).toMatchObject({ username: 'hongta', orgUnit: { name: '红塔区', kind: 'county' }, roles: [{ id: 'county_office' }] });
    expect(me.permissions).toEqual(expect.arrayContaining(['sites:read', 'sites:write']));
    expect((await t.get('duty', '/api/auth/me')).json().permissions).not.toContain('sites:write');
  });

  it('signing out ends the session', async () => {
    const res = await signIn('yimen', DEMO_PASSWORD);
    const cookie = `${SESSION_COOKIE}=${res.cookies.find((c) => c.name === SESSION_COOKIE)?.value}`;
    const headers = { cookie };
    expect((await t.request(null, { method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(200);
    const logout = { method: 'POST' as const, url: '/api/auth/logout', headers: await t.sessionHeaders(cookie) };
    expect((await t.request(null, logout)).statusCode).toBe(204);
    expect((await t.request(null, { method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(401);
  });

  it('changing the password needs the current one and signs out other sessions', async () => {
    const first = await t.sessionOf('eshan');
    const res = await signIn('eshan', DEMO_PASSWORD);
    const second = `${SESSION_COOKIE}=${res.cookies.find((c) => c.name === SESSION_COOKIE)?.value}`;
    const wrong = await t.request(null, {
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: second },
      payload: { currentPassword: 'nope', newPassword: 'NewPassword123' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0].path).toBe('body.currentPassword');
    const short = await t.request(null, {
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: second },
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'short' },
    });
    expect(short.json().error.details[0].path).toBe('body.newPassword');
    const ok = await t.request(null, {
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: second },
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'NewPassword123' },
    });
    expect(ok.statusCode).toBe(200);
    expect((await t.request(null, { method: 'GET', url: '/api/auth/me', headers: { cookie: first } })).statusCode).toBe(401);
    expect((await signIn('eshan', 'NewPassword123')).statusCode).toBe(200);
  });
});

describe('the audit log', () => {
  it('administrators browse it with filters; others without audit:read are refused', async () => {
    const res = await t.get('admin', '/api/audit?action=auth.sign_in&limit=5');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.every((r: { action: string }) => r.action === 'auth.sign_in')).toBe(true);
    expect((await t.get('hongta', '/api/audit')).statusCode).toBe(403);
    expect((await t.get('admin', '/api/audit?limit=0')).json().error.details[0].path).toBe('querystring.limit');
  });
});
