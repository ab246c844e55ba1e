import { saveDownload } from '@/utils/download';
import { api, type JsonBody, type QueryOf, unwrap } from './client';

export type HotspotQuery = QueryOf<'/api/hotspots', 'get'>;
export type HotspotFilter = Omit<HotspotQuery, 'page' | 'pageSize' | 'sort'>;
export type HotspotLayerQuery = QueryOf<'/api/hotspots/geojson', 'get'>;
export type CreateBulletinInput = JsonBody<'/api/hotspots/bulletins', 'post'>;
export type AssignCheckInput = JsonBody<'/api/hotspots/{id}/check/assign', 'post'>;
export type RecordCheckInput = JsonBody<'/api/hotspots/{id}/check/result', 'post'>;

export const listHotspots = (query: HotspotQuery) => unwrap(api.GET('/api/hotspots', { params: { query } }));
export const getHotspot = (id: string) => unwrap(api.GET('/api/hotspots/{id}', { params: { path: { id } } }));
export const fetchHotspotsLayer = (query: HotspotLayerQuery = {}) => unwrap(api.GET('/api/hotspots/geojson', { params: { query } }));
export const createBulletinHotspot = (body: CreateBulletinInput) => unwrap(api.POST('/api/hotspots/bulletins', { body }));
export const assignHotspotCheck = (id: string, body: AssignCheckInput) =>
  unwrap(api.POST('/api/hotspots/{id}/check/assign', { params: { path: { id } }, body }));
export const recordHotspotCheck = (id: string, body: RecordCheckInput) =>
  unwrap(api.POST('/api/hotspots/{id}/check/result', { params: { path: { id } }, body }));

export type Hotspot = Awaited<ReturnType<typeof getHotspot>>;
export type HotspotCheck = NonNullable<Hotspot['check']>;
export type HotspotSource = Hotspot['source'];
export type CheckStatus = Hotspot['checkStatus'];
export type CheckResult = RecordCheckInput['result'];
export type LandClass = CreateBulletinInput['landClass'];
export type ImportSummary = Awaited<ReturnType<typeof importFirms>>;

export const HOTSPOT_SOURCES: HotspotSource[] = ['firms', 'bulletin'];
export const CHECK_STATUSES: CheckStatus[] = ['unassigned', 'assigned', 'checked'];
/** 林火, 农事用火, 工业热源, 其他, 误报. */
export const CHECK_RESULTS: CheckResult[] = ['forest_fire', 'agricultural', 'industrial', 'other', 'false_alarm'];
export const LAND_CLASSES: LandClass[] = ['forest', 'grassland', 'cropland', 'other'];
/** The age buckets of the map layer, newest first. */
export const AGE_BUCKETS = ['6h', '24h', '7d'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

function upload(path: '/api/hotspots/import' | '/api/hotspots/bulletins/import', file: File) {
  const form = new FormData();
  form.append('file', file);
  return unwrap(api.POST(path, { body: form as never, bodySerializer: (body: unknown) => body as FormData }));
}

/** Uploads a NASA FIRMS CSV file; answers the counts and each bad row by line once imported. */
export const importFirms = (file: File) => upload('/api/hotspots/import', file);
/** Uploads a bulletin's hotspots as an Excel workbook in the export layout. */
export const importBulletins = (file: File) => upload('/api/hotspots/bulletins/import', file);

export async function exportHotspots(filter: HotspotFilter) {
  saveDownload(await api.GET('/api/hotspots/export', { params: { query: filter }, parseAs: 'blob' }), 'hotspots.xlsx');
}
