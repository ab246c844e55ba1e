import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../src/platform/auth/roles.js';
import { LIVE_TOPICS, type LiveEvent, type LiveTopic } from '../src/platform/events.js';
import { DEMO_ACCOUNTS } from '../src/seed/seed.js';
import { ApiDocument, type Doc } from './api-document.js';
import { createTestApp, type TestApp } from './harness.js';

let t: TestApp;

/** One demo account per role, with the permissions the server gives it. */
type Account = { username: string; role: string; permissions: Set<string> };
let accounts: Account[];
/** An account whose role holds no permission at all: every route with a permission has a caller lacking it. */
const NOBODY = 'role-matrix-nobody';
type Operation = {
  operationId: string;
  method: string;
  path: string;
  access: string;
  /** A request that passes the route's validation as far as the document can tell: sample path, query and body. */
  valid: InjectOptions;
  /** A request the route's validation refuses (a path parameter that is no id, an empty body) or finds nothing for. */
  broken: InjectOptions;
};
let operations: Operation[];

const NIL = '00000000-0000-0000-0000-000000000000';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Operations on the caller's own session, which every account may do, and which would end the test's sessions.
const OWN_SESSION = new Set(['signOut', 'changePassword']);
/**
 * Every operation anyone may call without signing in. A route that turns public must be added
 * here: the test fails on any other.
 */
const PUBLIC = [
  'createTipoff',
  'getCapAlert',
  'getCapFeed',
  'getHealth',
  'getPublicSettings',
  'getSession',
  'getTipoffStatus',
  'ingestCameraAlarm',
  'ingestCameraStatus',
  'ingestIsapiAlarm',
  'ingestOsmAnd',
  'ingestOsmAndQuery',
  'ingestOwnTracks',
  'ingestPositions',
  'signIn',
];
/** Routes of the server the API document does not describe: the live socket, the document itself and its pages. */
const UNDOCUMENTED = ['GET /api/live', 'GET /api/openapi.json'];
const DOCUMENT_PAGES = /^GET \/api\/docs(\/|$)/;
/**
 * Signed-in routes whose service asks for either of two permissions (an officer's or the ranger's
 * own); the first is the one named in the refusal. A signed-in route that refuses with a
 * permission and is not listed here fails the test.
 */
const EITHER: Record<string, [string, string]> = {
  listCheckinPoints: ['patrols:read', 'patrols:self'],
  endPatrol: ['patrols:write', 'patrols:self'],
};
const holds = (account: Account, permission: string) => account.permissions.has(permission) || account.permissions.has('*');

beforeAll(async () => {
  t = await createTestApp();
  await t.addAccount(NOBODY, []);
  accounts = [];
  for (const role of DEFAULT_ROLES) {
    const demo = DEMO_ACCOUNTS.find((a) => a.roles.includes(role.id));
    if (!demo) throw new Error(`no demo account of role ${role.id}`);
    const me = (await t.get(demo.username, '/api/auth/me')).json();
    accounts.push({ username: demo.username, role: role.id, permissions: new Set(me.permissions) });
  }
  accounts.push({ username: NOBODY, role: 'none', permissions: new Set() });
  const api = new ApiDocument(t.app.swagger() as unknown as Doc);
  operations = [...api.operations()].map((op) => {
    const body = op.multipart ? multipartFile() : op.jsonBody ? jsonBody(api.sample(op.jsonBody)) : {};
    return {
      operationId: op.operationId,
      method: op.method as string,
      path: op.template,
      access: op.access,
      valid: { method: op.method, url: `${op.url()}${op.query()}`, ...(STATE_CHANGING.has(op.method as string) ? body : {}) },
      broken: {
        method: op.method,
        url: op.template.replace(/\{[^}]+\}/g, 'x'),
        ...(STATE_CHANGING.has(op.method as string) ? jsonBody({}) : {}),
      },
    };
  });
});
afterAll(() => t.close());

const jsonBody = (payload: unknown): Partial<InjectOptions> => ({
  payload: JSON.stringify(payload),
  headers: { 'content-type': 'application/json' },
});
function multipartFile(): Partial<InjectOptions> {
  const boundary = '----role-matrix';
  const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nx\r\n--${boundary}--\r\n`;
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Calls an operation as the web client would, with the nil id in every path parameter and an empty JSON body. */
const call = (as: string | null, op: Operation, id = NIL) =>
  t.request(as, {
    method: op.method as 'GET',
    url: op.path.replace(/\{[^}]+\}/g, id),
    ...(STATE_CHANGING.has(op.method) ? { payload: {} } : {}),
  });

/** The server's own route table (every method and URL it answers under /api/), HEAD left out. */
function routeTable(): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = [...match[1]].length / 4;
    stack.length = depth;
    stack.push(match[2]);
    const url = stack.join('');
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD' && url.startsWith('/api/')) routes.push(`${method} ${url}`);
  }
  return routes;
}

describe('every role × every route of the API document', () => {
  it('the document describes every route of the server, and says what each requires', () => {
    expect(operations.length).toBeGreaterThan(60);
    expect(operations.filter((op) => !op.access)).toEqual([]);
    const documented = operations.map((op) => `${op.method} ${op.path.replace(/\{([^}]+)\}/g, ':$1')}`);
    const table = routeTable();
    expect(table.length).toBeGreaterThan(operations.length);
    expect(table.filter((route) => !documented.includes(route) && !DOCUMENT_PAGES.test(route)).sort()).toEqual(UNDOCUMENTED);
    expect(documented.filter((route) => !table.includes(route))).toEqual([]);
  });

  it('the public routes are the ones listed, and answer an anonymous caller', async () => {
    const open = operations.filter((op) => op.access === 'public');
    expect(open.map((op) => op.operationId).sort()).toEqual(PUBLIC);
    const wrong: string[] = [];
    for (const op of open) {
      const res = await t.request(null, op.valid);
      // (Sign-in may still refuse the sample's credentials: with its own code, not the access check's.)
      const code = res.statusCode >= 400 ? res.json().error?.code : null;
      if (code === 'unauthenticated' || code === 'forbidden') wrong.push(`${op.method} ${op.path} → ${res.statusCode} ${code}`);
    }
    expect(wrong).toEqual([]);
    expect((await t.get(null, '/api/openapi.json')).statusCode).toBe(200);
  });

  it('anonymous callers get 401 on every route that is not public, before any validation or lookup', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => o.access !== 'public')) {
      for (const [what, request] of [
        ['valid', op.valid],
        ['broken', op.broken],
      ] as const) {
        const res = await t.request(null, request);
        if (res.statusCode !== 401 || res.json().error?.code !== 'unauthenticated')
          wrong.push(`${op.method} ${op.path} (${what}) → ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a role without a route’s permission gets 403 from the permission check, before any validation or lookup', async () => {
    const wrong: string[] = [];
    const withPermission = operations.filter((o) => o.access !== 'public' && o.access !== 'signed-in');
    for (const op of withPermission) {
      const lacking = accounts.filter((account) => !holds(account, op.access));
      if (lacking.length === 0) wrong.push(`${op.method} ${op.path} (${op.access}): no account lacks it`);
      for (const account of lacking) {
        // A valid request, so that only the permission check stands in the way; the broken one shows it comes first.
        for (const [what, request] of [
          ['valid', op.valid],
          ['broken', op.broken],
        ] as const) {
          const res = await t.request(account.username, request);
          const error = res.statusCode === 403 ? res.json().error : null;
          if (error?.code !== 'forbidden' || error.details?.permission !== op.access)
            wrong.push(`${account.role} ${op.method} ${op.path} (${op.access}, ${what}) → ${res.statusCode}, expected 403`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  // One test per role: every route is called for each, and the route list grows with every module.
  it.each([...DEFAULT_ROLES.map((r) => r.id), 'none'])(
    'a role with a route’s permission is never refused it; a signed-in route refuses only by its service’s permissions (%s)',
    async (roleId) => {
      const account = accounts.find((a) => a.role === roleId) as Account;
      const wrong: string[] = [];
      for (const op of operations.filter((o) => o.access !== 'public' && !OWN_SESSION.has(o.operationId))) {
        const either = EITHER[op.operationId];
        if (either && op.access !== 'signed-in')
          wrong.push(`${op.operationId} is listed as checked by its service, but requires ${op.access}`);
        const needed: string[] = either ?? (op.access === 'signed-in' ? [] : [op.access]);
        const permitted = needed.length === 0 || needed.some((p) => holds(account, p));
        // Nil ids and empty bodies: nothing is changed, and nothing but an access check may answer 401 or 403 with a permission.
        const res = await call(account.username, op);
        const refusedFor = res.statusCode === 403 ? res.json().error.details?.permission : undefined;
        if (permitted && (res.statusCode === 401 || refusedFor))
          wrong.push(`${account.role} ${op.method} ${op.path} (${op.access}) → ${res.statusCode} ${res.body.slice(0, 120)}`);
        // (Of a route with a permission, the test above proves the refusal.)
        if (!permitted && either && refusedFor !== either[0])
          wrong.push(`${account.role} ${op.method} ${op.path} (${either.join(' or ')}) → ${res.statusCode}, expected 403`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('each service-checked route has a caller it refuses', () => {
    for (const either of Object.values(EITHER)) expect(accounts.some((a) => !either.some((p) => holds(a, p)))).toBe(true);
  });

  it('read-only roles never get a 2xx on a state-changing route, also on real records', async () => {
    const readOnly = accounts.filter((a) => [...a.permissions].every((p) => p.endsWith(':read')));
    expect(readOnly.map((a) => a.role).sort()).toEqual(['checkpoint_staff', 'liaison', 'none']);
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
    // (The account without any permission may subscribe to nothing, so no control can reach it: the refusal is checked elsewhere.)
    const withTopics = accounts.filter((account) => account.username !== NOBODY);
    const sockets = await Promise.all(withTopics.map(async (account) => ({ account, socket: await t.listen(account.username, topics) })));
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
