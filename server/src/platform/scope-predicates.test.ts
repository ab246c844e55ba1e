/**
 * Every repository method that takes an actor, called as an office of 江川区 with the ids of
 * 红塔区's records: none may answer them or change them. The same call as 红塔区 must answer (or
 * change) them, so the check cannot pass by answering nothing. The methods are found by loading
 * every `*.repo.ts` and reading which methods name an `actor` parameter: a new one without a
 * fixture below fails the test, so a new module cannot skip the scope.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAlert,
  createAssessmentEntry,
  createAssessmentRound,
  createAssessmentTitle,
  createCapture,
  createCheckinPoint,
  createDeviceState,
  createEmergencyPlan,
  createFieldReport,
  createFile,
  createHotspot,
  createIncident,
  createMobileDeployment,
  createNotificationDelivery,
  createPatrol,
  createPatrolPlan,
  createPlanActivation,
  createResponsibilityRegister,
  createResponsibilityTask,
  createTipoff,
  createWatchlist,
  createWatchlistHit,
} from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { DEFAULT_ANALYZER_SETTINGS } from '../modules/alerts/alerts.schema.js';
import { trackRulesOf } from '../modules/positions/track.js';
import { SITE_KINDS } from '../modules/sites/sites.schema.js';
import type { Actor } from './actor.js';

type Args = (actor: Actor) => unknown[] | Promise<unknown[]>;
/** A read: its answer (as JSON) holds `marker` exactly when it answers the 红塔区 record. */
type ReadFixture = { read: Args; marker: () => string };
/** A write: `changed` tells whether it changed the 红塔区 record. */
type WriteFixture = { write: Args; changed: () => Promise<boolean> };
type Fixture = ReadFixture | WriteFixture;

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return repoFiles(full);
    return e.name.endsWith('.repo.ts') ? [full] : [];
  });

/** The names of a function's parameters, from its source (types are gone by then). */
function parameterNames(fn: (...args: unknown[]) => unknown): string[] {
  const list = /^[^(]*\(([^)]*)\)/.exec(fn.toString())?.[1] ?? '';
  return list
    .split(',')
    .map((p) => p.trim().split(/[\s=]/)[0])
    .filter(Boolean);
}

type Method = { key: string; call: (...args: unknown[]) => Promise<unknown> };

/** Every method of every repo that takes an actor, as `<repo file>.<method>`. */
async function scopedRepoMethods(): Promise<Method[]> {
  const methods: Method[] = [];
  for (const file of repoFiles(SRC)) {
    const mod = (await import(file)) as Record<string, unknown>;
    const name = path.basename(file, '.repo.ts');
    for (const [exported, factory] of Object.entries(mod)) {
      if (!/^create\w*Repo$/.test(exported) || typeof factory !== 'function') continue;
      const repo = factory() as Record<string, unknown>;
      for (const [method, fn] of Object.entries(repo)) {
        if (typeof fn !== 'function' || !parameterNames(fn as (...args: unknown[]) => unknown).includes('actor')) continue;
        methods.push({ key: `${name}.${method}`, call: fn as Method['call'] });
      }
    }
  }
  return methods;
}

let t: TestApp;
let own: Actor;
let foreign: Actor;
/** Records of 红塔区 (county A); 江川区 (county B) must never see them. */
const a = {} as {
  county: { id: number; path: string };
  grid: { id: number; path: string };
  gridCode: string;
  station: number;
  user: string;
  site: string;
  siteName: string;
  ranger: string;
  rangerName: string;
  otherRanger: string;
  device: string;
  otherDevice: string;
  patrol: string;
  point: string;
  plan: string;
  alert: string;
  report: string;
  file: string;
  /** Where ranger1's live state is, and an active site of 红塔区 with its place (nearest-unit searches). */
  at: [number, number];
  activeSite: { id: string; lon: number; lat: number };
  delivery: string;
  emergencyPlan: string;
  activation: string;
  incident: string;
  hotspot: string;
  tipoff: string;
  assessmentRound: string;
  assessmentEntry: string;
  assessmentTitle: string;
  register: string;
  task: string;
  goalEntry: string;
  stationSite: string;
  stationRating: string;
  camera: string;
  cameraGbId: string;
  cameraAlarm: string;
  watchlist: string;
  capture: string;
  hit: string;
  deployment: string;
  plannedDeployment: string;
};

const actorOf = (unit: { id: number; path: string }, username: string): Actor => ({
  userId: '00000000-0000-0000-0000-000000000000',
  username,
  displayName: username,
  orgUnitId: unit.id,
  orgPath: unit.path,
  roles: ['county_office'],
  permissions: new Set(['*']),
  address: null,
});

const one = async <T>(text: string, values: unknown[] = []): Promise<T> => {
  const { rows } = await t.database.pool.query(text, values);
  if (!rows[0]) throw new Error(`no row for ${text}`);
  return rows[0] as T;
};
const value = async (text: string, values: unknown[]) => Object.values(await one<Record<string, unknown>>(text, values))[0];

const month = { from: new Date('2025-02-01T00:00:00+08:00'), to: new Date('2025-03-01T00:00:00+08:00'), now: new Date(), daysCounted: 28 };
const rules = trackRulesOf(DEFAULT_ANALYZER_SETTINGS);
const page = { limit: 10_000, offset: 0 };
const versionOf = async (table: string, id: string) => Number(await value(`SELECT version FROM ${table} WHERE id = $1`, [id]));
const isDeleted = async (table: string, id: string) => (await value(`SELECT deleted_at FROM ${table} WHERE id = $1`, [id])) !== null;

/** Methods that take an actor only to record who acted, with why they need no scope. */
const NOT_SCOPED: Record<string, string> = {
  'audit.insert': 'writes the audit rows of a change; the actor is who made it, not a filter',
};

/** How to call each method on 红塔区's records. A new repo method that takes an actor needs one here. */
const FIXTURES: Record<string, Fixture> = {
  'cameras.list': { read: (x) => [x, { q: a.cameraGbId }, { ...page, sort: 'name' }], marker: () => a.camera },
  'cameras.findInScope': { read: (x) => [x, a.camera], marker: () => a.camera },
  'cameras.features': { read: (x) => [x, { q: a.cameraGbId }], marker: () => a.camera },
  'cameras.listAlarms': { read: (x) => [x, { cameraId: a.camera }, page], marker: () => a.cameraAlarm },
  'cameras.update': {
    write: async (x) => [x, a.camera, await versionOf('cameras', a.camera), { name: '范围测试摄像机' }],
    changed: async () => (await value('SELECT name FROM cameras WHERE id = $1', [a.camera])) === '范围测试摄像机',
  },
  'cameras.softDelete': { write: (x) => [x, a.camera, 'scope test'], changed: () => isDeleted('cameras', a.camera) },
  'sites.list': { read: (x) => [x, { q: a.siteName }, { ...page, sort: 'name' }], marker: () => a.site },
  'sites.findInScope': { read: (x) => [x, a.site], marker: () => a.site },
  'sites.features': { read: (x) => [x, { q: a.siteName }], marker: () => a.site },
  'sites.update': {
    write: async (x) => [x, a.site, await versionOf('sites', a.site), { name: `${a.siteName}（改）` }],
    changed: async () => (await value('SELECT name FROM sites WHERE id = $1', [a.site])) !== a.siteName,
  },
  'sites.findByNames': { read: (x) => [x, [a.siteName]], marker: () => a.site },
  'sites.nearest': {
    read: (x) => [x, [a.activeSite.lon, a.activeSite.lat], SITE_KINDS, 3],
    marker: () => a.activeSite.id,
  },
  'sites.softDelete': { write: (x) => [x, a.site, 'scope test'], changed: () => isDeleted('sites', a.site) },

  'rangers.list': { read: (x) => [x, { q: a.rangerName }, { ...page, sort: 'name' }], marker: () => a.ranger },
  'rangers.findInScope': { read: (x) => [x, a.ranger], marker: () => a.ranger },
  'rangers.stationCommandsArea': { read: (x) => [x, a.station, a.grid.path], marker: () => 'true' },
  'rangers.lockUserInScope': { read: (x) => [x, a.user], marker: () => a.user },
  'rangers.update': {
    write: async (x) => [x, a.otherRanger, await versionOf('rangers', a.otherRanger), { notes: 'scope test' }],
    changed: async () => (await value('SELECT notes FROM rangers WHERE id = $1', [a.otherRanger])) === 'scope test',
  },
  'rangers.softDelete': { write: (x) => [x, a.otherRanger], changed: () => isDeleted('rangers', a.otherRanger) },

  'devices.list': { read: (x) => [x, { rangerId: a.ranger, ...page }], marker: () => a.device },
  'devices.findInScope': { read: (x) => [x, a.device], marker: () => a.device },
  'devices.rangerInScope': { read: (x) => [x, a.ranger], marker: () => a.ranger },
  'devices.keyPolicies': { read: (x) => [x], marker: () => '红塔区' },
  'devices.update': {
    write: async (x) => [x, a.otherDevice, await versionOf('devices', a.otherDevice), { name: 'scope test' }],
    changed: async () => (await value('SELECT name FROM devices WHERE id = $1', [a.otherDevice])) === 'scope test',
  },
  'devices.softDelete': { write: (x) => [x, a.otherDevice], changed: () => isDeleted('devices', a.otherDevice) },

  'positions.live': { read: (x) => [x, 30], marker: () => a.device },
  'positions.nearestOnline': {
    read: (x) => [x, a.at, { limit: 5, onlineMinutes: 10 }],
    marker: () => a.ranger,
  },

  'patrols.list': { read: (x) => [x, { rangerId: a.ranger }, page], marker: () => a.patrol },
  'patrols.findInScope': { read: (x) => [x, a.patrol], marker: () => a.patrol },

  'checkins.listPoints': { read: (x) => [x, {}], marker: () => a.point },
  'checkins.findPointInScope': { read: (x) => [x, a.point], marker: () => a.point },
  'checkins.softDeletePoint': { write: (x) => [x, a.point], changed: () => isDeleted('checkin_points', a.point) },

  'plans.list': { read: (x) => [x], marker: () => a.plan },
  'plans.findForUnit': { read: (x) => [x, a.grid.id], marker: () => a.plan },
  'plans.compliance': { read: (x) => [x, month.from, month.to], marker: () => a.plan },
  'plans.update': {
    write: (x) => [x, a.plan, { orgUnitId: a.grid.id, patrolsPerWeek: 6, minHoursPerPatrol: 1 }],
    changed: async () => Number(await value('SELECT patrols_per_week FROM patrol_plans WHERE id = $1', [a.plan])) === 6,
  },

  'performance.rangers': { read: (x) => [x, month, rules], marker: () => a.ranger },
  'performance.units': { read: (x) => [x, month, 'county', rules], marker: () => '红塔区' },

  'alerts.list': { read: (x) => [x, { rangerId: a.ranger, ...page }], marker: () => a.alert },
  'alerts.findInScope': { read: (x) => [x, a.alert], marker: () => a.alert },
  'alerts.setState': {
    write: async (x) => [x, a.alert, await versionOf('alerts', a.alert), { state: 'acknowledged', by: 'scope-test' }],
    changed: async () => (await value('SELECT state FROM alerts WHERE id = $1', [a.alert])) === 'acknowledged',
  },

  'field-reports.list': { read: (x) => [x, { rangerId: a.ranger }, page], marker: () => a.report },
  'field-reports.findInScope': { read: (x) => [x, a.report], marker: () => a.report },
  'field-reports.setStatus': {
    write: (x) => [x, a.report, 'verified'],
    changed: async () => (await value('SELECT status FROM field_reports WHERE id = $1', [a.report])) === 'verified',
  },

  'org.list': { read: (x) => [x, {}], marker: () => a.gridCode },
  'org.findInScope': { read: (x) => [x, a.grid.id], marker: () => a.gridCode },
  'org.findManyByCode': { read: (x) => [x, { codes: [a.gridCode] }], marker: () => a.gridCode },
  'org.layer': { read: (x) => [x, 'grids', 8], marker: () => a.gridCode },
  'org.area': { read: (x) => [x, a.grid.id, 8], marker: () => a.gridCode },
  'indicators.findUnitByCode': { read: (x) => [x, a.gridCode], marker: () => a.gridCode },

  'audit.list': { read: (x) => [x, { entity: 'scope_probe', limit: 10, offset: 0 }], marker: () => 'scope-probe-entry' },

  'files.findMetaInScope': { read: (x) => [x, a.file], marker: () => a.file },
  'files.findInScope': { read: (x) => [x, a.file], marker: () => a.file },
  // Attaching to a record of the file's own unit: answers the file in scope, null outside it.
  'files.attachInScope': { read: (x) => [x, a.file, a.grid.id], marker: () => a.file },

  'tipoffs.list': { read: (x) => [x, {}, page], marker: () => a.tipoff },
  'tipoffs.findInScope': { read: (x) => [x, a.tipoff], marker: () => a.tipoff },
  'tipoffs.insertReply': {
    write: (x) => [x, a.tipoff, 'scope test reply'],
    changed: async () => Number(await value('SELECT count(*) FROM tipoff_replies WHERE tipoff_id = $1', [a.tipoff])) > 0,
  },
  'notifications.listDeliveries': { read: (x) => [x, { ref: undefined }, page], marker: () => a.delivery },
  'notifications.findDeliveryInScope': { read: (x) => [x, a.delivery], marker: () => a.delivery },
  'notifications.requeue': {
    write: (x) => [x, a.delivery],
    changed: async () => (await value('SELECT status FROM notification_deliveries WHERE id = $1', [a.delivery])) === 'pending',
  },

  // (Emergency plans: `plans.repo.ts` of modules/plans; the patrol plans' methods above are `list`, `findForUnit`, …)
  'plans.listPlans': { read: (x) => [x, {}, page], marker: () => a.emergencyPlan },
  'plans.findPlanInScope': { read: (x) => [x, a.emergencyPlan], marker: () => a.emergencyPlan },
  'plans.updatePlan': {
    write: async (x) => [x, a.emergencyPlan, await versionOf('emergency_plans', a.emergencyPlan), { name: '范围测试预案（改）' }],
    changed: async () => (await value('SELECT name FROM emergency_plans WHERE id = $1', [a.emergencyPlan])) === '范围测试预案（改）',
  },
  'plans.softDeletePlan': { write: (x) => [x, a.emergencyPlan], changed: () => isDeleted('emergency_plans', a.emergencyPlan) },
  'plans.listActivations': { read: (x) => [x, a.incident], marker: () => a.activation },
  'plans.findActivationInScope': { read: (x) => [x, a.activation], marker: () => a.activation },
  'plans.setSteps': {
    write: async (x) => [
      x,
      a.activation,
      await versionOf('plan_activations', a.activation),
      [{ text: '改', done: true, doneBy: 'x', doneAt: null }],
    ],
    changed: async () => (await value("SELECT steps->0->>'text' AS t FROM plan_activations WHERE id = $1", [a.activation])) === '改',
  },

  'goals.listEntries': { read: (x) => [x, { unitIds: [a.county.id], from: 2009, to: 2009 }], marker: () => a.goalEntry },
  'goals.findEntryInScope': { read: (x) => [x, a.goalEntry], marker: () => a.goalEntry },
  'goals.findEntryOf': {
    read: (x) => [x, { orgUnitId: a.county.id, measureCode: 'forest_area', year: 2009 }],
    marker: () => a.goalEntry,
  },
  'goals.updateEntry': {
    write: async (x) => [
      x,
      a.goalEntry,
      await versionOf('goal_entries', a.goalEntry),
      { value: 2, unit: '公顷', source: '范围测试（改）', sourceDate: '2010-01-02', fileId: null, note: null, enteredBy: 'scope-test' },
    ],
    changed: async () => (await value('SELECT source FROM goal_entries WHERE id = $1', [a.goalEntry])) === '范围测试（改）',
  },
  'goals.deleteEntry': {
    write: (x) => [x, a.goalEntry],
    changed: async () => Number(await value('SELECT count(*)::int AS n FROM goal_entries WHERE id = $1', [a.goalEntry])) === 0,
  },

  'station-standards.findStation': { read: (x) => [x, a.stationSite], marker: () => a.stationSite },
  'station-standards.findRating': { read: (x) => [x, a.stationSite, 2009], marker: () => a.stationRating },
  'station-standards.listStations': { read: (x) => [x, { year: 2009 }, { limit: 500, offset: 0 }], marker: () => a.stationSite },
  'station-standards.dashboard': { read: (x) => [x, { year: 2009 }], marker: () => '"county_name":"红塔区"' },
  'station-standards.updateRating': {
    write: async (x) => [x, a.stationRating, await versionOf('station_ratings', a.stationRating), { reviewComment: '范围测试（改）' }],
    changed: async () => (await value('SELECT review_comment FROM station_ratings WHERE id = $1', [a.stationRating])) === '范围测试（改）',
  },

  'incidents.list': { read: (x) => [x, {}, page], marker: () => a.incident },
  'incidents.findInScope': { read: (x) => [x, a.incident], marker: () => a.incident },
  'incidents.update': {
    write: async (x) => [x, a.incident, await versionOf('incidents', a.incident), { title: 'scope test（改）' }],
    changed: async () => (await value('SELECT title FROM incidents WHERE id = $1', [a.incident])) === 'scope test（改）',
  },

  'sites.placesInScope': { read: (x) => [x, [a.site], SITE_KINDS], marker: () => a.site },
  'captures.search': { read: (x) => [x, { plate: '云FS0001', match: 'exact' }, page, 100], marker: () => a.capture },
  'captures.findInScope': { read: (x) => [x, a.capture], marker: () => a.capture },
  'captures.passages': { read: (x) => [x, '云FS0001', {}, page], marker: () => a.capture },
  'watchlists.list': { read: (x) => [x, {}, page], marker: () => a.watchlist },
  'watchlists.findInScope': { read: (x) => [x, a.watchlist], marker: () => a.watchlist },
  'watchlists.listHits': { read: (x) => [x, {}, page], marker: () => a.hit },
  'watchlists.setState': {
    write: async (x) => [
      x,
      a.watchlist,
      { from: ['pending'], to: 'approved', version: await versionOf('watchlists', a.watchlist), by: 'scope-test', note: null },
    ],
    changed: async () => (await value('SELECT state FROM watchlists WHERE id = $1', [a.watchlist])) === 'approved',
  },
  'hotspots.list': { read: (x) => [x, {}, { ...page, sort: '-detectedAt' }], marker: () => a.hotspot },
  'hotspots.findInScope': { read: (x) => [x, a.hotspot], marker: () => a.hotspot },
  'hotspots.features': { read: (x) => [x, {}], marker: () => a.hotspot },
  'hotspots.userInScope': { read: (x) => [x, a.user], marker: () => 'true' },
  'hotspots.assignCheck': {
    write: (x) => [x, a.hotspot, { assigneeUserId: null, assigneeUnitId: a.grid.id, deadline: null, assignedBy: 'scope-test' }],
    changed: async () => Number(await value('SELECT count(*)::int AS n FROM hotspot_checks WHERE hotspot_id = $1', [a.hotspot])) === 1,
  },
  'hotspots.recordCheck': {
    write: (x) => [
      x,
      a.hotspot,
      undefined,
      { result: 'false_alarm', checkedAt: new Date(), note: null, fireOut: true, photoFileIds: [], checkedBy: 'scope-test' },
    ],
    changed: async () =>
      (await value('SELECT count(*)::int AS n FROM hotspot_checks WHERE hotspot_id = $1 AND result IS NOT NULL', [a.hotspot])) === 1,
  },

  'circles.findDeploymentInScope': { read: (x) => [x, a.deployment, new Date()], marker: () => a.deployment },
  'circles.listDeployments': { read: (x) => [x, {}, page, new Date()], marker: () => a.deployment },
  'circles.deletePlannedDeployment': {
    write: (x) => [x, a.plannedDeployment, 1, new Date('2025-01-01T00:00:00+08:00')],
    changed: async () => (await value('SELECT count(*)::int FROM mobile_deployments WHERE id = $1', [a.plannedDeployment])) === 0,
  },
  'circles.endDeployment': {
    write: async (x) => [x, a.deployment, await versionOf('mobile_deployments', a.deployment), new Date('2025-02-10T20:00:00+08:00')],
    changed: async () =>
      new Date(String(await value('SELECT ends_at FROM mobile_deployments WHERE id = $1', [a.deployment]))).getTime() ===
      new Date('2025-02-10T20:00:00+08:00').getTime(),
  },

  'assessment.listRounds': { read: (x) => [x, {}], marker: () => a.assessmentRound },
  'assessment.findRoundInScope': { read: (x) => [x, a.assessmentRound], marker: () => a.assessmentRound },
  'assessment.listEntries': { read: (x) => [x, a.assessmentRound], marker: () => a.assessmentEntry },
  'assessment.findEntryInScope': { read: (x) => [x, a.assessmentEntry], marker: () => a.assessmentEntry },
  'assessment.openEntries': { read: (x) => [x], marker: () => a.assessmentEntry },
  'assessment.entryOfUnitInYear': { read: async (x) => [x, (await t.unit('530402001')).id, 2024], marker: () => a.assessmentEntry },
  'assessment.listTitles': { read: (x) => [x, {}], marker: () => a.assessmentTitle },
  'assessment.findTitleInScope': { read: (x) => [x, a.assessmentTitle], marker: () => a.assessmentTitle },
  'responsibilities.listRegisters': { read: (x) => [x, { year: 2025 }, page], marker: () => a.register },
  'responsibilities.findRegisterInScope': { read: (x) => [x, a.register], marker: () => a.register },
  'responsibilities.tasksOfRegisters': { read: (x) => [x, [a.register]], marker: () => a.task },
  'responsibilities.findTaskInScope': { read: (x) => [x, a.task], marker: () => a.task },
  'responsibilities.progressOfTask': { read: (x) => [x, a.task], marker: () => '测试进度' },
  'responsibilities.checksOfTask': { read: (x) => [x, a.task], marker: () => '"pass"' },
  'responsibilities.updateRegister': {
    write: async (x) => [x, a.register, await versionOf('responsibility_registers', a.register), { leaderName: '范围测试' }],
    changed: async () => (await value('SELECT leader_name FROM responsibility_registers WHERE id = $1', [a.register])) === '范围测试',
  },
  'responsibilities.updateTask': {
    write: async (x) => [x, a.task, await versionOf('responsibility_tasks', a.task), { title: '范围测试（改）' }],
    changed: async () => (await value('SELECT title FROM responsibility_tasks WHERE id = $1', [a.task])) === '范围测试（改）',
  },
  'responsibilities.softDeleteTask': { write: (x) => [x, a.task], changed: () => isDeleted('responsibility_tasks', a.task) },
};

beforeAll(async () => {
  t = await createTestApp();
  a.county = await t.unit('530402');
  a.gridCode = '53040200101'; // ranger1's grid
  a.grid = await t.unit(a.gridCode);
  a.station = (await t.unit('530402-P01')).id;
  own = actorOf(a.county, 'hongta');
  foreign = actorOf(await t.unit('530403'), 'jiangchuan');
  const inA = `(SELECT id FROM org_units WHERE path LIKE '${a.county.path}%')`;
  a.user = String(await value('SELECT id FROM users WHERE username = $1', ['hongta']));
  ({ id: a.site, name: a.siteName } = await one(
    `SELECT id, name FROM sites WHERE deleted_at IS NULL AND org_unit_id IN ${inA} ORDER BY id LIMIT 1`,
  ));
  ({ id: a.camera, gb_id: a.cameraGbId } = await one(
    `SELECT id, gb_id FROM cameras WHERE deleted_at IS NULL AND org_unit_id IN ${inA} ORDER BY id LIMIT 1`,
  ));
  a.cameraAlarm = String(
    await value(
      `INSERT INTO camera_alarms (camera_id, org_unit_id, type, at, last_at, protocol)
       SELECT id, org_unit_id, 'motion', now(), now(), 'json' FROM cameras WHERE id = $1 RETURNING id`,
      [a.camera],
    ),
  );
  a.ranger = await t.rangerIdOf('ranger1');
  a.rangerName = String(await value('SELECT name FROM rangers WHERE id = $1', [a.ranger]));
  a.otherRanger = String(await value(`SELECT id FROM rangers WHERE id <> $1 AND org_unit_id IN ${inA} ORDER BY id LIMIT 1`, [a.ranger]));
  a.device = String(
    await value(
      'SELECT d.id FROM devices d JOIN device_bindings b ON b.device_id = d.id AND b.valid_to IS NULL WHERE b.ranger_id = $1 LIMIT 1',
      [a.ranger],
    ),
  );
  a.otherDevice = String(
    await value(
      `SELECT d.id FROM devices d JOIN device_bindings b ON b.device_id = d.id AND b.valid_to IS NULL WHERE b.ranger_id = $1 AND d.deleted_at IS NULL LIMIT 1`,
      [a.otherRanger],
    ),
  );
  const [lon, lat] = await t.pointIn(a.gridCode);
  a.at = [lon, lat];
  a.activeSite = await one(
    `SELECT id, ST_X(location) AS lon, ST_Y(location) AS lat FROM sites
     WHERE deleted_at IS NULL AND status = 'in_service' AND active_from IS NULL AND active_to IS NULL AND org_unit_id IN ${inA}
     ORDER BY id LIMIT 1`,
  );
  await createDeviceState(t, { deviceId: a.device, rangerId: a.ranger, lon, lat });
  const owned = { rangerId: a.ranger, orgUnitId: a.grid.id };
  a.patrol = await createPatrol(t, { ...owned, startedAt: '2025-02-10T08:00:00+08:00' });
  a.point = await createCheckinPoint(t, { name: 'scope test', orgUnitId: a.grid.id, lon, lat, radiusM: 50 });
  a.plan = await createPatrolPlan(t, { orgUnitId: a.grid.id });
  a.alert = await createAlert(t, { ...owned, deviceId: a.device, countyCode: '530402', lon, lat });
  a.report = await createFieldReport(t, { ...owned, lon, lat });
  a.file = await createFile(t, { orgUnitId: a.grid.id });
  a.delivery = await createNotificationDelivery(t, { orgUnitId: a.grid.id, status: 'failed' });
  a.incident = await createIncident(t, { orgUnitId: a.grid.id, lon, lat, title: 'scope test' });
  a.hotspot = await createHotspot(t, { orgUnitId: a.grid.id, countyCode: '530402', lon, lat });
  a.watchlist = await createWatchlist(t, { orgUnitId: a.county.id });
  a.capture = await createCapture(t, { checkpointId: a.site, orgUnitId: a.grid.id, plate: '云FS0001' });
  a.hit = await createWatchlistHit(t, {
    watchlistId: a.watchlist,
    captureId: a.capture,
    checkpointId: a.site,
    orgUnitId: a.grid.id,
    plate: '云FS0001',
  });
  a.deployment = await createMobileDeployment(t, { siteId: a.site, orgUnitId: a.grid.id, lon, lat });
  a.plannedDeployment = await createMobileDeployment(t, {
    siteId: a.site,
    orgUnitId: a.grid.id,
    lon,
    lat,
    from: '2025-03-01T08:00:00+08:00',
    to: '2025-03-02T08:00:00+08:00',
  });
  a.tipoff = await createTipoff(t, { orgUnitId: a.grid.id, lon, lat, incidentId: a.incident });
  a.register = await createResponsibilityRegister(t, { orgUnitId: a.county.id });
  a.task = await createResponsibilityTask(t, { registerId: a.register, orgUnitId: a.county.id });
  a.emergencyPlan = await createEmergencyPlan(t, { orgUnitId: a.county.id, name: '范围测试预案' });
  a.activation = await createPlanActivation(t, { planId: a.emergencyPlan, incidentId: a.incident, orgUnitId: a.grid.id });
  const township = await t.unit('530402001');
  a.assessmentRound = await createAssessmentRound(t, { orgUnitId: a.county.id });
  a.assessmentEntry = await createAssessmentEntry(t, { roundId: a.assessmentRound, orgUnitId: township.id });
  a.assessmentTitle = await createAssessmentTitle(t, { orgUnitId: township.id, namedByUnitId: a.county.id });
  a.goalEntry = String(
    await value(
      `INSERT INTO goal_entries (org_unit_id, measure_code, year, value, source, source_date, entered_by)
       VALUES ($1, 'forest_area', 2009, 1, '范围测试', '2010-01-01', 'scope-test') RETURNING id`,
      [a.county.id],
    ),
  );
  a.stationSite = String(
    await value(
      `SELECT id FROM sites WHERE kind = 'police_station' AND deleted_at IS NULL AND org_unit_id IN ${inA} ORDER BY id LIMIT 1`,
      [],
    ),
  );
  await t.database.pool.query(`INSERT INTO station_checklists (year, updated_by) VALUES (2009, 'scope-test')`);
  a.stationRating = String(
    await value(
      `INSERT INTO station_ratings (site_id, org_unit_id, year) SELECT id, org_unit_id, 2009 FROM sites WHERE id = $1 RETURNING id`,
      [a.stationSite],
    ),
  );
  await t.database.pool.query(
    `INSERT INTO audit_log (action, entity, entity_id, org_unit_id) VALUES ('scope_probe.write', 'scope_probe', 'scope-probe-entry', $1)`,
    [a.grid.id],
  );
});
afterAll(() => t?.close());

describe('every repository method that takes an actor keeps to the actor’s scope', () => {
  let methods: Method[];
  beforeAll(async () => {
    methods = await scopedRepoMethods();
  });

  it('finds the repositories’ scoped methods, and each has a fixture', () => {
    expect(methods.length).toBeGreaterThan(40);
    const missing = methods.map((m) => m.key).filter((key) => !FIXTURES[key] && !NOT_SCOPED[key]);
    expect(missing, 'add a fixture to FIXTURES in platform/scope-predicates.test.ts for these repo methods').toEqual([]);
    const stale = [...Object.keys(FIXTURES), ...Object.keys(NOT_SCOPED)].filter((key) => !methods.some((m) => m.key === key));
    expect(stale, 'these fixtures name no repo method that takes an actor any more').toEqual([]);
  });

  it('no read answers another county’s record, and the county’s own office gets it', async () => {
    const wrong: string[] = [];
    for (const { key, call } of methods) {
      const fixture = FIXTURES[key];
      if (!fixture || !('read' in fixture)) continue;
      const answer = async (actor: Actor) => JSON.stringify((await call(t.database.db, ...(await fixture.read(actor)))) ?? null);
      if ((await answer(foreign)).includes(fixture.marker())) wrong.push(`${key} answers 江川区 a record of 红塔区`);
      if (!(await answer(own)).includes(fixture.marker()))
        wrong.push(`${key} does not answer 红塔区 its own record (the fixture proves nothing)`);
    }
    expect(wrong).toEqual([]);
  });

  it('no write changes another county’s record, and the county’s own office can', async () => {
    const wrong: string[] = [];
    for (const { key, call } of methods) {
      const fixture = FIXTURES[key];
      if (!fixture || !('write' in fixture)) continue;
      await call(t.database.db, ...(await fixture.write(foreign)));
      if (await fixture.changed()) wrong.push(`${key} changed a record of 红塔区 for 江川区`);
      await call(t.database.db, ...(await fixture.write(own)));
      if (!(await fixture.changed())) wrong.push(`${key} did not change 红塔区's own record (the fixture proves nothing)`);
    }
    expect(wrong).toEqual([]);
  });
});
