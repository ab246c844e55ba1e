/**
 * How a standard turns item scores into a result: the tree flattened in order, a scoring curve,
 * a deduction, group sums capped at their maximum, bonus points, the grade. Pure functions: the
 * service hands them what it read, the score sheet and the ranking use the same arithmetic.
 */
import type { FieldProblem } from '../../platform/errors.js';
import type { BonusItem, ComputedScore, CurveStep, DeductionCase, GradeBand, StandardItem, VetoItem } from './assessment.tables.js';

/** An item of the tree with its place in it. */
export type FlatItem = { item: StandardItem; parentCode: string | null; depth: number; leaf: boolean };

/** Deepest level of the tree: category → item → sub-item. */
export const MAX_DEPTH = 3;

/** The tree in reading order (each group before its children). */
export function flatten(items: StandardItem[], parentCode: string | null = null, depth = 0): FlatItem[] {
  return items.flatMap((item) => [
    { item, parentCode, depth, leaf: !item.children?.length },
    ...flatten(item.children ?? [], item.code, depth + 1),
  ]);
}

/** Points rounded to hundredths, as every score is kept. */
export const round2 = (n: number) => Math.round(n * 100) / 100;

/** The points a value earns on a curve: the first step whose range holds it; none: 0. */
export function curvePoints(curve: CurveStep[], value: number): number {
  const step = curve.find((c) => (c.min == null || value >= c.min) && (c.max == null || value <= c.max));
  return step ? step.points : 0;
}

/** Points left after taking `perCase` for each case from the maximum, down to zero. */
export const deducted = (maxPoints: number, perCase: number, cases: number) => round2(Math.max(0, maxPoints - perCase * cases));

/** Points an indicator value earns for an item: its curve, else a linear share for rates; null when no rule applies. */
export function indicatorPoints(item: StandardItem, value: number, unit: string): number | null {
  if (item.kind === 'deduction') return deducted(item.maxPoints, item.pointsPerCase ?? 0, value);
  if (item.curve?.length) return round2(Math.min(item.maxPoints, curvePoints(item.curve, value)));
  if (unit === 'ratio' || unit === 'yes_no') return round2(item.maxPoints * Math.max(0, Math.min(1, value)));
  if (unit === 'percent') return round2(item.maxPoints * Math.max(0, Math.min(1, value / 100)));
  return null;
}

/** The problems of a standard's content, by field path under `prefix` (the tree's shape, codes, sums, indicators). */
export function standardProblems(
  content: { items: StandardItem[]; vetoItems: VetoItem[]; bonusItems: BonusItem[]; grades?: GradeBand[] },
  prefix = 'body',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, string>();
  const claim = (code: string, path: string) => {
    const first = seen.get(code);
    if (first) problems.push({ path: `${path}.code`, message: `code ${code} is used twice (also at ${first})` });
    else seen.set(code, path);
  };
  const walk = (items: StandardItem[], path: string, depth: number) => {
    items.forEach((item, i) => {
      const at = `${path}.${i}`;
      claim(item.code, at);
      if (depth >= MAX_DEPTH) problems.push({ path: at, message: `items nest at most ${MAX_DEPTH} deep (category → item → sub-item)` });
      const children = item.children ?? [];
      if (children.length) {
        const sum = round2(children.reduce((total, child) => total + child.maxPoints, 0));
        if (sum > item.maxPoints)
          problems.push({
            path: `${at}.maxPoints`,
            message: `the sub-items of ${item.code} add up to ${sum} points, more than its ${item.maxPoints}`,
          });
        walk(children, `${at}.children`, depth + 1);
        return;
      }
      if (item.kind === 'indicator' && !item.indicator)
        problems.push({ path: `${at}.indicator`, message: `${item.code} is scored from an indicator: name its key` });
      if (item.kind === 'deduction' && !item.pointsPerCase)
        problems.push({ path: `${at}.pointsPerCase`, message: `${item.code} deducts per case: give the points per case` });
      if (item.kind === 'manual' && item.indicator)
        problems.push({ path: `${at}.indicator`, message: `${item.code} is scored by hand: it names no indicator` });
      for (const [j, step] of (item.curve ?? []).entries()) {
        if (step.points > item.maxPoints)
          problems.push({ path: `${at}.curve.${j}.points`, message: `more than the item’s ${item.maxPoints} points` });
        if (step.min != null && step.max != null && step.min > step.max)
          problems.push({ path: `${at}.curve.${j}.max`, message: 'below the step’s min' });
      }
    });
  };
  walk(content.items, `${prefix}.items`, 0);
  for (const [i, v] of content.vetoItems.entries()) claim(v.code, `${prefix}.vetoItems.${i}`);
  for (const [i, b] of content.bonusItems.entries()) claim(b.code, `${prefix}.bonusItems.${i}`);
  const total = round2(content.items.reduce((sum, item) => sum + item.maxPoints, 0));
  if (total <= 0) problems.push({ path: `${prefix}.items`, message: 'the items carry no points' });
  const grades = content.grades ?? [];
  const names = new Set<string>();
  grades.forEach((g, i) => {
    if (names.has(g.name)) problems.push({ path: `${prefix}.grades.${i}.name`, message: `grade ${g.name} is named twice` });
    names.add(g.name);
    if (g.min > total) problems.push({ path: `${prefix}.grades.${i}.min`, message: `above the standard’s ${total} points` });
  });
  if (grades.length && !grades.some((g) => g.min === 0))
    problems.push({ path: `${prefix}.grades`, message: 'one grade must start at 0 (the grade of a vetoed unit)' });
  return problems;
}

/** Grade bands highest first. */
export const sortedGrades = (grades: GradeBand[]) => [...grades].sort((a, b) => b.min - a.min);

/** The grade of a final score: the highest band it reaches; a vetoed entry gets the lowest. */
export function gradeOf(grades: GradeBand[], score: number, vetoed: boolean): string | null {
  const bands = sortedGrades(grades);
  if (bands.length === 0) return null;
  if (vetoed) return bands[bands.length - 1].name;
  return (bands.find((b) => score >= b.min) ?? bands[bands.length - 1]).name;
}

/** Points per item code at one or more stages, the later stage winning (the review over the self-check). */
export type PointsByCode = Map<string, number | null>;

/**
 * The points of every item (groups: their children's sum, capped at their maximum), the bonus,
 * and the total. Items without points count 0 in sums.
 */
export function totals(items: StandardItem[], bonusItems: BonusItem[], points: PointsByCode) {
  const byCode = new Map<string, number | null>();
  const sum = (item: StandardItem): number => {
    if (!item.children?.length) {
      const p = points.get(item.code) ?? null;
      byCode.set(item.code, p === null ? null : Math.min(p, item.maxPoints));
      return p === null ? 0 : Math.min(p, item.maxPoints);
    }
    const total = round2(
      Math.min(
        item.maxPoints,
        item.children.reduce((acc, child) => acc + sum(child), 0),
      ),
    );
    byCode.set(item.code, total);
    return total;
  };
  const base = round2(items.reduce((acc, item) => acc + sum(item), 0));
  let bonus = 0;
  for (const b of bonusItems) {
    const p = points.get(b.code) ?? null;
    byCode.set(b.code, p === null ? null : Math.min(p, b.maxPoints));
    bonus += p === null ? 0 : Math.min(p, b.maxPoints);
  }
  return { byCode, base, bonus: round2(bonus), total: round2(base + bonus) };
}

/** A one-line explanation of a computed score, as the score sheet prints it. */
export function explainComputed(c: ComputedScore, item?: { kind: string; pointsPerCase?: number | null }): string {
  if (c.status === 'unregistered') return `指标 ${c.indicator} 未登记，需人工评分`;
  if (c.status === 'no_data') return `指标 ${c.name ?? c.indicator}：本年度无可统计记录，需人工评分`;
  const value = `${c.name ?? c.indicator} = ${c.value}${c.unit && c.unit !== 'count' ? ` (${c.unit})` : ''}`;
  const basis = `依据 ${c.records ?? 0} 条记录${c.link ? `（${c.link.path}?${new URLSearchParams(c.link.query).toString()}）` : ''}`;
  if (c.status === 'no_curve') return `${value}，${basis}；无评分曲线，需人工评分`;
  if (item?.kind === 'deduction') return `${value} 例 × ${item.pointsPerCase} 分/例，${basis} → ${c.points} 分`;
  return `${value}，${basis} → ${c.points} 分`;
}

/** A one-line list of deduction cases. */
export const explainCases = (cases: DeductionCase[], perCase: number | null | undefined) =>
  `扣分 ${cases.length} 例${perCase ? ` × ${perCase} 分` : ''}${cases.length ? `：${cases.map((c, i) => `${i + 1}. ${c.date ? `${c.date} ` : ''}${c.description}${c.ref ? `（${c.ref}）` : ''}`).join('；')}` : ''}`;
