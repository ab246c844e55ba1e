import { saveDownload } from '@/utils/download';
import { api, type QueryOf, type Schemas, unwrap } from './client';

export type RangerPerformance = Schemas['RangerPerformance'];
export type UnitPerformance = Schemas['UnitPerformance'];
export type PerformanceLevel = NonNullable<QueryOf<'/api/performance/summary', 'get'>['level']>;
/** A month `YYYY-MM`, or a whole year `YYYY`. */
export type PerformancePeriod = { month: string } | { year: string };

export const PERFORMANCE_LEVELS: PerformanceLevel[] = ['county', 'township', 'grid'];

export const listRangerPerformance = (period: PerformancePeriod, orgUnitId?: number) =>
  unwrap(api.GET('/api/performance/rangers', { params: { query: { ...period, orgUnitId } } }));
export const getPerformanceSummary = (period: PerformancePeriod, level: PerformanceLevel, orgUnitId?: number) =>
  unwrap(api.GET('/api/performance/summary', { params: { query: { ...period, level, orgUnitId } } }));

/** Downloads the period's ranger figures as an xlsx workbook (Chinese headers). */
export async function exportRangerPerformance(period: PerformancePeriod, orgUnitId?: number) {
  const name = 'month' in period ? period.month : period.year;
  saveDownload(
    await api.GET('/api/performance/rangers/export', { params: { query: { ...period, orgUnitId } }, parseAs: 'blob' }),
    `performance-${name}.xlsx`,
  );
}
