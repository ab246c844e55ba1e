import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../src/platform/auth/roles.js';
import { LIVE_TOPICS, type LiveEvent, type LiveTopic } from '../src/platform/events.js';
import { DEMO_ACCOUNTS } from '../src/seed/seed.js';
import { createTestApp, type TestApp } from './harness.js';

let t: TestApp;

/** One demo account per role, with the permissions the server gives it. */
type Account = { username: string; role: string; permissions: Set<string> };
let accounts: Account[];
type Operation = { operationId: string; method: string; path: string; access: string };
let operations: Operation[];

const NIL = '00000000-0000-0000-0000-000000000000';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Operations on the caller's own session, which every account may do, and which would end the test's sessions.
const OWN_SESSION = new Set(['signOut', 'changePassword']);
const holds = (account: Account, permission: string) => account.permissions.has(permission) || account.permissions.has('*');

beforeAll(async () => {
  t = await createTestApp();
  accounts = [];
  for (const role of DEFAULT_ROLES) {
    const demo = DEMO_ACCOUNTS.find((a) => a.roles.includes(role.id));
    if (!demo) throw new Error(`no demo account of role ${role.id}`);
    const me = (await t.get(demo.username, '/api/auth/me')).json();
    accounts.push({ username: demo.username, role: role.id, permissions: new Set(me.permissions) });
  }
  const doc = t.app.swagger() as unknown as { paths: Record<string, Record<string, { operationId: string; 'x-access': string }>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      operationId: op.operationId,
      method: method.toUpperCase(),
      path,
      access: op['x-access'],
    })),
  );
});
afterAll(() => t.close());

/** Calls an operation as the web client would, with the nil id in every path parameter and an empty JSON body. */
const call = (as: string | null, op: Operation, id = NIL) =>
  t.request(as, {
    method: op.method as 'GET',
    url: op.path.replace(/\{[^}]+\}/g, id),
    ...(STATE_CHANGING.has(op.method) ? { payload: {} } : {}),
  });

describe('every role × every route of the API document', () => {
  it('the document says what each route requires', () => {
    expect(operations.length).toBeGreaterThan(60);
    expect(operations.filter((op) => !op.access)).toEqual([]);
  });

  it('anonymous callers get 401 on every route that is not public', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => o.access !== 'public')) {
      const res = await call(null, op);
      if (res.statusCode !== 401 || res.json().error?.code !== 'unauthenticated') wrong.push(`${op.method} ${op.path} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a role without a route’s permission gets 403, a role with it never does', async () => {
    const wrong: string[] = [];
    for (const account of accounts) {
      for (const op of operations.filter((o) => o.access !== 'public' && o.access !== 'signed-in')) {
        const res = await call(account.username, op);
        const permitted = holds(account, op.access);
        if (!permitted && (res.statusCode !== 403 || res.json().error.code !== 'forbidden'))
          wrong.push(`${account.role} ${op.method} ${op.path} (${op.access}) → ${res.statusCode}, expected 403`);
        // (A service may still refuse what the record does not allow, e.g. an administrator who is no ranger.)
        if (permitted && (res.statusCode === 401 || (res.statusCode === 403 && res.json().error.details?.permission === op.access)))
          wrong.push(`${account.role} ${op.method} ${op.path} (${op.access}) → ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('read-only roles never get a 2xx on a state-changing route, also on real records', async () => {
    const readOnly = accounts.filter((a) => [...a.permissions].every((p) => p.endsWith(':read')));
    expect(readOnly.map((a) => a.role).sort()).toEqual(['checkpoint_staff', 'liaison']);
    // Real ids of their own county, so that a refusal is not merely "not found".
    const patrol =
      (await t.get('ranger1', '/api/patrols/current')).json().patrol ?? (await t.post('ranger1', '/api/patrols/start', {})).json();
    const site = (await t.get('hongta', '/api/sites?pageSize=1')).json().items[0].id;
    const ids: Record<string, string> = { patrols: patrol.id, sites: site };
    const wrong: string[] = [];
    for (const account of readOnly) {
      for (const op of operations.filter((o) => STATE_CHANGING.has(o.method) && o.access !== 'public' && !OWN_SESSION.has(o.operationId))) {
        const id = ids[op.path.split('/')[2]] ?? NIL;
        const res = await call(account.username, op, id);
        if (res.statusCode < 300) wrong.push(`${account.role} ${op.method} ${op.path} → ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
    expect((await t.get('ranger1', '/api/patrols/current')).json().patrol).toMatchObject({ id: ids.patrols });
  });
});

describe('every role × every live topic', () => {
  it('a role lacking a topic’s permission is refused it and never receives its events; a role holding it does', async () => {
    const topics = Object.keys(LIVE_TOPICS) as LiveTopic[];
    const grid = await t.unit('53040200101'); // ranger1's grid: inside every demo account's scope
    const sockets = await Promise.all(accounts.map(async (account) => ({ account, socket: await t.listen(account.username, topics) })));
    // Probes of every topic, outside the catalogue on purpose: the filter is by topic, whatever the event.
    const probe = (event: object) => t.events.publish(event as LiveEvent);
    for (const topic of topics) probe({ topic, type: `${topic}.probe`, orgPath: grid.path, payload: { probe: topic } });
    // The control comes after every probe on the same bus and socket: once it is there, every probe that would come has come.
    probe({ topic: 'sites', type: 'control', orgPath: grid.path, payload: {} });
    for (const { account, socket } of sockets) {
      await expect.poll(() => socket.received.some((m) => m.type === 'control'), { timeout: 5_000 }).toBe(true);
      const permitted = topics.filter((topic) => holds(account, LIVE_TOPICS[topic]));
      const forbidden = topics.filter((topic) => !permitted.includes(topic));
      const probes = socket.received.filter((m) => m.probe).map((m) => m.topic);
      expect([account.role, probes]).toEqual([account.role, permitted]);
      const refusal = socket.received.find((m) => m.type === 'error');
      expect([account.role, refusal?.topics]).toEqual([account.role, forbidden.length ? forbidden : undefined]);
      socket.close();
    }
  });

  it('an anonymous socket is refused', async () => {
    await expect(t.app.injectWS('/api/live')).rejects.toThrow(/401/);
  });
});

describe('the scope of the forest police', () => {
  it('an officer of a 红塔区 station sees all of 红塔区 and nothing of another county', async () => {
    const me = (await t.get('police1', '/api/auth/me')).json();
    expect(me.orgUnit.kind).toBe('police_station');
    const hongta = (await t.get('police1', '/api/sites?pageSize=1')).json().total;
    expect(hongta).toBe((await t.get('hongta', '/api/sites?pageSize=1')).json().total);
    const jiangchuan = (await t.get('jiangchuan', '/api/sites?pageSize=1')).json().items[0].id;
    expect((await t.get('police1', `/api/sites/${jiangchuan}`)).statusCode).toBe(404);
  });
});
