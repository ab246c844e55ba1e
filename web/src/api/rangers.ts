import { saveDownload } from '@/utils/download';
import { api, type QueryOf, type Schemas, unwrap } from './client';

export type Ranger = Schemas['Ranger'];
export type RangerKind = Ranger['kind'];
export type RangerStatus = Ranger['status'];
export type RangerQuery = QueryOf<'/api/rangers', 'get'>;
export type RangerSort = NonNullable<RangerQuery['sort']>;

export const RANGER_KINDS: RangerKind[] = ['full_time', 'ecological'];
export const RANGER_STATUSES: RangerStatus[] = ['active', 'suspended', 'left'];

export const listRangers = (query: RangerQuery) => unwrap(api.GET('/api/rangers', { params: { query } }));
export const getRanger = (id: string) => unwrap(api.GET('/api/rangers/{id}', { params: { path: { id } } }));
/** The ranger linked to the signed-in ranger account. */
export const getMyRanger = () => unwrap(api.GET('/api/rangers/me'));

/** Downloads the filtered register as an xlsx workbook. */
export async function exportRangers(filter: Omit<RangerQuery, 'page' | 'pageSize' | 'sort'>) {
  saveDownload(await api.GET('/api/rangers/export', { params: { query: filter }, parseAs: 'blob' }), 'rangers.xlsx');
}
