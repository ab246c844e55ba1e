/** The ranger register's filter model and its conversion to the API query. */
import type { RangerKind, RangerQuery, RangerSort, RangerStatus } from '@/api/rangers';

export type RangerFilterState = { kind: RangerKind[]; status: RangerStatus | ''; orgUnitId: number | undefined; q: string };
export const emptyRangerFilter = (): RangerFilterState => ({ kind: [], status: '', orgUnitId: undefined, q: '' });

export function toRangerQuery(filter: RangerFilterState): Omit<RangerQuery, 'page' | 'pageSize' | 'sort'> {
  const query: Omit<RangerQuery, 'page' | 'pageSize' | 'sort'> = {};
  if (filter.kind.length) query.kind = filter.kind;
  if (filter.status) query.status = [filter.status];
  if (filter.orgUnitId) query.orgUnitId = filter.orgUnitId;
  if (filter.q.trim()) query.q = filter.q.trim();
  return query;
}

const SORTABLE: Record<string, 'name' | 'kind' | 'status' | 'updatedAt'> = {
  name: 'name',
  kind: 'kind',
  status: 'status',
  updatedAt: 'updatedAt',
};

export function toRangerSort(prop: string | null, order: 'ascending' | 'descending' | null): RangerSort {
  const field = prop ? SORTABLE[prop] : undefined;
  if (!field || !order) return 'name';
  return (order === 'descending' ? `-${field}` : field) as RangerSort;
}

export const RANGER_STATUS_TAG: Record<RangerStatus, 'success' | 'warning' | 'info'> = {
  active: 'success',
  suspended: 'warning',
  left: 'info',
};
