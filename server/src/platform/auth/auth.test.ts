import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { loadConfig } from '../../config.js';
import { DEMO_PASSWORD } from '../../seed/seed.js';
import { systemActor } from '../actor.js';
import { createAuditRepo } from '../audit/audit.repo.js';
import { createChangeRunner } from '../change.js';
import { EventBus } from '../events.js';
import { SESSION_COOKIE } from '../http.js';
import { createAuthRepo } from './auth.repo.js';
import { createAuthService } from './auth.service.js';
import { generatePassword, passwordWeakness } from './passwords.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const signIn = (username: string, password: string) => t.post(null, '/api/auth/login', { username, password });
/** A sign-in from a given client address. */
const signInFrom = (remoteAddress: string, username: string, password: string) =>
  t.request(null, { method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
const sessionCookie = (res: { cookies: { name: string; value: string }[] }) =>
  `${SESSION_COOKIE}=${res.cookies.find((c) => c.name === SESSION_COOKIE)?.value}`;
const changePassword = (cookie: string, remoteAddress: string, currentPassword: string, newPassword: string) =>
  t.request(null, {
    method: 'POST',
    url: '/api/auth/password',
    headers: { cookie },
    remoteAddress,
    payload: { currentPassword, newPassword },
  });
/** What a client can tell about an answer: status, the error and the wait asked for. */
const visible = (res: { statusCode: number; json: () => unknown; headers: Record<string, unknown> }) => ({
  status: res.statusCode,
  body: res.json(),
  retryAfter: res.headers['retry-after'],
});

describe('signing in', () => {
  it('sets an httpOnly, SameSite session cookie whose value is not stored in clear', async () => {
    const res = await signIn('hongta', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const { rows } = await t.database.pool.query('SELECT count(*)::int AS n FROM sessions WHERE token_hash = $1', [cookie?.value]);
    expect(rows[0].n).toBe(0);
  });

  it('stores passwords as argon2id hashes', async () => {
    const { rows } = await t.database.pool.query("SELECT password_hash FROM users WHERE username = 'admin'");
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('rejects a malformed sign-in body with the field', async () => {
    const res = await t.post(null, '/api/auth/login', { username: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.username', 'body.password']);
  });
});

describe('throttling failed sign-ins', () => {
  // The clock stands still unless a test moves it, so a slow run cannot outlast a delay.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('an attacker cannot lock the real user out: 50 failures elsewhere leave the right password working', async () => {
    // Ten addresses of a botnet, five guesses each: every one a counted failure (the old lock closed the account at 5).
    for (let host = 1; host <= 10; host++) {
      for (let i = 0; i < 5; i++) {
        expect((await signInFrom(`203.0.113.${host}`, 'huaning', `guess-${host}-${i}`)).json().error.code).toBe('invalid_credentials');
      }
    }
    // One address keeps going and is slowed down, not the account.
    const attacker = [];
    for (let i = 0; i < 3; i++) attacker.push((await signInFrom('203.0.113.99', 'huaning', `guess-${i}`)).statusCode);
    for (let i = 0; i < 5; i++) attacker.push((await signInFrom('203.0.113.1', 'huaning', `guess-${i}`)).statusCode);
    expect(attacker).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    const real = await signInFrom('198.51.100.7', 'huaning', DEMO_PASSWORD);
    expect(real.statusCode).toBe(200);
    const { rows } = await t.database.pool.query(
      "SELECT action, count(*)::int AS n FROM audit_log WHERE actor_name = 'huaning' GROUP BY action ORDER BY action",
    );
    expect(rows).toEqual([
      { action: 'auth.sign_in', n: 1 },
      { action: 'auth.sign_in_failed', n: 53 },
      { action: 'auth.throttled', n: 10 },
    ]);
  });

  it('answers an unknown username exactly like a wrong password, throttling included', async () => {
    const wrong = [];
    const unknown = [];
    for (let i = 0; i < 6; i++) {
      wrong.push(visible(await signInFrom('192.0.2.10', 'tonghai', 'not-the-password')));
      unknown.push(visible(await signInFrom('192.0.2.11', 'nobody-here', 'not-the-password')));
    }
    expect(unknown).toEqual(wrong);
    expect(wrong.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(wrong[0].body).toEqual({ error: { code: 'invalid_credentials', message: 'Wrong username or password' } });
    expect(wrong[5]).toMatchObject({
      body: { error: { code: 'too_many_attempts', details: { retryAfterSeconds: 15 } } },
      retryAfter: '15',
    });
  });

  it('makes each further failure wait longer, says how long in Retry-After, and forgets after the right password', async () => {
    const from = '192.0.2.20';
    for (let i = 0; i < 4; i++) expect((await signInFrom(from, 'jiangchuan', 'wrong')).statusCode).toBe(401);
    const waits: string[] = [];
    for (let round = 0; round < 4; round++) {
      expect((await signInFrom(from, 'jiangchuan', 'wrong')).statusCode).toBe(401);
      const refused = await signInFrom(from, 'jiangchuan', DEMO_PASSWORD);
      expect(refused.statusCode).toBe(429);
      waits.push(String(refused.headers['retry-after']));
      vi.setSystemTime(Date.now() + Number(refused.headers['retry-after']) * 1000);
    }
    expect(waits).toEqual(['15', '30', '60', '120']);
    expect((await signInFrom(from, 'jiangchuan', DEMO_PASSWORD)).statusCode).toBe(200);
    // The right password wiped the count: five failures are answered again before the wait.
    for (let i = 0; i < 5; i++) expect((await signInFrom(from, 'jiangchuan', 'wrong')).statusCode).toBe(401);
    expect((await signInFrom(from, 'jiangchuan', 'wrong')).statusCode).toBe(429);
  });

  it('holds a burst of parallel guesses to the same limit as guesses one after another', async () => {
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => signInFrom('192.0.2.25', 'tonghai', `parallel-${i}`)));
    const statuses = burst.map((res) => res.statusCode).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
  });

  it('counts only failures against an address: 21 sign-ins in a minute from one office all succeed', async () => {
    const office = '192.0.2.30';
    const answers = [];
    for (let i = 0; i < 21; i++)
      answers.push((await signInFrom(office, ['xinping', 'yuanjiang', 'chengjiang'][i % 3], DEMO_PASSWORD)).statusCode);
    expect(answers).toEqual(Array(21).fill(200));
  });

  it('caps failures per address and minute (LOGIN_FAILURES_PER_MINUTE), whatever the usernames', async () => {
    const from = '192.0.2.40';
    for (let i = 0; i < 20; i++) expect((await signInFrom(from, `sprayed-${i}`, 'Password1')).statusCode).toBe(401);
    const refused = await signInFrom(from, 'yimen', DEMO_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect((await signInFrom('192.0.2.41', 'yimen', DEMO_PASSWORD)).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + 60_000);
    expect((await signInFrom(from, 'yimen', DEMO_PASSWORD)).statusCode).toBe(200);
    // The limit is a setting: an app with 3 a minute refuses the fourth attempt.
    const strict = createAuthService({
      db: t.database.db,
      authRepo: createAuthRepo(),
      runChange: createChangeRunner({ db: t.database.db, auditRepo: createAuditRepo(), events: new EventBus() }),
      sessionHours: 1,
      loginFailuresPerMinute: 3,
    });
    for (let i = 0; i < 3; i++)
      await expect(strict.signIn(`sprayed-${i}`, 'Password1', '192.0.2.42')).rejects.toMatchObject({ statusCode: 401 });
    await expect(strict.signIn('yimen', DEMO_PASSWORD, '192.0.2.42')).rejects.toMatchObject({ statusCode: 429, code: 'too_many_attempts' });
    expect(loadConfig({ LOGIN_FAILURES_PER_MINUTE: '200' }).loginFailuresPerMinute).toBe(200);
    expect(loadConfig({}).loginFailuresPerMinute).toBe(20);
  });
});

describe('the password policy', () => {
  it('refuses short, common, repetitive and username passwords with the reason at body.newPassword', async () => {
    const cookie = sessionCookie(await signInFrom('192.0.2.50', 'chengjiang', DEMO_PASSWORD));
    const reasons: Record<string, unknown> = {};
    for (const candidate of ['12345678', 'aaaaaaaaaa', 'password123', 'Chengjiang', 'qwertyuiop123', 'abcdefghijk']) {
      const res = await changePassword(cookie, '192.0.2.50', DEMO_PASSWORD, candidate);
      expect(res.statusCode, candidate).toBe(400);
      expect(res.json().error.code).toBe('weak_password');
      expect(res.json().error.details[0]).toMatchObject({ path: 'body.newPassword', message: expect.any(String), minLength: 10 });
      reasons[candidate] = res.json().error.details[0].reason;
    }
    expect(reasons).toEqual({
      '12345678': 'too_short',
      aaaaaaaaaa: 'predictable',
      password123: 'common',
      Chengjiang: 'same_as_username',
      qwertyuiop123: 'common',
      abcdefghijk: 'predictable',
    });
    const tooShort = await changePassword(cookie, '192.0.2.50', DEMO_PASSWORD, '12345678');
    expect(tooShort.json().error.message).toBe('Too short: a password has at least 10 characters');
  });

  it('accepts the demo password and the generated ones', () => {
    expect(DEMO_PASSWORD).toHaveLength(14);
    expect(passwordWeakness(DEMO_PASSWORD, 'admin')).toBeNull();
    for (let i = 0; i < 20; i++) expect(passwordWeakness(generatePassword('admin'), 'admin')).toBeNull();
  });

  it('holds for accounts created or reset from the command line too', async () => {
    const { authService } = t.services;
    const root = await t.unit('530400');
    const actor = systemActor(root.path, root.id);
    const input = { username: 'wangli', displayName: '王力', orgUnitId: root.id, roleIds: ['county_office'] };
    await expect(authService.createUser(actor, { ...input, password: 'password123' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'weak_password',
      details: [{ path: 'password', reason: 'common' }],
    });
    await expect(authService.createUser(actor, { ...input, password: 'wangli' })).rejects.toMatchObject({
      details: [{ path: 'password', reason: 'too_short' }],
    });
    await authService.createUser(actor, { ...input, password: 'Pine-needle-Ridge-7' });
    await expect(authService.resetPassword(actor, 'wangli', 'aaaaaaaaaa')).rejects.toMatchObject({
      details: [{ path: 'password', reason: 'predictable' }],
    });
    await authService.resetPassword(actor, 'wangli', generatePassword('wangli'));
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
    const second = sessionCookie(await signIn('eshan', DEMO_PASSWORD));
    const wrong = await changePassword(second, '127.0.0.1', 'nope', 'Camellia-Valley-42');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'wrong_password', details: [{ path: 'body.currentPassword' }] });
    const same = await changePassword(second, '127.0.0.1', DEMO_PASSWORD, DEMO_PASSWORD);
    expect(same.json().error.details[0]).toMatchObject({ path: 'body.newPassword', reason: 'same_as_current' });
    const ok = await changePassword(second, '127.0.0.1', DEMO_PASSWORD, 'Camellia-Valley-42');
    expect(ok.statusCode).toBe(200);
    expect((await t.request(null, { method: 'GET', url: '/api/auth/me', headers: { cookie: first } })).statusCode).toBe(401);
    expect((await signIn('eshan', 'Camellia-Valley-42')).statusCode).toBe(200);
  });

  it('throttles guesses of the current password like sign-in, by account and address', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const cookie = sessionCookie(await signInFrom('192.0.2.60', 'police1', DEMO_PASSWORD));
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push((await changePassword(cookie, '192.0.2.60', `guess-${i}`, 'Camellia-Valley-42')).statusCode);
    expect(answers).toEqual([400, 400, 400, 400, 400, 429, 429]);
    const refused = await changePassword(cookie, '192.0.2.60', DEMO_PASSWORD, 'Camellia-Valley-42');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_attempts');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The same session from another address is not held up by those guesses.
    expect((await changePassword(cookie, '192.0.2.61', DEMO_PASSWORD, 'Camellia-Valley-42')).statusCode).toBe(200);
  });
});

describe('the audit log', () => {
  it('administrators browse it with filters; others without audit:read are refused', async () => {
    const res = await t.get('admin', '/api/audit?action=auth.sign_in&pageSize=5');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.every((r: { action: string }) => r.action === 'auth.sign_in')).toBe(true);
    expect((await t.get('hongta', '/api/audit')).statusCode).toBe(403);
    expect((await t.get('admin', '/api/audit?pageSize=0')).json().error.details[0].path).toBe('querystring.pageSize');
  });
});
