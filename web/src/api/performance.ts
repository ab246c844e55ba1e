import { saveDownload } from '@/utils/download';
import { api, type QueryOf, type Schemas, unwrap } from './client';

export type RangerPerformance = Schemas['RangerPerformance'];
export type UnitPerformance = Schemas['UnitPerformance'];
export type PerformanceLevel = NonNullable<QueryOf<'/api/performance/summary', 'get'>['level']>;

export const PERFORMANCE_LEVELS: PerformanceLevel[] = ['county', 'township', 'grid'];

export const listRangerPerformance = (month: string, orgUnitId?: number) =>
  unwrap(api.GET('/api/performance/rangers', { params: { query: { month, orgUnitId } } }));
export const getPerformanceSummary = (month: string, level: PerformanceLevel, orgUnitId?: number) =>
  unwrap(api.GET('/api/performance/summary', { params: { query: { month, level, orgUnitId } } }));

/** Downloads the month's ranger figures as an xlsx workbook (Chinese headers). */
export async function exportRangerPerformance(month: string, orgUnitId?: number) {
  saveDownload(
    await api.GET('/api/performance/rangers/export', { params: { query: { month, orgUnitId } }, parseAs: 'blob' }),
    `performance-${month}.xlsx`,
  );
}
