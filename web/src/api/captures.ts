import { saveDownload } from '@/utils/download';
import { api, type QueryOf, unwrap } from './client';

export type CaptureQuery = QueryOf<'/api/captures', 'get'>;
export type CaptureFilter = Omit<CaptureQuery, 'page' | 'pageSize'>;

export const listCaptures = (query: CaptureQuery) => unwrap(api.GET('/api/captures', { params: { query } }));
export const getPassages = (query: QueryOf<'/api/captures/passages', 'get'>) =>
  unwrap(api.GET('/api/captures/passages', { params: { query } }));

/** The search as an Excel workbook. */
export async function exportCaptures(filter: CaptureFilter) {
  saveDownload(await api.GET('/api/captures/export', { params: { query: filter }, parseAs: 'blob' }), 'captures.xlsx');
}

/** Where the browser loads a capture's snapshot (same origin, the session cookie authorises it). */
export const snapshotUrl = (id: string) => `/api/captures/${id}/snapshot`;

export type Capture = Awaited<ReturnType<typeof listCaptures>>['items'][number];
export type PassageTrack = Awaited<ReturnType<typeof getPassages>>;
export type PlateColor = Capture['plateColor'];
export type Direction = Capture['direction'];

/** 蓝, 黄, 绿, 白, 黑 on the wire. */
export const PLATE_COLORS: PlateColor[] = ['blue', 'yellow', 'green', 'white', 'black'];
export const DIRECTIONS: Direction[] = ['in', 'out'];
