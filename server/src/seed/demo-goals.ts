import { sql } from 'drizzle-orm';
import type { Tx } from '../db/connection.js';
import type { EntryWrite } from '../modules/goals/goals.repo.js';
import { cstYear } from '../platform/dates.js';
import { seededRandom } from './seeded-random.js';

/**
 * Demonstration figures of the entered goal measures for the five years before this one, for each
 * county and the city, so the goals dashboard and its trend are not empty on a first start. Every
 * figure's source says 演示数据 (demonstration data): the sizes are of the right order for Yuxi
 * (land areas from the counties' published figures, plausible forest cover), the rest is invented
 * from a PRNG seeded by the county code, so every install gets the same figures.
 */

/** Land area (km²) and forest cover (share) of each county, to size the invented figures. */
const COUNTY_SIZES: Record<string, { landKm2: number; cover: number }> = {
  '530402': { landKm2: 945, cover: 0.5 },
  '530403': { landKm2: 850, cover: 0.46 },
  '530423': { landKm2: 721, cover: 0.48 },
  '530424': { landKm2: 1248, cover: 0.55 },
  '530425': { landKm2: 1571, cover: 0.7 },
  '530426': { landKm2: 1972, cover: 0.68 },
  '530427': { landKm2: 4223, cover: 0.7 },
  '530428': { landKm2: 2858, cover: 0.6 },
  '530481': { landKm2: 755, cover: 0.45 },
};

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

type Row = EntryWrite & { orgUnitId: number; measureCode: string; year: number };

/** What each entered measure's demonstration figure is sourced as, and when that source is dated (month-day of the next year). */
const SOURCES: Record<string, { source: string; dated: string }> = {
  forest_area: { source: '演示数据（森林资源年度监测）', dated: '04-30' },
  growing_stock: { source: '演示数据（森林资源年度监测）', dated: '04-30' },
  forest_coverage: { source: '演示数据（森林资源年度监测）', dated: '04-30' },
  farmer_forestry_income: { source: '演示数据（统计年鉴）', dated: '06-30' },
  public_sense_of_safety: { source: '演示数据（问卷调查）', dated: '01-20' },
  public_satisfaction: { source: '演示数据（问卷调查）', dated: '01-20' },
  internal_safety: { source: '演示数据（单位年度安全稳定报告）', dated: '01-15' },
  no_mass_incidents: { source: '演示数据（信访部门统计）', dated: '01-15' },
  pest_control: { source: '演示数据（林业有害生物监测）', dated: '02-28' },
};
const UNITS: Record<string, string> = {
  forest_area: '公顷',
  growing_stock: '万立方米',
  forest_coverage: '%',
  farmer_forestry_income: '元',
  public_sense_of_safety: '%',
  public_satisfaction: '%',
  internal_safety: '起',
  no_mass_incidents: '起',
  pest_control: '‰',
};

/** The demonstration figures of the counties and the city (`units` by code) for the five years before `now`. */
export function demoGoalEntries(units: Map<string, number>, cityCode: string, now = new Date()): Row[] {
  const last = cstYear(now) - 1;
  const years = Array.from({ length: 5 }, (_, i) => last - 4 + i);
  const rows: Row[] = [];
  const add = (orgUnitId: number, measureCode: string, year: number, value: number) =>
    rows.push({
      orgUnitId,
      measureCode,
      year,
      value,
      unit: UNITS[measureCode],
      source: SOURCES[measureCode].source,
      sourceDate: `${year + 1}-${SOURCES[measureCode].dated}`,
      fileId: null,
      note: null,
      enteredBy: 'system',
    });
  const city = { land: 0, area: new Map<number, number>(), stock: new Map<number, number>(), income: new Map<number, number[]>() };
  for (const [code, size] of Object.entries(COUNTY_SIZES)) {
    const unitId = units.get(code);
    if (unitId === undefined) continue;
    const random = seededRandom(Number(code) * 7919);
    const landHa = size.landKm2 * 100;
    city.land += landHa;
    let area = landHa * size.cover * (0.97 + random() * 0.02);
    let stock = (area * (55 + random() * 30)) / 10_000;
    let income = 900 + random() * 1800;
    let safety = 92 + random() * 3;
    let satisfaction = 88 + random() * 4;
    // One year in which the county's income fell, and one whose survey dipped: not every goal is met every year.
    const incomeDip = years[1 + Math.floor(random() * 4)];
    const surveyDip = years[1 + Math.floor(random() * 4)];
    for (const year of years) {
      if (year !== years[0]) {
        area *= 1.002 + random() * 0.006;
        stock *= 1.012 + random() * 0.02;
        income *= year === incomeDip ? 0.97 : 1.03 + random() * 0.05;
        safety = Math.min(99.5, safety + (year === surveyDip ? -0.8 : 0.2 + random() * 0.6));
        satisfaction = Math.min(99, satisfaction + (year === surveyDip ? -1.1 : 0.3 + random() * 0.9));
      }
      add(unitId, 'forest_area', year, round(area, 0));
      add(unitId, 'growing_stock', year, round(stock, 1));
      add(unitId, 'forest_coverage', year, round((area / landHa) * 100, 2));
      add(unitId, 'farmer_forestry_income', year, round(income, 0));
      add(unitId, 'public_sense_of_safety', year, round(safety, 1));
      add(unitId, 'public_satisfaction', year, round(satisfaction, 1));
      add(unitId, 'internal_safety', year, random() < 0.08 ? 1 : 0);
      add(unitId, 'no_mass_incidents', year, random() < 0.05 ? 1 : 0);
      add(unitId, 'pest_control', year, round(0.6 + random() * 3.2, 2));
      city.area.set(year, (city.area.get(year) ?? 0) + round(area, 0));
      city.stock.set(year, (city.stock.get(year) ?? 0) + round(stock, 1));
      city.income.set(year, [...(city.income.get(year) ?? []), income]);
    }
  }
  const cityId = units.get(cityCode);
  if (cityId !== undefined && city.land > 0) {
    const random = seededRandom(Number(cityCode));
    let safety = 93.5;
    let satisfaction = 90.2;
    for (const year of years) {
      const area = city.area.get(year) ?? 0;
      const incomes = city.income.get(year) ?? [];
      if (year !== years[0]) {
        safety = Math.min(99.5, safety + 0.2 + random() * 0.5);
        satisfaction = Math.min(99, satisfaction + 0.3 + random() * 0.6);
      }
      add(cityId, 'forest_area', year, area);
      add(cityId, 'growing_stock', year, round(city.stock.get(year) ?? 0, 1));
      add(cityId, 'forest_coverage', year, round((area / city.land) * 100, 2));
      add(cityId, 'farmer_forestry_income', year, round(incomes.reduce((a, b) => a + b, 0) / Math.max(1, incomes.length), 0));
      add(cityId, 'public_sense_of_safety', year, round(safety, 1));
      add(cityId, 'public_satisfaction', year, round(satisfaction, 1));
      add(cityId, 'internal_safety', year, 0);
      add(cityId, 'no_mass_incidents', year, 0);
      add(cityId, 'pest_control', year, round(1.2 + random() * 1.5, 2));
    }
  }
  return rows;
}

/** The ids of the city and the counties by code. */
export async function goalUnitIds(tx: Tx): Promise<Map<string, number>> {
  const { rows } = await tx.execute<{ id: number; code: string }>(
    sql`SELECT id, code FROM org_units WHERE kind IN ('city', 'county') AND code IS NOT NULL`,
  );
  return new Map(rows.map((r) => [r.code, r.id]));
}
