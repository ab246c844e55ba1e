import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { inject } from 'vitest';
import { type AppConfig, buildApp, QUIET_APP_CONFIG } from '../src/app.js';
import { type DatabaseHandle, openDatabase } from '../src/db/connection.js';
import { createAuthRepo } from '../src/platform/auth/auth.repo.js';
import { roles } from '../src/platform/auth/auth.tables.js';
import { hashPassword } from '../src/platform/auth/passwords.js';
import { CSRF_HEADER } from '../src/platform/csrf.js';
import type { LiveEvent } from '../src/platform/events.js';
import { SESSION_COOKIE } from '../src/platform/http.js';
import { DEMO_PASSWORD } from '../src/seed/seed.js';
import { cloneTemplate } from './databases.js';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The type of the control events of `settle()`. */
const CONTROL = 'test.control';

/**
 * The whole application on its own copy of the seeded database (embedded or PostgreSQL,
 * as the run was started), with helpers to sign in as the demo accounts.
 */
export async function createTestApp(config: Partial<AppConfig> = {}) {
  const copy = await cloneTemplate(inject('template'));
  const database: DatabaseHandle = await openDatabase({ databaseUrl: copy.databaseUrl, dataDir: copy.dataDir ?? '' });
  // Its own file store, removed with the app.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-test-'));
  const built = await buildApp({ ...QUIET_APP_CONFIG, dataDir, ...config }, database);
  await built.app.ready();
  const cookies = new Map<string, string>();
  const csrfTokens = new Map<string, string>();

  /**
   * The headers the web client sends with a change: the session cookie and the CSRF token of that
   * session (fetched once per session from GET /api/auth/csrf).
   */
  async function sessionHeaders(cookie: string): Promise<Record<string, string>> {
    let token = csrfTokens.get(cookie);
    if (!token) {
      const res = await built.app.inject({ method: 'GET', url: '/api/auth/csrf', headers: { cookie } });
      if (res.statusCode !== 200) return { cookie };
      token = res.json().token as string;
      csrfTokens.set(cookie, token);
    }
    return { cookie, [CSRF_HEADER]: token };
  }

  /** Signs in (once per account) and returns the session cookie header value. */
  async function sessionOf(username: string, password = DEMO_PASSWORD): Promise<string> {
    const cached = cookies.get(username);
    if (cached) return cached;
    const res = await built.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
    if (!cookie) throw new Error('no session cookie');
    const header = `${SESSION_COOKIE}=${cookie.value}`;
    cookies.set(username, header);
    return header;
  }

  /** An API request as the given account (or anonymous with `as: null`), made as the web client makes it. */
  async function request(as: string | null, options: InjectOptions) {
    const headers = { ...(options.headers ?? {}), ...(as ? await sessionHeaders(await sessionOf(as)) : {}) };
    return built.app.inject({ ...options, headers });
  }

  let controls = 0;

  /**
   * A live socket signed in as `username`, subscribed to `topics`, collecting every message after the subscription.
   * `settle()` proves a negative: it publishes a control event this socket must receive and waits for it. The bus
   * delivers in order, so once the control is there, every event published before it that was to reach this socket
   * has reached it (control events are not listed in `received`).
   */
  async function listen(username: string, topics: string[], cookie?: string) {
    const socket = await built.app.injectWS('/api/live', { headers: { cookie: cookie ?? (await sessionOf(username)) } });
    const received: { type: string; [key: string]: unknown }[] = [];
    const waiting = new Map<number, () => void>();
    let subscribed: string[] = [];
    await new Promise<void>((resolve) => {
      socket.on('message', (raw: Buffer) => {
        const message = JSON.parse(raw.toString());
        if (message.type === 'subscribed') {
          subscribed = message.topics;
          resolve();
        } else if (message.type === CONTROL) waiting.get(message.control)?.();
        else received.push(message);
      });
      socket.send(JSON.stringify({ type: 'subscribe', topics }));
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
    );
    const { rows } = await database.pool.query<{ path: string }>(
      'SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = $1',
      [username],
    );
    async function settle() {
      if (!subscribed.length || !rows[0]) throw new Error(`${username} holds none of ${topics.join(', ')}: nothing can prove a negative`);
      const control = ++controls;
      const arrived = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the control event never reached ${username}'s socket`)), 5_000);
        waiting.set(control, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      // The control is outside the event catalogue on purpose: no module emits it.
      const event = { topic: subscribed[0], type: CONTROL, orgPath: rows[0].path, payload: { control } };
      built.events.publish(event as unknown as LiveEvent);
      await arrived;
    }
    return { received, closed, settle, close: () => socket.terminate() };
  }

  return {
    ...built,
    listen,
    database,
    /** The app's data directory (its file store). */
    dataDir,
    sessionOf,
    sessionHeaders,
    request,
    get: (as: string | null, url: string) => request(as, { method: 'GET', url }),
    post: (as: string | null, url: string, payload?: unknown) =>
      request(as, { method: 'POST', url, payload: payload as InjectOptions['payload'] }),
    patch: (as: string | null, url: string, payload?: unknown) =>
      request(as, { method: 'PATCH', url, payload: payload as InjectOptions['payload'] }),
    del: (as: string | null, url: string, payload?: unknown) =>
      request(as, { method: 'DELETE', url, payload: payload as InjectOptions['payload'] }),
    /**
     * Uploads a workbook to an import route as the web client does (multipart field `file`), waits
     * for its job to settle and answers the job as `/api/jobs/{id}` shows it.
     */
    async importSheet(as: string, url: string, data: Buffer, fileName = 'import.xlsx') {
      const boundary = '----safeforest-test';
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await request(as, {
        method: 'POST',
        url,
        payload,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      if (res.statusCode !== 202) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      const { jobId } = res.json();
      const me = (await request(as, { method: 'GET', url: '/api/auth/me' })).json();
      await built.jobs.settled(me.id, jobId);
      return (await request(as, { method: 'GET', url: `/api/jobs/${jobId}` })).json();
    },
    /**
     * Takes the keys off these devices (through the API, as an office would), so a protocol test
     * can speak for demo phones as the keyless devices existing integrations register.
     */
    async makeKeyless(...uniqueIds: string[]) {
      for (const uniqueId of uniqueIds) {
        const [device] = (await request('admin', { method: 'GET', url: `/api/devices?q=${uniqueId}` })).json().items;
        const res = await request('admin', {
          method: 'PATCH',
          url: `/api/devices/${device.id}`,
          payload: { key: null, version: device.version },
        });
        if (res.statusCode !== 200) throw new Error(`taking the key off ${uniqueId} failed: ${res.statusCode} ${res.body}`);
      }
    },
    /** The org unit with this code (from the seeded territory). */
    async unit(code: string) {
      const { rows } = await database.pool.query<{ id: number; path: string; name: string }>(
        'SELECT id, path, name FROM org_units WHERE code = $1',
        [code],
      );
      if (!rows[0]) throw new Error(`no unit ${code}`);
      return rows[0];
    },
    /** A point inside the area of the unit with this code (PostGIS's point on its surface), as [lon, lat]. */
    async pointIn(code: string): Promise<[number, number]> {
      const { rows } = await database.pool.query<{ lon: number; lat: number }>(
        'SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(area) AS p FROM org_units WHERE code = $1) q',
        [code],
      );
      if (!rows[0]) throw new Error(`no unit ${code}`);
      return [rows[0].lon, rows[0].lat];
    },
    /**
     * A new account of the unit with this code whose one role holds exactly `permissions` (none:
     * signed in, allowed nothing), signed in with the demo password like the demo accounts.
     */
    async addAccount(username: string, permissions: string[], orgCode = '530402') {
      const [unit, passwordHash] = await Promise.all([this.unit(orgCode), hashPassword(DEMO_PASSWORD)]);
      await database.db.transaction(async (tx) => {
        const auth = createAuthRepo();
        await tx.insert(roles).values({ id: `test-${username}`, name: username, nameEn: username, permissions });
        await auth.createUser(tx, { username, displayName: username, orgUnitId: unit.id, passwordHash, roleIds: [`test-${username}`] });
      });
    },
    /** The id of the ranger record of the account with this username. */
    async rangerIdOf(username: string): Promise<string> {
      const { rows } = await database.pool.query<{ id: string }>(
        'SELECT r.id FROM rangers r JOIN users u ON u.id = r.user_id WHERE u.username = $1',
        [username],
      );
      if (!rows[0]) throw new Error(`no ranger of ${username}`);
      return rows[0].id;
    },
    async close() {
      await built.app.close();
      await database.close();
      await copy.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
