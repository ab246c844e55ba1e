/** The performance page's metrics: which figures the ranking chart can compare, and their colours. */
import type { RangerPerformance } from '@/api/performance';
import { formatPercent } from '@/utils/format';

/** Figures a bar of the ranking chart can show (counts, hours, km). */
export const RANKING_METRICS = ['patrolKm', 'patrolHours', 'patrolDays', 'checkins', 'reports'] as const;
export type RankingMetric = (typeof RANKING_METRICS)[number];

/** Every figure of a ranger's or an area's month. */
export type Figure = RankingMetric | 'onPostRate' | 'onlineRate' | 'coverage';

export const METRIC_COLOUR: Record<Figure, string> = {
  patrolKm: '#1f6f43',
  patrolHours: '#0e7490',
  patrolDays: '#65a30d',
  checkins: '#7c3aed',
  reports: '#c2410c',
  onPostRate: '#dc2626',
  onlineRate: '#2563eb',
  coverage: '#ca8a04',
};

/** Rangers ordered by a figure, best first (ties by name). */
export function rankBy(items: RangerPerformance[], metric: RankingMetric): RangerPerformance[] {
  return [...items].sort((a, b) => b[metric] - a[metric] || a.rangerName.localeCompare(b.rangerName, 'zh-CN'));
}

/** Rounds hours and km for the table (one decimal). */
export const oneDecimal = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(1));

const whole = (value: number | null | undefined) => (value === null || value === undefined ? '—' : String(value));

/**
 * The figure columns both tables show, in order, with how each is written and how wide it is:
 * the ranger table and the area summary stay the same shape by construction.
 */
export const FIGURE_COLUMNS: { key: Figure; format: (value: number | null | undefined) => string; minWidth: number; rate: boolean }[] = [
  { key: 'patrolDays', format: whole, minWidth: 96, rate: false },
  { key: 'patrolHours', format: oneDecimal, minWidth: 104, rate: false },
  { key: 'patrolKm', format: oneDecimal, minWidth: 104, rate: false },
  { key: 'onPostRate', format: formatPercent, minWidth: 96, rate: true },
  { key: 'onlineRate', format: formatPercent, minWidth: 96, rate: true },
  { key: 'coverage', format: formatPercent, minWidth: 104, rate: true },
  { key: 'checkins', format: whole, minWidth: 90, rate: false },
  { key: 'reports', format: whole, minWidth: 90, rate: false },
];

/** Sorts a rate column with "no figure" last. */
export const byRate =
  (key: Figure) =>
  <T extends Partial<Record<Figure, number | null>>>(a: T, b: T) =>
    (a[key] ?? -1) - (b[key] ?? -1);

/** One series of a chart: a figure of each row, in its colour, named by `label`. */
export const seriesOf = <T extends Partial<Record<Figure, number | null>>>(rows: T[], key: Figure, label: string) => ({
  name: label,
  values: rows.map((r) => r[key] ?? null),
  color: METRIC_COLOUR[key],
});
