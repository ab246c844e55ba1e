import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { createOrgRepo } from './org.repo.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the Yuxi territory', () => {
  it('has the nine county-level units with their official codes', async () => {
    const res = (await t.get('city', '/api/org/units?kind=county')).json();
    expect(res.items.map((u: { code: string }) => u.code).sort()).toEqual([
      '530402',
      '530403',
      '530423',
      '530424',
      '530425',
      '530426',
      '530427',
      '530428',
      '530481',
    ]);
    expect(res.items.find((u: { code: string }) => u.code === '530481').name).toBe('澄江市');
  });

  it('has the 76 townships and streets, each under its county, with approximate areas', async () => {
    const { items } = (await t.get('city', '/api/org/units?kind=township')).json();
    expect(items).toHaveLength(76);
    const counties = new Map(
      (await t.get('city', '/api/org/units?kind=county')).json().items.map((u: { id: number; code: string }) => [u.id, u.code]),
    );
    for (const township of items) {
      expect(township.code).toMatch(/^\d{9}$/);
      expect(township.code.slice(0, 6)).toBe(counties.get(township.parentId));
      expect(township.approximate).toBe(true);
    }
  });

  it('keeps every township inside its county', async () => {
    const { rows } = await t.database.pool.query(`
      SELECT count(*)::int AS outside FROM org_units t JOIN org_units c ON c.id = t.parent_id
      WHERE t.kind = 'township' AND ST_Area(ST_Difference(t.area, c.area)) > 1e-8`);
    expect(rows[0].outside).toBe(0);
  });
});

describe('org scope', () => {
  it('a county account sees its own county only', async () => {
    const counties = (await t.get('hongta', '/api/org/units?kind=county')).json();
    expect(counties.items.map((u: { name: string }) => u.name)).toEqual(['红塔区']);
    const townships = (await t.get('hongta', '/api/org/units?kind=township')).json();
    expect(townships.items.every((u: { code: string }) => u.code.startsWith('530402'))).toBe(true);
  });

  it("answers 404 for another county's unit", async () => {
    const jiangchuan = await t.unit('530403');
    expect((await t.get('hongta', `/api/org/units/${jiangchuan.id}`)).statusCode).toBe(404);
    expect((await t.get('city', `/api/org/units/${jiangchuan.id}`)).json().name).toBe('江川区');
  });

  it('filters by parent and name', async () => {
    const hongta = await t.unit('530402');
    const children = (await t.get('city', `/api/org/units?parentId=${hongta.id}&kind=township`)).json();
    expect(children.total).toBe(11);
    const named = (await t.get('city', `/api/org/units?q=${encodeURIComponent('玉兴')}`)).json();
    expect(named.items[0].code).toBe('530402001');
  });
});

describe('map layers', () => {
  it('serves county boundaries as GeoJSON with fewer points at low zoom', async () => {
    const coarse = (await t.get('city', '/api/org/layers/counties?zoom=6')).json();
    const fine = (await t.get('city', '/api/org/layers/counties?zoom=14')).json();
    expect(coarse.features).toHaveLength(9);
    const points = (fc: { features: { geometry: unknown }[] }) => JSON.stringify(fc.features.map((f) => f.geometry)).split('],[').length;
    expect(points(coarse)).toBeLessThan(points(fine) / 2);
    expect(coarse.features[0].geometry.type).toMatch(/Polygon/);
  });

  it('limits a layer to the caller’s scope and the bounding box', async () => {
    const grids = (await t.get('hongta', '/api/org/layers/grids?zoom=12')).json();
    expect(grids.features.length).toBeGreaterThan(11);
    const inBox = (await t.get('city', '/api/org/layers/townships?zoom=10&bbox=102.5,24.3,102.6,24.4')).json();
    const all = (await t.get('city', '/api/org/layers/townships?zoom=10')).json();
    expect(inBox.features.length).toBeLessThan(all.features.length);
    expect((await t.get('hongta', '/api/org/layers/counties')).json().features).toHaveLength(1);
  });

  it('rejects an unknown layer or a bad zoom with the field', async () => {
    expect((await t.get('city', '/api/org/layers/roads')).json().error.details[0].path).toBe('params.layer');
    expect((await t.get('city', '/api/org/layers/counties?zoom=99')).json().error.details[0].path).toBe('querystring.zoom');
  });
});

describe('placing points in the territory', () => {
  it('finds the county, township, grid and answering police station of a point, and nothing outside Yuxi', async () => {
    const repo = createOrgRepo();
    const hongta = await t.unit('530402');
    const township = (await t.get('city', `/api/org/units?kind=township&parentId=${hongta.id}`)).json().items[0];
    const grid = (await t.get('city', `/api/org/units?kind=grid&parentId=${township.id}`)).json().items[0];
    const [inside, outside] = await t.database.db.transaction((tx) => repo.locate(tx, [grid.center, [116.4, 39.9]]));
    expect(inside).toMatchObject({ countyId: hongta.id, countyCode: '530402', townshipId: township.id, gridId: grid.id, unitId: grid.id });
    expect(inside.unitPath).toBe(grid.path);
    const stations = (await t.get('city', `/api/org/units?kind=police_station&parentId=${hongta.id}`)).json().items;
    expect(stations.map((s: { id: number }) => s.id)).toContain(inside.stationId);
    expect(outside).toEqual({
      countyId: null,
      countyCode: null,
      townshipId: null,
      gridId: null,
      stationId: null,
      unitId: null,
      unitPath: null,
    });
    expect(await t.database.db.transaction((tx) => repo.locate(tx, []))).toEqual([]);
  });
});
