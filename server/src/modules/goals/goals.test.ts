import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFile, createIncident } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { cstYear } from '../../platform/dates.js';
import { DEFAULT_GOAL_MEASURES } from './goals.defaults.js';
import { judge } from './goals.service.js';

/**
 * The goals dashboard against a real database: a measure computed by an indicator of the registry
 * (a test indicator counting forest-fire incidents, through the seam's contract), figures entered
 * with their source, growth judged against the year before, the scope of the counties, bad input.
 */

let t: TestApp;
let hongta: { id: number; path: string };
let jiangchuan: { id: number; path: string };
const FIRE_KEY = 'goals_test_fire_count';
const THIS_YEAR = cstYear();

type Item = {
  code: string;
  value: number | null;
  previousValue: number | null;
  met: boolean | null;
  available: boolean;
  basis: { records: number; link: { path: string; query: Record<string, string> } | null } | null;
  entry: { id: string; source: string; sourceDate: string; version: number; fileId: string | null } | null;
  indicator: { key: string; definition: string } | null;
};
const goals = async (as: string, query: string) => {
  const res = await t.get(as, `/api/goals?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { year: number; unit: { code: string }; items: Item[] };
};
const itemOf = async (as: string, query: string, code: string) => {
  const found = (await goals(as, query)).items.find((i) => i.code === code);
  if (!found) throw new Error(`no measure ${code}`);
  return found;
};
const put = (as: string, body: Record<string, unknown>) => t.request(as, { method: 'PUT', url: '/api/goals/entries', payload: body });
const entry = (over: Record<string, unknown> = {}) => ({
  unitCode: '530402',
  year: 2012,
  measureCode: 'forest_area',
  value: 47_000,
  source: '森林资源二类调查',
  sourceDate: '2013-04-30',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  hongta = await t.unit('530402');
  jiangchuan = await t.unit('530403');
  // The seam's contract: a module registers an indicator that computes a value for a unit's subtree and a period, and says what it counted.
  t.indicators.register({
    key: FIRE_KEY,
    module: 'goals-test',
    name: '森林火灾警情数（测试）',
    nameEn: 'Forest fire incidents (test)',
    unit: 'count',
    definition: '期间内辖区森林火灾警情数',
    definitionEn: 'Forest fire incidents in the area and period',
    higherIsBetter: false,
    async compute(tx, unit, period) {
      const { rows } = await tx.execute<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM incidents i JOIN org_units o ON o.id = i.org_unit_id
        WHERE o.path LIKE ${`${unit.path}%`} AND i.category = 'forest_fire'
          AND i.reported_at >= ${period.from.toISOString()} AND i.reported_at < ${period.to.toISOString()}`);
      const n = Number(rows[0].n);
      return {
        value: n,
        basis: { records: n, link: { path: '/incidents', query: { category: 'forest_fire', orgUnitId: String(unit.id) } } },
      };
    },
  });
});
afterAll(() => t?.close());

describe('judging a figure against its target', () => {
  it('compares with a value, or with the year before; no figure is no judgement', () => {
    expect(judge('eq', 0, 0, null)).toBe(true);
    expect(judge('eq', 0, 1, null)).toBe(false);
    expect(judge('gte', 0.9, 0.92, null)).toBe(true);
    expect(judge('lte', 4, 4.5, null)).toBe(false);
    expect(judge('grow', null, 10, 9)).toBe(true);
    expect(judge('grow', null, 9, 9)).toBe(false);
    expect(judge('not_decline', null, 9, 9)).toBe(true);
    expect(judge('not_grow', null, 3, 4)).toBe(true);
    expect(judge('grow', null, 10, null)).toBeNull();
    expect(judge('eq', 0, null, null)).toBeNull();
    expect(judge('none', null, 5, 4)).toBeNull();
  });
});

describe('the default measures', () => {
  it('the city office sees the six ensures, the four goals and the public’s sense of safety, in order', async () => {
    const dashboard = await goals('city', `year=${THIS_YEAR - 1}`);
    expect(dashboard.unit.code).toBe('530400');
    const codes = dashboard.items.map((i) => i.code);
    for (const m of DEFAULT_GOAL_MEASURES) expect(codes).toContain(m.code);
    const groups = dashboard.items.map((i) => (DEFAULT_GOAL_MEASURES.find((m) => m.code === i.code) ?? { group: '?' }).group);
    expect(groups.filter((g) => g === 'ensure')).toHaveLength(6);
    expect(groups.indexOf('public')).toBeGreaterThan(groups.lastIndexOf('ensure'));
  });

  it('a measure whose indicator this installation does not register has no figure and says so', async () => {
    const fire = await itemOf('city', `year=${THIS_YEAR - 1}`, 'fire_control');
    if (!t.indicators.get('major_forest_fire_count')) {
      expect(fire).toMatchObject({ available: false, value: null, met: null, basis: null, indicator: null });
    } else {
      expect(fire.available).toBe(true);
    }
  });

  it('the demonstration figures of last year are sourced as such and judged against the year before', async () => {
    const area = await itemOf('hongta', `year=${THIS_YEAR - 1}`, 'forest_area');
    expect(area.value).toBeGreaterThan(0);
    expect(area.previousValue).toBeGreaterThan(0);
    expect(area.met).toBe((area.value ?? 0) > (area.previousValue ?? 0));
    expect(area.entry?.source).toContain('演示数据');
  });
});

describe('a measure computed by an indicator of the registry', () => {
  beforeAll(async () => {
    const res = await t.post('city', '/api/goals/measures', {
      code: 'test_fires',
      title: '测试：不发生森林火灾',
      titleEn: 'Test: no forest fire',
      group: 'ensure',
      method: 'indicator',
      indicatorKey: FIRE_KEY,
      targetOp: 'eq',
      targetValue: 0,
      sortOrder: 999,
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('is met while there is no fire, with the records it counted and the indicator’s definition', async () => {
    const item = await itemOf('hongta', 'year=2014', 'test_fires');
    expect(item).toMatchObject({ available: true, value: 0, met: true, basis: { records: 0 } });
    expect(item.indicator).toMatchObject({ key: FIRE_KEY, definition: '期间内辖区森林火灾警情数' });
  });

  it('a fire in 红塔区 fails 红塔区 and the city, not 江川区, and links to the incidents it counted', async () => {
    const [lon, lat] = await t.pointIn('53040200101');
    await createIncident(t, { orgUnitId: (await t.unit('53040200101')).id, lon, lat, reportedAt: '2014-06-01T10:00:00+08:00' });
    // A fire of another year is not counted.
    await createIncident(t, { orgUnitId: hongta.id, lon, lat, reportedAt: '2015-01-01T00:00:00+08:00' });
    const own = await itemOf('hongta', 'year=2014', 'test_fires');
    expect(own).toMatchObject({ value: 1, met: false, basis: { records: 1, link: { path: '/incidents' } } });
    expect(own.basis?.link?.query.orgUnitId).toBe(String(hongta.id));
    expect(await itemOf('jiangchuan', 'year=2014', 'test_fires')).toMatchObject({ value: 0, met: true });
    expect(await itemOf('city', 'year=2014&unit=530400', 'test_fires')).toMatchObject({ value: 1, met: false });
  });

  it('the heat grid shows each county of the city against it', async () => {
    const res = await t.get('city', '/api/goals/matrix?year=2014');
    expect(res.statusCode, res.body).toBe(200);
    const { rows, measures } = res.json();
    expect(rows).toHaveLength(10);
    const column = measures.findIndex((m: { code: string }) => m.code === 'test_fires');
    const cell = (code: string) => rows.find((r: { unit: { code: string } }) => r.unit.code === code).cells[column];
    expect(cell('530402')).toMatchObject({ value: 1, met: false, available: true });
    expect(cell('530403')).toMatchObject({ value: 0, met: true });
  });

  it('a measure naming an indicator nobody registers shows no source, not a number', async () => {
    const created = await t.post('city', '/api/goals/measures', {
      code: 'test_unregistered',
      title: '测试：无来源',
      titleEn: 'Test: no source',
      group: 'goal',
      method: 'indicator',
      indicatorKey: 'goals_test_nobody_registers',
      targetOp: 'eq',
      targetValue: 0,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(await itemOf('hongta', 'year=2014', 'test_unregistered')).toMatchObject({ available: false, value: null, met: null });
  });
});

describe('figures entered with their source', () => {
  it('a county enters its forest area with the source and date, audited', async () => {
    const res = await put('hongta', entry());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      unitCode: '530402',
      year: 2012,
      value: 47_000,
      unit: '公顷',
      source: '森林资源二类调查',
      enteredBy: 'hongta',
    });
    const { rows } = await t.database.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'goal_entry.put' AND entity_id = $1",
      [res.json().id],
    );
    expect(rows[0].n).toBe(1);
    // Without a figure of 2011 growth cannot be judged.
    expect(await itemOf('hongta', 'year=2012', 'forest_area')).toMatchObject({ value: 47_000, previousValue: null, met: null });
  });

  it('growth is judged against the year before: more area is met, less is not', async () => {
    const file = await createFile(t, { orgUnitId: hongta.id });
    expect((await put('hongta', entry({ year: 2013, value: 47_300, sourceDate: '2014-04-30', fileId: file }))).statusCode).toBe(200);
    expect(await itemOf('hongta', 'year=2013', 'forest_area')).toMatchObject({ value: 47_300, previousValue: 47_000, met: true });
    const current = await itemOf('hongta', 'year=2013', 'forest_area');
    expect(current.entry?.fileId).toBe(file);
    const replaced = await put('hongta', entry({ year: 2013, value: 46_800, sourceDate: '2014-05-10', version: current.entry?.version }));
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(await itemOf('hongta', 'year=2013', 'forest_area')).toMatchObject({ value: 46_800, met: false });
    // A stale version is a conflict, not a silent overwrite.
    const stale = await put('hongta', entry({ year: 2013, value: 46_900, version: current.entry?.version }));
    expect(stale.statusCode).toBe(409);
  });

  it('the trend lists each year with its judgement', async () => {
    const res = await t.get('hongta', '/api/goals/trend?measure=forest_area&from=2011&to=2013');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().unit.code).toBe('530402');
    expect(res.json().points).toEqual([
      { year: 2011, value: null, met: null },
      { year: 2012, value: 47_000, met: null },
      { year: 2013, value: 46_800, met: false },
    ]);
  });

  it('the trend of the demonstration data covers the five years before this one', async () => {
    const res = await t.get('city', `/api/goals/trend?unit=530427&measure=growing_stock&from=${THIS_YEAR - 5}&to=${THIS_YEAR - 1}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().points.every((p: { value: number | null }) => p.value !== null && p.value > 0)).toBe(true);
  });

  it('the city office enters a county’s figure; a figure can be removed', async () => {
    const res = await put('city', entry({ unitCode: '530403', measureCode: 'farmer_forestry_income', value: 1520, source: '统计年鉴' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ orgUnitId: jiangchuan.id, unit: '元' });
    expect((await t.del('jiangchuan', `/api/goals/entries/${res.json().id}`)).statusCode).toBe(204);
    expect((await itemOf('jiangchuan', 'year=2012', 'farmer_forestry_income')).value).toBeNull();
  });
});

describe('scope: a county sees and enters its own, the city all', () => {
  it('a county asking for another county’s goals or trend gets 404', async () => {
    expect((await t.get('hongta', '/api/goals?unit=530403&year=2012')).statusCode).toBe(404);
    expect((await t.get('hongta', '/api/goals/trend?unit=530403&measure=forest_area')).statusCode).toBe(404);
    expect((await t.get('hongta', '/api/goals?unit=999999')).statusCode).toBe(404);
  });

  it('a county entering another county’s figure gets 404 and nothing is written', async () => {
    const res = await put('hongta', entry({ unitCode: '530403', year: 2012 }));
    expect(res.statusCode).toBe(404);
    const { rows } = await t.database.pool.query('SELECT count(*)::int AS n FROM goal_entries WHERE org_unit_id = $1 AND year = 2012', [
      jiangchuan.id,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('a county cannot remove another county’s figure', async () => {
    const mine = await put('jiangchuan', entry({ unitCode: '530403', year: 2010 }));
    expect(mine.statusCode, mine.body).toBe(200);
    expect((await t.del('hongta', `/api/goals/entries/${mine.json().id}`)).statusCode).toBe(404);
  });

  it('a county’s heat grid holds its own row only; the police read, they do not enter', async () => {
    const res = await t.get('hongta', '/api/goals/matrix?year=2012');
    expect(res.json().rows.map((r: { unit: { code: string } }) => r.unit.code)).toEqual(['530402']);
    expect((await goals('police1', 'year=2012')).unit.code).toBe('530402');
    expect((await put('police1', entry())).statusCode).toBe(403);
    expect((await t.get('ranger1', '/api/goals')).statusCode).toBe(403);
  });

  it('goals are kept for the city and counties, not for a township', async () => {
    const res = await t.get('hongta', '/api/goals?unit=530402001');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('querystring.unit');
  });

  it('measures are the city office’s: a county may not add or change one', async () => {
    const body = { code: 'county_try', title: 'x', titleEn: 'x', group: 'goal', method: 'entered', unit: '起', targetOp: 'none' };
    expect((await t.post('hongta', '/api/goals/measures', body)).statusCode).toBe(403);
    expect((await t.patch('hongta', '/api/goals/measures/forest_area', { version: 1, title: 'x' })).statusCode).toBe(403);
  });
});

describe('the city office keeps the measures', () => {
  it('changes a target, switches a measure off, and may not delete one with figures', async () => {
    const list = (await t.get('city', '/api/goals/measures')).json().items as { code: string; version: number }[];
    const pest = list.find((m) => m.code === 'pest_control');
    const changed = await t.patch('city', '/api/goals/measures/pest_control', { version: pest?.version, targetValue: 3.5 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ targetOp: 'lte', targetValue: 3.5, version: (pest?.version ?? 0) + 1 });
    expect((await t.patch('city', '/api/goals/measures/pest_control', { version: pest?.version, targetValue: 3 })).statusCode).toBe(409);
    expect((await t.del('city', '/api/goals/measures/forest_area', {})).statusCode).toBe(409);
    const off = await t.patch('city', '/api/goals/measures/test_unregistered', { version: 1, active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect((await goals('city', 'year=2014')).items.map((i) => i.code)).not.toContain('test_unregistered');
    expect((await t.get('city', '/api/goals/measures?all=true')).json().items.map((m: { code: string }) => m.code)).toContain(
      'test_unregistered',
    );
    expect((await t.del('city', '/api/goals/measures/test_unregistered', {})).statusCode).toBe(204);
    const { rows } = await t.database.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'goal_measure'");
    expect(rows[0].n).toBeGreaterThanOrEqual(4);
  });
});

describe('bad input is refused naming the field', () => {
  it('figures', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ source: '统计\u0000年鉴' }, 'body.source'],
      [{ sourceDate: '2013-02-30' }, 'body.sourceDate'],
      [{ sourceDate: '2013/04/30' }, 'body.sourceDate'],
      [{ sourceDate: `${THIS_YEAR + 1}-01-01` }, 'body.sourceDate'],
      [{ year: 2300 }, 'body.year'],
      [{ year: THIS_YEAR + 1 }, 'body.year'],
      [{ year: 2012.5 }, 'body.year'],
      [{ value: '47000' }, 'body.value'],
      [{ value: 'abc' }, 'body.value'],
      [{ value: -1 }, 'body.value'],
      [{ measureCode: 'test_fires' }, 'body.measureCode'],
      [{ measureCode: 'no_such_measure' }, 'body.measureCode'],
      [{ measureCode: 'forest_coverage', value: 120 }, 'body.value'],
      [{ fileId: '00000000-0000-0000-0000-000000000009' }, 'body.fileId'],
      [{ unitCode: "530402'; --" }, 'body.unitCode'],
      [{ source: 'x'.repeat(201) }, 'body.source'],
    ];
    for (const [over, field] of cases) {
      const res = await put('hongta', entry(over));
      expect(res.statusCode, `${JSON.stringify(over)} → ${res.body}`).toBe(400);
      expect(
        (res.json().error.details as { path: string }[]).map((d) => d.path),
        JSON.stringify(over),
      ).toContain(field);
    }
  });

  it('queries', async () => {
    const cases: [string, string][] = [
      ['/api/goals?year=abc', 'querystring.year'],
      ['/api/goals?year=1800', 'querystring.year'],
      [`/api/goals?year=${THIS_YEAR + 1}`, 'querystring.year'],
      ['/api/goals/trend?measure=forest_area&from=2013&to=2012', 'querystring.from'],
      ['/api/goals/trend?measure=forest_area&from=1950&to=2012', 'querystring.from'],
      ['/api/goals/trend?measure=nothing_here', 'querystring.measure'],
      ['/api/goals/trend?measure=Forest-Area', 'querystring.measure'],
      ['/api/goals/matrix?year=20x4', 'querystring.year'],
    ];
    for (const [url, field] of cases) {
      const res = await t.get('hongta', url);
      expect(res.statusCode, `${url} → ${res.body}`).toBe(400);
      expect(
        (res.json().error.details as { path: string }[]).map((d) => d.path),
        url,
      ).toContain(field);
    }
  });

  it('measures', async () => {
    const base = { code: 'bad_one', title: '坏', titleEn: 'Bad', group: 'goal', method: 'entered', unit: '起', targetOp: 'none' };
    const cases: [Record<string, unknown>, string][] = [
      [{ targetOp: 'eq' }, 'body.targetValue'],
      [{ method: 'indicator' }, 'body.indicatorKey'],
      [{ unit: null }, 'body.unit'],
      [{ code: 'Bad Code' }, 'body.code'],
      [{ group: 'other' }, 'body.group'],
      [{ title: '坏\u0000' }, 'body.title'],
    ];
    for (const [over, field] of cases) {
      const res = await t.post('city', '/api/goals/measures', { ...base, ...over });
      expect(res.statusCode, `${JSON.stringify(over)} → ${res.body}`).toBe(400);
      expect((res.json().error.details as { path: string }[]).map((d) => d.path)).toContain(field);
    }
    expect((await t.post('city', '/api/goals/measures', { ...base, code: 'forest_area' })).statusCode).toBe(409);
  });
});
