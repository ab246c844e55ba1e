/** The device register's filter model and its conversion to the API query. */
import type { DeviceQuery } from '@/api/devices';

export type DeviceFilterState = { q: string; status: 'active' | 'disabled' | ''; orgUnitId: number | undefined };
export const emptyDeviceFilter = (): DeviceFilterState => ({ q: '', status: '', orgUnitId: undefined });

export function toDeviceQuery(filter: DeviceFilterState): Omit<DeviceQuery, 'page' | 'pageSize'> {
  const query: Omit<DeviceQuery, 'page' | 'pageSize'> = {};
  if (filter.q.trim()) query.q = filter.q.trim();
  if (filter.status) query.status = filter.status;
  if (filter.orgUnitId) query.orgUnitId = filter.orgUnitId;
  return query;
}
