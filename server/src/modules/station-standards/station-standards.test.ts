import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFile } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { cstYear } from '../../platform/dates.js';
import { indicatorPeriod } from '../../platform/indicators.js';
import { levelOf } from './station-standards.levels.js';
import { SAMPLE_CHECKLIST } from './station-standards.sample.js';

/**
 * The "五化" checklist of forest police stations against a real database: a station rates itself
 * with evidence and submits; the county reviews, returns, confirms the level; the city keeps the
 * checklist per year; each sees its own stations; the dashboard and the indicator count it.
 */

let t: TestApp;
const YEAR = cstYear();
/** The station of police1 (530402-P01), another station of 红塔区's county scope, and one of 江川区. */
let own: { siteId: string; unitId: number };
let jiangchuanStation: string;
let hongtaCounty: { id: number; path: string };

type RatingBody = {
  id: string | null;
  status: string;
  version: number;
  computedLevel: string | null;
  level: string | null;
  reviewComment: string | null;
  checklist: { year: number; sample: boolean };
  dimensions: { dimension: string; passed: number; applicable: number; rate: number | null }[];
  items: {
    item: { code: string; key: boolean; evidence: string | null };
    selfResult: string | null;
    evidenceFileIds: string[];
    reviewResult: string | null;
  }[];
};
const url = (siteId: string, year = YEAR) => `/api/station-standards/stations/${siteId}/ratings/${year}`;
const put = (as: string, path: string, payload: unknown) => t.request(as, { method: 'PUT', url: path, payload: payload as object });
const rating = async (as: string, siteId = own.siteId, year = YEAR) => {
  const res = await t.get(as, url(siteId, year));
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as RatingBody;
};
const stationOf = async (unitCode: string) => {
  const { rows } = await t.database.pool.query<{ id: string; org_unit_id: number }>(
    `SELECT s.id, s.org_unit_id FROM sites s JOIN org_units u ON u.id = s.org_unit_id
     WHERE s.kind = 'police_station' AND s.deleted_at IS NULL AND u.code = $1 LIMIT 1`,
    [unitCode],
  );
  if (!rows[0]) throw new Error(`no station at ${unitCode}`);
  return { siteId: rows[0].id, unitId: rows[0].org_unit_id };
};
/** Every item of the sample passed, with a file where the item asks for evidence. */
const allPass = (fileId: string, over: Record<string, string> = {}) =>
  SAMPLE_CHECKLIST.items.map((item) => ({
    code: item.code,
    result: over[item.code] ?? 'pass',
    note: '自评说明',
    evidenceFileIds: item.evidence ? [fileId] : [],
  }));

beforeAll(async () => {
  t = await createTestApp();
  own = await stationOf('530402-P01');
  jiangchuanStation = (await stationOf('530403-P01')).siteId;
  hongtaCounty = await t.unit('530402');
});
afterAll(() => t?.close());

describe('the level rule', () => {
  const rates = { standardRate: 80, modelRate: 100 };
  const items = (results: ('pass' | 'fail' | 'na')[], key = false) =>
    results.map((result, i) => ({
      dimension: (['premises', 'greening', 'management', 'informatization', 'law_enforcement'] as const)[i % 5],
      key,
      result,
    }));
  it('gives 示范 when every item passes, 达标 above the rate, 未达标 below it or with a key item failed', () => {
    expect(levelOf(items(Array(10).fill('pass')), rates)).toBe('model');
    const tenPerDimension = Array.from({ length: 50 }, (_, i) => (i === 0 ? 'fail' : 'pass') as 'pass' | 'fail');
    expect(levelOf(items(tenPerDimension), rates)).toBe('standard');
    expect(levelOf(items(Array(10).fill('fail')), rates)).toBe('unqualified');
    expect(levelOf(items(tenPerDimension, true), rates)).toBe('unqualified');
    expect(levelOf([...items(Array(5).fill('pass')), { dimension: 'premises', key: false, result: 'na' }], rates)).toBe('model');
    expect(levelOf([...items(Array(5).fill('pass')), { dimension: 'premises', key: false, result: null }], rates)).toBe('unqualified');
  });
});

describe('a station rates itself and the county confirms its level', () => {
  let fileId: string;
  it('shows the station a blank rating on this year’s sample checklist', async () => {
    const blank = await rating('police1');
    expect(blank).toMatchObject({ id: null, status: 'not_started', checklist: { year: YEAR, sample: true } });
    expect(blank.items.map((i) => i.item.code)).toEqual(SAMPLE_CHECKLIST.items.map((i) => i.code));
  });

  it('refuses to submit before every item is rated, naming the items', async () => {
    fileId = await createFile(t, { orgUnitId: own.unitId });
    const first = await put('police1', url(own.siteId), { items: allPass(fileId).slice(0, 3) });
    expect(first.statusCode, first.body).toBe(200);
    const started = first.json() as RatingBody;
    expect(started.status).toBe('draft');
    const submit = await t.post('police1', `${url(own.siteId)}/submit`, { version: started.version });
    expect(submit.statusCode).toBe(409);
    expect(submit.json().error.details.unrated).toContain('5.4');
  });

  it('refuses a pass without the evidence the item asks for', async () => {
    const current = await rating('police1');
    const items = allPass(fileId).map((i) => (i.code === '1.1' ? { ...i, evidenceFileIds: [] } : i));
    const saved = await put('police1', url(own.siteId), { version: current.version, items });
    expect(saved.statusCode, saved.body).toBe(200);
    const submit = await t.post('police1', `${url(own.siteId)}/submit`, { version: saved.json().version });
    expect(submit.statusCode).toBe(409);
    expect(submit.json().error.details.missingEvidence).toEqual(['1.1']);
  });

  it('submits, and then the station cannot change it', async () => {
    const current = await rating('police1');
    const saved = await put('police1', url(own.siteId), { version: current.version, items: allPass(fileId, { '2.1': 'fail' }) });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().computedLevel).toBe('standard');
    const submitted = await t.post('police1', `${url(own.siteId)}/submit`, { version: saved.json().version });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('submitted');
    const again = await put('police1', url(own.siteId), { version: submitted.json().version, items: allPass(fileId) });
    expect(again.statusCode).toBe(409);
    expect((await rating('police1')).items.find((i) => i.item.code === '2.1')?.selfResult).toBe('fail');
  });

  it('does not let the station review or confirm itself', async () => {
    const current = await rating('police1');
    expect((await put('police1', `${url(own.siteId)}/review`, { version: current.version, items: [] })).statusCode).toBe(403);
    expect((await t.post('police1', `${url(own.siteId)}/confirm`, { version: current.version, level: 'model' })).statusCode).toBe(403);
  });

  it('lets the county return it with a comment, and the station correct and resubmit', async () => {
    const current = await rating('hongta');
    expect((await t.post('hongta', `${url(own.siteId)}/return`, { version: current.version, comment: '' })).statusCode).toBe(400);
    const returned = await t.post('hongta', `${url(own.siteId)}/return`, { version: current.version, comment: '2.1 请补充绿化照片' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'returned', reviewComment: '2.1 请补充绿化照片' });
    const fixed = await put('police1', url(own.siteId), {
      version: returned.json().version,
      items: allPass(fileId).filter((i) => i.code === '2.1'),
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().computedLevel).toBe('model');
    const resubmitted = await t.post('police1', `${url(own.siteId)}/submit`, { version: fixed.json().version });
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
  });

  it('confirms only once every item is reviewed, at the computed level or lower with a reason', async () => {
    let current = await rating('hongta');
    const stale = await t.post('hongta', `${url(own.siteId)}/confirm`, { version: current.version, level: 'model' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.unreviewed).toHaveLength(SAMPLE_CHECKLIST.items.length);
    const reviewItems = SAMPLE_CHECKLIST.items.map((i) => ({
      code: i.code,
      result: i.code === '3.3' ? 'fail' : 'pass',
      comment: i.code === '3.3' ? '培训记录不全' : null,
    }));
    const reviewed = await put('hongta', `${url(own.siteId)}/review`, {
      version: current.version,
      comment: '实地检查',
      items: reviewItems,
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    current = reviewed.json();
    expect(current.computedLevel).toBe('standard');
    expect(current.dimensions.find((d) => d.dimension === 'management')).toMatchObject({ passed: 4, applicable: 5, rate: 80 });
    const higher = await t.post('hongta', `${url(own.siteId)}/confirm`, { version: current.version, level: 'model' });
    expect(higher.statusCode).toBe(400);
    expect(higher.json().error.details[0].path).toBe('body.level');
    const lowerNoReason = await t.post('hongta', `${url(own.siteId)}/confirm`, { version: current.version, level: 'unqualified' });
    expect(lowerNoReason.statusCode).toBe(400);
    expect(lowerNoReason.json().error.details[0].path).toBe('body.comment');
    const old = await t.post('hongta', `${url(own.siteId)}/confirm`, { version: current.version - 1, level: 'standard' });
    expect(old.statusCode).toBe(409);
    const confirmed = await t.post('hongta', `${url(own.siteId)}/confirm`, { version: current.version, level: 'standard' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', level: 'standard', computedLevel: 'standard' });
    // Confirmed is final: no more review, no more self-rating.
    expect((await put('hongta', `${url(own.siteId)}/review`, { version: confirmed.json().version, items: [] })).statusCode).toBe(409);
    expect((await put('police1', url(own.siteId), { version: confirmed.json().version, items: [] })).statusCode).toBe(409);
  });

  it('audits every step', async () => {
    const { rows } = await t.database.pool.query<{ action: string; username: string }>(
      `SELECT action, actor_name AS username FROM audit_log WHERE entity = 'station_rating' AND entity_id = (SELECT id::text FROM station_ratings WHERE site_id = $1 AND year = $2) ORDER BY id`,
      [own.siteId, YEAR],
    );
    const actions = rows.map((r) => `${r.username} ${r.action}`);
    expect(actions[0]).toBe('police1 station_rating.create');
    expect(actions).toEqual(
      expect.arrayContaining([
        'police1 station_rating.submit',
        'hongta station_rating.return',
        'hongta station_rating.review',
        'hongta station_rating.confirm',
      ]),
    );
  });

  it('shows the confirmed level in the list, the dashboard and the indicator', async () => {
    const list = await t.get('city', `/api/station-standards/stations?year=${YEAR}&orgUnitId=${hongtaCounty.id}`);
    expect(list.statusCode, list.body).toBe(200);
    const row = list.json().items.find((r: { station: { siteId: string } }) => r.station.siteId === own.siteId);
    expect(row).toMatchObject({ status: 'confirmed', level: 'standard' });
    const dashboard = (await t.get('city', `/api/station-standards/dashboard?year=${YEAR}`)).json();
    const hongta = dashboard.byCounty.find((c: { orgUnitId: number }) => c.orgUnitId === hongtaCounty.id);
    expect(hongta.levels.standard).toBe(1);
    expect(dashboard.totals.standard).toBe(1);
    expect(dashboard.byDimension.find((d: { dimension: string }) => d.dimension === 'management')).toMatchObject({
      passed: 4,
      applicable: 5,
      stations: 1,
    });
    const standardLevel = (await t.get('city', `/api/station-standards/stations?year=${YEAR}&level=standard`)).json();
    expect(standardLevel.items.map((r: { station: { siteId: string } }) => r.station.siteId)).toEqual([own.siteId]);

    const indicator = t.indicators.get('police_station_standard_rate');
    expect(indicator).toBeDefined();
    const value = await indicator?.compute(
      t.database.db,
      { ...hongtaCounty, code: '530402', name: '红塔区', kind: 'county' },
      indicatorPeriod(YEAR),
    );
    const stations = list.json().total as number;
    expect(value?.basis.records).toBe(stations);
    expect(value?.value).toBeCloseTo(1 / stations, 4);
  });
});

describe('taking back a confirmed level', () => {
  it('the county takes it back with a reason: submitted again, level cleared, review kept; then confirms anew; audited', async () => {
    const current = await rating('hongta');
    expect(current.status).toBe('confirmed');
    const reopen = (as: string, body: Record<string, unknown>) => t.post(as, `${url(own.siteId)}/reopen`, body);
    expect((await reopen('hongta', { version: current.version })).json().error.details[0].path).toBe('body.reason');
    expect((await reopen('hongta', { version: current.version, reason: 'a\u0000b' })).statusCode).toBe(400);
    expect((await reopen('police1', { version: current.version, reason: '自己撤回' })).statusCode).toBe(403);
    expect((await reopen('jiangchuan', { version: current.version, reason: '别的县' })).statusCode).toBe(404);
    expect((await reopen('hongta', { version: current.version - 1, reason: '旧版本' })).statusCode).toBe(409);
    const reopened = await reopen('hongta', { version: current.version, reason: '复查发现 3.3 培训记录已补齐' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({
      status: 'submitted',
      level: null,
      levelComment: '复查发现 3.3 培训记录已补齐',
      confirmedAt: null,
    });
    expect(reopened.json().items.find((r: { item: { code: string } }) => r.item.code === '3.3').reviewResult).toBe('fail');
    // Only a confirmed level is taken back; the station still cannot change its self-rating.
    expect((await reopen('hongta', { version: reopened.json().version, reason: '再来一次' })).statusCode).toBe(409);
    expect((await put('police1', url(own.siteId), { version: reopened.json().version, items: [] })).statusCode).toBe(409);
    const row = (await t.get('city', `/api/station-standards/stations?year=${YEAR}&orgUnitId=${hongtaCounty.id}`))
      .json()
      .items.find((r: { station: { siteId: string } }) => r.station.siteId === own.siteId);
    expect(row).toMatchObject({ status: 'submitted', level: null });

    const reviewed = await put('hongta', `${url(own.siteId)}/review`, {
      version: reopened.json().version,
      items: [{ code: '3.3', result: 'fail', comment: '复查：培训记录仍缺两次' }],
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    const confirmed = await t.post('hongta', `${url(own.siteId)}/confirm`, { version: reviewed.json().version, level: 'standard' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', level: 'standard', levelComment: null });
    const { rows } = await t.database.pool.query(
      `SELECT before, after FROM audit_log WHERE action = 'station_rating.reopen' AND entity_id = $1`,
      [current.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].before).toMatchObject({ status: 'confirmed', level: 'standard', confirmedBy: 'hongta' });
    expect(rows[0].after).toMatchObject({ status: 'submitted', reason: '复查发现 3.3 培训记录已补齐' });
  });
});

describe('who sees which station', () => {
  it('a station’s account sees its own station only; its county all of the county’s; the city every county', async () => {
    const mine = (await t.get('police1', `/api/station-standards/stations?year=${YEAR}`)).json();
    expect(mine.items.map((r: { station: { siteId: string } }) => r.station.siteId)).toEqual([own.siteId]);
    const county = (await t.get('hongta', `/api/station-standards/stations?year=${YEAR}&pageSize=100`)).json();
    expect(county.total).toBeGreaterThanOrEqual(1);
    expect(county.items.every((r: { station: { countyId: number } }) => r.station.countyId === hongtaCounty.id)).toBe(true);
    const city = (await t.get('city', `/api/station-standards/dashboard?year=${YEAR}`)).json();
    expect(city.byCounty).toHaveLength(9);
  });

  it('another county’s station is not found, to read or to rate', async () => {
    expect((await t.get('jiangchuan', url(own.siteId))).statusCode).toBe(404);
    expect((await put('jiangchuan', url(own.siteId), { items: [] })).statusCode).toBe(404);
    expect((await t.get('police1', url(jiangchuanStation))).statusCode).toBe(404);
    expect((await t.get('jiangchuan', `/api/station-standards/stations?orgUnitId=${hongtaCounty.id}`)).statusCode).toBe(404);
  });

  it('a station cannot attach another county’s file', async () => {
    const foreign = await createFile(t, { orgUnitId: (await t.unit('530403')).id });
    const other = await stationOf('530402-P02').catch(() => null);
    const siteId = other?.siteId ?? own.siteId;
    const res = await put('hongta', url(siteId, YEAR + 1), { items: [{ code: '1.1', result: 'pass', evidenceFileIds: [foreign] }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.items.0.evidenceFileIds.0');
  });

  it('answers 403 to roles without the permission', async () => {
    expect((await put('city', url(own.siteId), { items: [] })).statusCode).toBe(403);
    expect((await put('police1', '/api/station-standards/checklists/2030', {})).statusCode).toBe(403);
    expect((await t.get('liaison1', '/api/station-standards/dashboard')).statusCode).toBe(403);
  });
});

describe('the checklist per year', () => {
  const body = (over: Record<string, unknown> = {}) => ({ standardRate: 60, modelRate: 100, items: SAMPLE_CHECKLIST.items, ...over });

  it('a year the city has not written starts as a copy of the latest earlier one, audited, and keeps it', async () => {
    const year = YEAR + 2;
    expect((await t.get('city', `/api/station-standards/checklists/${year}`)).statusCode).toBe(404);
    const started = await put('police1', url(own.siteId, year), { items: [{ code: '1.1', result: 'fail' }] });
    expect(started.statusCode, started.body).toBe(200);
    const copy = (await t.get('city', `/api/station-standards/checklists/${year}`)).json();
    expect(copy.items).toHaveLength(SAMPLE_CHECKLIST.items.length);
    const { rows } = await t.database.pool.query(`SELECT 1 FROM audit_log WHERE action = 'station_checklist.create' AND entity_id = $1`, [
      String(year),
    ]);
    expect(rows).toHaveLength(1);
  });

  it('the city writes a year; codes used twice, a missing dimension and bad rates are named', async () => {
    const year = 2040;
    const twice = await put(
      'city',
      `/api/station-standards/checklists/${year}`,
      body({ items: [...SAMPLE_CHECKLIST.items, SAMPLE_CHECKLIST.items[0]] }),
    );
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.details.map((d: { path: string }) => d.path)).toContain(`body.items.${SAMPLE_CHECKLIST.items.length}.code`);
    const missing = await put(
      'city',
      `/api/station-standards/checklists/${year}`,
      body({ items: SAMPLE_CHECKLIST.items.filter((i) => i.dimension !== 'greening') }),
    );
    expect(missing.statusCode).toBe(400);
    const rates = await put('city', `/api/station-standards/checklists/${year}`, body({ standardRate: 90, modelRate: 70 }));
    expect(rates.json().error.details[0].path).toBe('body.modelRate');
    const nul = await put('city', `/api/station-standards/checklists/${year}`, body({ notes: 'a\u0000b' }));
    expect(nul.statusCode).toBe(400);
    const created = await put(
      'city',
      `/api/station-standards/checklists/${year}`,
      body({ items: SAMPLE_CHECKLIST.items.slice(0, 10).concat(SAMPLE_CHECKLIST.items.slice(12)) }),
    );
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ year, sample: false, frozen: false, version: 1 });
    const stale = await put('city', `/api/station-standards/checklists/${year}`, body({ version: 7 }));
    expect(stale.statusCode).toBe(409);
  });

  it('freezes a year once a station submitted against it', async () => {
    const res = await put('city', `/api/station-standards/checklists/${YEAR}`, body({ version: 1 }));
    expect(res.statusCode).toBe(409);
    const list = (await t.get('city', '/api/station-standards/checklists')).json();
    expect(list.items.find((c: { year: number }) => c.year === YEAR)).toMatchObject({ frozen: true });
  });

  it('refuses an unknown item code and an impossible year, naming the field', async () => {
    const res = await put('police1', url(own.siteId, YEAR + 2), { items: [{ code: '9.9', result: 'pass' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.items.0.code');
    expect((await t.get('police1', `/api/station-standards/stations/${own.siteId}/ratings/99999`)).statusCode).toBe(400);
    expect((await t.get('police1', `/api/station-standards/stations/not-a-uuid/ratings/${YEAR}`)).statusCode).toBe(400);
  });
});

describe('the demonstration ratings', () => {
  it('rates most stations of last year, marked demo, on the sample checklist', async () => {
    const last = (await t.get('city', `/api/station-standards/dashboard?year=${YEAR - 1}`)).json();
    expect(last.totals.stations).toBeGreaterThan(0);
    expect(last.totals.none).toBeLessThan(last.totals.stations);
    const { rows } = await t.database.pool.query<{ demo: boolean }>(`SELECT DISTINCT demo FROM station_ratings WHERE year = $1`, [
      YEAR - 1,
    ]);
    expect(rows).toEqual([{ demo: true }]);
  });
});
