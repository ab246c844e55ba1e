import { saveDownload } from '@/utils/download';
import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

export type SiteKind = Schemas['Site']['kind'];
export type SiteStatus = Schemas['Site']['status'];
export type CreateSiteInput = JsonBody<'/api/sites', 'post'>;
export type UpdateSiteInput = JsonBody<'/api/sites/{id}', 'patch'>;
export type SiteListQuery = QueryOf<'/api/sites', 'get'>;
export type SiteFilter = QueryOf<'/api/sites/geojson', 'get'>;
export type SiteSort = NonNullable<SiteListQuery['sort']>;
/** A site as the client receives it (openapi-fetch's view of the `Site` schema). */
export type Site = Awaited<ReturnType<typeof getSite>>;

/** The site kinds in the order the register lists them (notice clauses 八 and 九). */
export const SITE_KINDS: SiteKind[] = [
  'timber_checkpoint',
  'police_station',
  'police_post',
  'temporary_checkpoint',
  'mobile_checkpoint',
  'timber_enterprise',
  'timber_market',
  'wildlife_breeding',
  'scenic_area',
  'reserve_entrance',
];
export const SITE_STATUSES: SiteStatus[] = ['in_service', 'suspended', 'closed'];

export const listSites = (query: SiteListQuery) => unwrap(api.GET('/api/sites', { params: { query } }));
export const getSite = (id: string) => unwrap(api.GET('/api/sites/{id}', { params: { path: { id } } }));
export const fetchSitesLayer = (filter: SiteFilter = {}) => unwrap(api.GET('/api/sites/geojson', { params: { query: filter } }));
export const createSite = (body: CreateSiteInput) => unwrap(api.POST('/api/sites', { body }));
export const updateSite = (id: string, body: UpdateSiteInput) => unwrap(api.PATCH('/api/sites/{id}', { params: { path: { id } }, body }));
export const deleteSite = (id: string, reason: string, version?: number) =>
  unwrap(api.DELETE('/api/sites/{id}', { params: { path: { id } }, body: { reason, version } }));

/** Downloads the filtered register as an xlsx workbook (the layout the import takes). */
export async function exportSites(filter: SiteFilter) {
  saveDownload(await api.GET('/api/sites/export', { params: { query: filter }, parseAs: 'blob' }), 'sites.xlsx');
}

/**
 * Uploads a workbook and answers the job to poll. The OpenAPI document declares no request body
 * for this multipart route, so the form data is passed through as it is.
 */
