/**
 * How a station's results become dimension rates and a level. An item counts when it passed or
 * failed (`na` is left out); a dimension's rate is the share of its counted items that passed.
 * 示范: every dimension at or above the model rate. 达标: every dimension at or above the standard
 * rate and no key item failed. Otherwise 未达标 — also while items are still unrated.
 */
import { DIMENSIONS, type Dimension, type DimensionScore, type ItemResult, type Level } from './station-standards.schema.js';

export type ScoredItem = { dimension: Dimension; key: boolean; result: ItemResult | null };

/** Each dimension's passed and counted items, in the notice's order. */
export function dimensionScores(items: readonly ScoredItem[]): DimensionScore[] {
  return DIMENSIONS.map((dimension) => {
    const mine = items.filter((i) => i.dimension === dimension);
    const passed = mine.filter((i) => i.result === 'pass').length;
    const applicable = mine.filter((i) => i.result === 'pass' || i.result === 'fail').length;
    return { dimension, passed, applicable, rate: applicable ? Math.round((passed / applicable) * 1000) / 10 : null };
  });
}

/** The dimension scores of stored counts (the SQL aggregates), with the dimensions nobody rated as zero. */
export function scoresOf(rows: readonly { dimension: string; passed: number; applicable: number }[]): DimensionScore[] {
  return DIMENSIONS.map((dimension) => {
    const row = rows.find((r) => r.dimension === dimension);
    const passed = row?.passed ?? 0;
    const applicable = row?.applicable ?? 0;
    return { dimension, passed, applicable, rate: applicable ? Math.round((passed / applicable) * 1000) / 10 : null };
  });
}

/** The level the results give under a checklist's rates (percent). */
export function levelOf(items: readonly ScoredItem[], rates: { standardRate: number; modelRate: number }): Level {
  if (items.some((i) => i.result === null)) return 'unqualified';
  const scores = dimensionScores(items);
  const atLeast = (percent: number) => scores.every((s) => s.applicable === 0 || (s.passed / s.applicable) * 100 >= percent);
  const keyFailed = items.some((i) => i.key && i.result === 'fail');
  if (keyFailed || !atLeast(rates.standardRate)) return 'unqualified';
  return atLeast(rates.modelRate) ? 'model' : 'standard';
}

const ORDER: Record<Level, number> = { unqualified: 0, standard: 1, model: 2 };
/** Whether `level` is above `other`. */
export const levelAbove = (level: Level, other: Level) => ORDER[level] > ORDER[other];
