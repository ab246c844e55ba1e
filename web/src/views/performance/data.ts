/** The performance page's metrics: which figures the ranking chart can compare, and their colours. */
import type { RangerPerformance } from '@/api/performance';

/** Figures a bar of the ranking chart can show (counts, hours, km). */
export const RANKING_METRICS = ['patrolKm', 'patrolHours', 'patrolDays', 'checkins', 'reports'] as const;
export type RankingMetric = (typeof RANKING_METRICS)[number];

export const METRIC_COLOUR: Record<RankingMetric | 'onPostRate' | 'onlineRate' | 'coverage', string> = {
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
