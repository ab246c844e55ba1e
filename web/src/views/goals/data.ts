/**
 * How the goals page words and colours a figure: its status (met, not met, not judgeable, not
 * entered, no data source), the figure in its unit, and the target in words.
 */
import type { GoalItem, TargetOp } from '@/api/goals';
import { VALUE_OPS } from '@/api/goals';

/** What a cell or a tile shows: each looks different, so "no source" never passes for "not met". */
export type GoalStatus = 'met' | 'unmet' | 'unjudged' | 'notEntered' | 'noData' | 'noSource';

type Judged = Pick<GoalItem, 'available' | 'value' | 'met'> & { method?: GoalItem['method'] };

export function goalStatus(item: Judged): GoalStatus {
  if (!item.available) return 'noSource';
  if (item.value === null) return item.method === 'entered' ? 'notEntered' : 'noData';
  if (item.met === null) return 'unjudged';
  return item.met ? 'met' : 'unmet';
}

export const STATUS_TAG: Record<GoalStatus, 'success' | 'danger' | 'warning' | 'info'> = {
  met: 'success',
  unmet: 'danger',
  unjudged: 'warning',
  notEntered: 'info',
  noData: 'info',
  noSource: 'info',
};

/** Indicator units the registry uses (an entered measure's unit is its own text: 公顷, 元 …). */
const INDICATOR_UNITS = new Set(['ratio', 'km', 'hours', 'minutes', 'count', 'percent', 'yes_no']);
export const isIndicatorUnit = (unit: string | null | undefined) => !!unit && INDICATOR_UNITS.has(unit);

const grouped = (value: number, digits: number) =>
  value.toLocaleString('zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/**
 * A figure in its unit: a ratio as a percentage, a count whole, an entered figure with its unit's
 * text. `unitLabel` words the registry's units in the UI language.
 */
export function formatFigure(
  value: number | null | undefined,
  unit: string | null | undefined,
  unitLabel: (unit: string) => string,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'ratio') return `${grouped(value * 100, 1)}%`;
  if (unit === 'percent' || unit === '%') return `${grouped(value, 2)}%`;
  if (unit === 'yes_no') return unitLabel(value ? 'yes' : 'no');
  if (unit === 'count') return grouped(value, 0);
  if (isIndicatorUnit(unit)) return `${grouped(value, 1)} ${unitLabel(unit as string)}`;
  return unit ? `${grouped(value, 2)} ${unit}` : grouped(value, 2);
}

/** The target in words: "= 0", "≥ 90%", "高于上年" (`opLabel` words the year-over-year ones). */
export function targetText(
  op: TargetOp,
  value: number | null,
  unit: string | null | undefined,
  opLabel: (op: TargetOp) => string,
  unitLabel: (unit: string) => string,
): string {
  if (!VALUE_OPS.includes(op)) return opLabel(op);
  const sign = { eq: '=', lte: '≤', lt: '<', gte: '≥', gt: '>' }[op as 'eq'];
  return `${sign} ${formatFigure(value, unit === 'count' ? null : unit, unitLabel)}`;
}
