import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture, checkpointsOf, WHOLE_JPEG } from '../src/modules/captures/captures.test-helpers.js';
import { DEFAULT_ROLES } from '../src/platform/auth/roles.js';
import { DEMO_ACCOUNTS } from '../src/seed/seed.js';
import {
  createAlert,
  createAssessmentEntry,
  createAssessmentRound,
  createAssessmentTitle,
  createCheckinPoint,
  createDeviceState,
  createEmergencyPlan,
  createFieldReport,
  createFile,
  createHotspot,
  createIncident,
  createPatrol,
  createPatrolPlan,
  createPlanActivation,
  createRanger,
  createResponsibilityRegister,
  createResponsibilityTask,
  createTipoff,
  createWatchlist,
  insertFixes,
} from './factories.js';
import { createTestApp, type TestApp } from './harness.js';

/**
 * The scope matrix: every role × every GET route of the API document × the records of a county
 * outside the role's scope (江川区, for the demo accounts of 红塔区). An id of such a record answers
 * 404 (or 403 where the role lacks the route's permission), a filter naming it finds nothing, and
 * no list or export holds it. 江川区's own office gets every one of them, so the ids are real.
 */

let t: TestApp;
type Account = { username: string; role: string; permissions: Set<string>; scopePath: string };
type Operation = { method: string; path: string; access: string; query: { name: string; maximum?: number }[] };
let accounts: Account[];
let operations: Operation[];

/** 江川区's records, made for the test, by kind of path parameter. */
const b = {} as {
  county: { id: number; path: string };
  grid: { id: number; path: string; code: string };
  site: string;
  siteName: string;
  ranger: string;
  device: string;
  patrol: string;
  alert: string;
  report: string;
  file: string;
  point: string;
  plan: string;
  incident: string;
  hotspot: string;
  tipoff: string;
  emergencyPlan: string;
  activation: string;
  assessmentRound: string;
  assessmentEntry: string;
  assessmentTitle: string;
  register: string;
  task: string;
  station: string;
  camera: string;
  cameraGbId: string;
  cameraAlarm: string;
  watchlist: string;
  capture: string;
};
const RANGER_NAME = '江川范围测试护林员';
const DEVICE_NAME = '江川范围测试终端';
const POINT_NAME = '江川范围测试打卡点';
const INCIDENT_TITLE = '江川范围测试警情';
const IN_CHARGE_NAME = '江川范围测试分管领导';

/** Which record each GET route with path parameters is about; a new one must be added here. */
const ITEM_ROUTES: Record<string, (() => Record<string, string>) | string> = {
  '/api/sites/{id}': () => ({ id: b.site }),
  '/api/cameras/{id}': () => ({ id: b.camera }),
  '/api/rangers/{id}': () => ({ id: b.ranger }),
  '/api/rangers/{id}/track': () => ({ id: b.ranger }),
  '/api/devices/{id}': () => ({ id: b.device }),
  '/api/devices/{id}/bindings': () => ({ id: b.device }),
  '/api/patrols/{id}': () => ({ id: b.patrol }),
  '/api/alerts/{id}': () => ({ id: b.alert }),
  '/api/field-reports/{id}': () => ({ id: b.report }),
  '/api/files/{id}': () => ({ id: b.file }),
  '/api/incidents/{id}': () => ({ id: b.incident }),
  '/api/incidents/{id}/suggestions': () => ({ id: b.incident }),
  '/api/incidents/{id}/assignments': () => ({ id: b.incident }),
  '/api/hotspots/{id}': () => ({ id: b.hotspot }),
  '/api/watchlists/{id}': () => ({ id: b.watchlist }),
  '/api/captures/{id}/snapshot': () => ({ id: b.capture }),
  '/api/circles/{id}': () => ({ id: String(b.county.id) }),
  '/api/circles/{id}/proposal': () => ({ id: String(b.county.id) }),
  '/api/tipoffs/{id}': () => ({ id: b.tipoff }),
  '/api/public/tipoffs/{trackingCode}': 'the public status of a tracking code: status and public replies only, no county’s record',
  '/api/cap/alerts/{id}': 'a published CAP message is public: no county owns it',
  '/api/plans/{id}': () => ({ id: b.emergencyPlan }),
  '/api/incidents/{id}/plan-activations': () => ({ id: b.incident }),
  '/api/responsibilities/{id}': () => ({ id: b.register }),
  '/api/responsibilities/{id}/five-same': () => ({ id: b.register }),
  '/api/responsibilities/tasks/{taskId}': () => ({ taskId: b.task }),
  '/api/org/units/{id}': () => ({ id: String(b.grid.id) }),
  '/api/org/units/{id}/area': () => ({ id: String(b.grid.id) }),
  '/api/org/layers/{layer}': 'a list (below), with the layer of grids',
  '/api/basemaps/{id}/tiles/{z}/{x}/{y}': 'basemaps are the whole city’s, no org unit owns one',
  '/api/jobs/{id}': 'a job is seen by the account that started it only',
  '/api/integrations/webhooks/{id}': 'webhook receivers are the whole installation’s settings, no org unit owns one',
  '/api/assessment/standards/{id}': 'assessment standards are the campaign’s data, read by every office its rounds assess',
  '/api/assessment/standards/{id}/export': 'assessment standards are the campaign’s data, read by every office its rounds assess',
  '/api/assessment/rounds/{id}': () => ({ id: b.assessmentRound }),
  '/api/assessment/rounds/{id}/entries': () => ({ id: b.assessmentRound }),
  '/api/assessment/rounds/{id}/eligibility': () => ({ id: b.assessmentRound }),
  '/api/assessment/rounds/{id}/ranking': () => ({ id: b.assessmentRound }),
  '/api/assessment/rounds/{id}/progress': () => ({ id: b.assessmentRound }),
  '/api/assessment/rounds/{id}/recommendations': () => ({ id: b.assessmentRound }),
  '/api/assessment/entries/{id}': () => ({ id: b.assessmentEntry }),
  '/api/assessment/entries/{id}/sheet.xlsx': () => ({ id: b.assessmentEntry }),
  '/api/assessment/titles/{id}': () => ({ id: b.assessmentTitle }),
  '/api/station-standards/checklists/{year}': 'a year’s "五化" checklist is the city’s reference data, no county owns one',
  '/api/station-standards/stations/{siteId}/ratings/{year}': () => ({ siteId: b.station, year: '2025' }),
};
/** GET routes that name a record in their query instead of their path. */
const ITEM_QUERIES: Record<string, () => string> = {
  '/api/positions': () => `deviceId=${b.device}&from=2025-02-10T00:00:00%2B08:00&to=2025-02-11T00:00:00%2B08:00`,
  '/api/assessment/indicators': () => `unit=${b.grid.code}&year=2025`,
  '/api/goals': () => 'unit=530403',
  '/api/goals/trend': () => 'unit=530403&measure=forest_area',
};
/** Query a list needs to answer at all (required parameters). */
const LIST_QUERIES: Record<string, string> = {
  '/api/performance/rangers': 'month=2025-02',
  '/api/performance/rangers/export': 'month=2025-02',
  '/api/performance/summary': 'month=2025-02&level=grid',
  '/api/patrol-plans/compliance': 'week=2025-W07',
  '/api/rangers/{id}/track': 'date=2025-02-10',
  // The plate of 江川区's capture: another county must find no passage of it.
  '/api/captures/passages': `plate=${encodeURIComponent('云FJ0001')}`,
  // The day (China Standard Time) the test's records are made on.
  '/api/duty-report': `date=${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)}`,
};
/** Query parameters that name one record: given a record of 江川区 a list finds nothing (or answers 404). */
const FILTERS: Record<string, () => string> = {
  orgUnitId: () => String(b.grid.id),
  rangerId: () => b.ranger,
  deviceId: () => b.device,
  cameraId: () => b.camera,
};

/** What a list or export of another county must never hold. */
const markers = () => [
  b.site,
  b.camera,
  b.cameraGbId,
  b.cameraAlarm,
  b.siteName,
  b.ranger,
  RANGER_NAME,
  b.device,
  DEVICE_NAME,
  b.patrol,
  b.alert,
  b.report,
  b.file,
  b.point,
  POINT_NAME,
  b.plan,
  b.incident,
  b.tipoff,
  b.emergencyPlan,
  INCIDENT_TITLE,
  b.grid.code,
  b.hotspot,
  b.assessmentRound,
  b.assessmentEntry,
  b.assessmentTitle,
  b.register,
  b.task,
  IN_CHARGE_NAME,
  b.station,
  b.watchlist,
  b.capture,
];

const urlOf = (op: Operation, extra = '') => {
  const params = typeof ITEM_ROUTES[op.path] === 'function' ? (ITEM_ROUTES[op.path] as () => Record<string, string>)() : { layer: 'grids' };
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? name);
  const pageSize = op.query.find((q) => q.name === 'pageSize');
  const query = [LIST_QUERIES[op.path], ITEM_QUERIES[op.path]?.(), pageSize ? `pageSize=${pageSize.maximum ?? 100}` : '', extra]
    .filter(Boolean)
    .join('&');
  return query ? `${path}?${query}` : path;
};

/** The text of an answer: JSON as it is, a workbook as its cells' values. */
async function textOf(res: { headers: Record<string, unknown>; body: string; rawPayload: Buffer }) {
  if (!String(res.headers['content-type']).includes('spreadsheetml')) return res.body;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const cells: string[] = [];
  for (const sheet of workbook.worksheets) sheet.eachRow((row) => cells.push(JSON.stringify(row.values)));
  return cells.join('\n');
}

beforeAll(async () => {
  t = await createTestApp();
  b.county = await t.unit('530403');
  b.grid = { ...(await t.unit('53040300101')), code: '53040300101' };
  const inB = `(SELECT id FROM org_units WHERE path LIKE '${b.county.path}%')`;
  const { rows } = await t.database.pool.query(
    `SELECT id, name FROM sites WHERE deleted_at IS NULL AND org_unit_id IN ${inB} ORDER BY id LIMIT 1`,
  );
  b.site = rows[0].id;
  b.siteName = rows[0].name;
  const camera = await t.database.pool.query(
    `SELECT id, gb_id FROM cameras WHERE deleted_at IS NULL AND org_unit_id IN ${inB} ORDER BY id LIMIT 1`,
  );
  b.camera = camera.rows[0].id;
  b.cameraGbId = camera.rows[0].gb_id;
  const alarm = await t.database.pool.query(
    `INSERT INTO camera_alarms (camera_id, org_unit_id, type, at, last_at, protocol)
     SELECT id, org_unit_id, 'motion', now(), now(), 'json' FROM cameras WHERE id = $1 RETURNING id`,
    [b.camera],
  );
  b.cameraAlarm = alarm.rows[0].id;
  const [lon, lat] = await t.pointIn(b.grid.code);
  const ranger = await createRanger(t, b.grid.id, {
    name: RANGER_NAME,
    device: { uniqueId: 'SCOPE-JC-1', name: DEVICE_NAME, validFrom: new Date(Date.now() - 86_400_000) },
  });
  b.ranger = ranger.id;
  b.device = ranger.deviceId;
  await createDeviceState(t, { deviceId: b.device, rangerId: b.ranger, lon, lat });
  await insertFixes(t, ranger, [{ at: '2025-02-10T09:00:00+08:00', lon, lat }]);
  const owned = { rangerId: b.ranger, orgUnitId: b.grid.id };
  b.patrol = await createPatrol(t, { ...owned, startedAt: '2025-02-10T08:00:00+08:00' });
  b.alert = await createAlert(t, { ...owned, deviceId: b.device, countyCode: '530403', lon, lat });
  b.report = await createFieldReport(t, { ...owned, lon, lat });
  b.file = await createFile(t, { orgUnitId: b.grid.id });
  b.point = await createCheckinPoint(t, { name: POINT_NAME, orgUnitId: b.grid.id, lon, lat, radiusM: 50 });
  b.plan = await createPatrolPlan(t, { orgUnitId: b.grid.id });
  b.incident = await createIncident(t, { orgUnitId: b.grid.id, lon, lat, title: INCIDENT_TITLE });
  b.hotspot = await createHotspot(t, { orgUnitId: b.grid.id, countyCode: '530403', lon, lat });
  b.tipoff = await createTipoff(t, { orgUnitId: b.grid.id, lon, lat, incidentId: b.incident });
  b.emergencyPlan = await createEmergencyPlan(t, { orgUnitId: b.county.id, name: '江川范围测试预案' });
  b.activation = await createPlanActivation(t, { planId: b.emergencyPlan, incidentId: b.incident, orgUnitId: b.grid.id });
  // 江川区's township round with a submitted entry of one township (due for review) and a title named by the county.
  const township = await t.unit('530403001');
  b.assessmentRound = await createAssessmentRound(t, { orgUnitId: b.county.id });
  b.assessmentEntry = await createAssessmentEntry(t, { roundId: b.assessmentRound, orgUnitId: township.id });
  b.assessmentTitle = await createAssessmentTitle(t, { orgUnitId: township.id, namedByUnitId: b.county.id });
  b.register = await createResponsibilityRegister(t, { orgUnitId: b.county.id, inChargeName: IN_CHARGE_NAME });
  b.task = await createResponsibilityTask(t, { registerId: b.register, orgUnitId: b.county.id });
  b.station = (
    await t.database.pool.query(
      `SELECT id FROM sites WHERE kind = 'police_station' AND deleted_at IS NULL AND org_unit_id IN ${inB} ORDER BY id LIMIT 1`,
    )
  ).rows[0].id;
  // A capture at a checkpoint of 江川区 with its snapshot, pushed by the county's checkpoint platform, and its watchlist.
  await t.addAccount('scope-kakou-jc', ['captures:ingest'], '530403');
  const [checkpoint] = await checkpointsOf(t, '530403');
  const pushed = await t.post('scope-kakou-jc', '/api/ingest/captures', [
    { ...capture(checkpoint.id, '云FJ0001', new Date(Date.now() - 60_000)), snapshot: WHOLE_JPEG.toString('base64') },
  ]);
  if (pushed.statusCode !== 200) throw new Error(`capture: ${pushed.body}`);
  b.capture = (await t.database.pool.query("SELECT id FROM captures WHERE plate = '云FJ0001'")).rows[0].id;
  b.watchlist = await createWatchlist(t, { orgUnitId: b.county.id, plate: '云FJ0001', state: 'approved' });

  accounts = [];
  for (const role of DEFAULT_ROLES) {
    const demo = DEMO_ACCOUNTS.find((a) => a.roles.includes(role.id));
    if (!demo) throw new Error(`no demo account of role ${role.id}`);
    const me = (await t.get(demo.username, '/api/auth/me')).json();
    accounts.push({ username: demo.username, role: role.id, permissions: new Set(me.permissions), scopePath: me.orgUnit.path });
  }
  type DocOperation = { 'x-access': string; parameters?: { in: string; name: string; schema?: { maximum?: number } }[] };
  const doc = t.app.swagger() as unknown as { paths: Record<string, Record<string, DocOperation>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => method === 'get')
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        access: op['x-access'],
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, maximum: p.schema?.maximum })),
      })),
  );
});
afterAll(() => t?.close());

const holds = (account: Account, permission: string) =>
  ['public', 'signed-in'].includes(permission) || account.permissions.has(permission) || account.permissions.has('*');
const isItemRoute = (op: Operation) => (/\{/.test(op.path) && typeof ITEM_ROUTES[op.path] === 'function') || op.path in ITEM_QUERIES;
/** Lists: every other GET route a signed-in account calls (public ones hold nothing of a county, the socket is not a list). */
const isListRoute = (op: Operation) =>
  !isItemRoute(op) &&
  op.access !== 'public' &&
  op.path !== '/api/live' &&
  !(typeof ITEM_ROUTES[op.path] === 'string' && op.path !== '/api/org/layers/{layer}');
/** A refusal for want of a permission: the route's own, or one its service checks (a `signed-in` route serving two permissions). */
const refused = (account: Account, op: Operation, res: { statusCode: number; json: () => { error?: { code?: string } } }) =>
  res.statusCode === 403 && res.json().error?.code === 'forbidden' && (!holds(account, op.access) || op.access === 'signed-in');

describe('every role × every GET route × the records of another county', () => {
  it('knows the record of every GET route with path parameters', () => {
    const unknown = operations.filter((op) => /\{/.test(op.path) && !(op.path in ITEM_ROUTES)).map((op) => op.path);
    expect(unknown, 'add these routes to ITEM_ROUTES in test/scope-matrix.test.ts').toEqual([]);
  });

  it('江川区’s own office gets each record, and finds each in some list (the ids are real)', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter(isItemRoute)) {
      const res = await t.get('jiangchuan', urlOf(op));
      if (res.statusCode !== 200) wrong.push(`${op.path} → ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    let seen = '';
    for (const op of operations.filter(isListRoute)) seen += await textOf(await t.get('jiangchuan', urlOf(op)));
    const unseen = markers().filter((m) => !seen.includes(m) && ![b.file].includes(m));
    expect(wrong).toEqual([]);
    expect(unseen, 'records no list of their own county shows').toEqual([]);
  });

  it('a role outside 江川区 gets 404 for its ids, and no list, filter or export holds its records', async () => {
    const outside = accounts.filter((a) => !b.county.path.startsWith(a.scopePath));
    expect(outside.length).toBeGreaterThanOrEqual(5);
    const wrong: string[] = [];
    for (const account of outside) {
      for (const op of operations) {
        const label = `${account.role} GET ${op.path}`;
        const permitted = holds(account, op.access);
        if (isItemRoute(op)) {
          const res = await t.get(account.username, urlOf(op));
          if (res.statusCode !== 404 && !refused(account, op, res)) wrong.push(`${label} → ${res.statusCode}, expected 404`);
          continue;
        }
        if (!isListRoute(op) || !permitted) continue;
        const variants = ['', ...op.query.filter((q) => FILTERS[q.name]).map((q) => `${q.name}=${FILTERS[q.name]()}`)];
        for (const extra of variants) {
          const res = await t.get(account.username, urlOf(op, extra));
          if (refused(account, op, res)) continue;
          if (extra.startsWith('orgUnitId=') || extra.startsWith('deviceId=')) {
            if (res.statusCode !== 404) wrong.push(`${label}?${extra} → ${res.statusCode}, expected 404`);
            continue;
          }
          if (res.statusCode >= 400) {
            wrong.push(`${label}?${extra} → ${res.statusCode} ${res.body.slice(0, 120)}`);
            continue;
          }
          const text = await textOf(res);
          const leaked = markers().filter((m) => text.includes(m));
          if (leaked.length) wrong.push(`${label}?${extra} holds ${leaked.join(', ')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('a ranger commanded from another county', () => {
  it('is seen with their device, live position, alerts, reports and patrols by the commanding station, and not once the command ends', async () => {
    const station = await t.unit('530402-P01'); // police1's station, in 红塔区
    const urls = [
      `/api/rangers/${b.ranger}`,
      `/api/devices/${b.device}`,
      `/api/alerts/${b.alert}`,
      `/api/field-reports/${b.report}`,
      `/api/patrols/${b.patrol}`,
    ];
    const lists = [
      '/api/devices?pageSize=100&rangerId=',
      '/api/alerts?pageSize=100&rangerId=',
      '/api/field-reports?pageSize=100&rangerId=',
    ];
    const view = async () => ({
      items: await Promise.all(urls.map(async (url) => (await t.get('police1', url)).statusCode)),
      lists: await Promise.all(lists.map(async (url) => (await t.get('police1', `${url}${b.ranger}`)).json().total)),
      live: (await t.get('police1', '/api/positions/live')).json().items.some((d: { deviceId: string }) => d.deviceId === b.device),
    });
    await t.database.pool.query('UPDATE rangers SET commanding_unit_id = $1 WHERE id = $2', [station.id, b.ranger]);
    expect(await view()).toEqual({ items: urls.map(() => 200), lists: lists.map(() => 1), live: true });
    await t.database.pool.query('UPDATE rangers SET commanding_unit_id = NULL WHERE id = $1', [b.ranger]);
    expect(await view()).toEqual({ items: urls.map(() => 404), lists: lists.map(() => 0), live: false });
  });
});
