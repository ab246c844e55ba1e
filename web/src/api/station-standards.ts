import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

/** The "五化" standard of forest police stations (notice clause 八): checklists, ratings, the dashboard. */
export type StationChecklist = Awaited<ReturnType<typeof getStationChecklist>>;
export type StationCheckItem = Schemas['StationCheckItem'];
export type StationRating = Awaited<ReturnType<typeof getStationRating>>;
export type StationRatingItem = StationRating['items'][number];
export type StandardStationRow = Awaited<ReturnType<typeof listStandardStations>>['items'][number];
export type StandardsDashboard = Awaited<ReturnType<typeof getStandardsDashboard>>;
export type DimensionScore = Schemas['StationDimensionScore'];
export type Dimension = StationCheckItem['dimension'];
export type Level = NonNullable<StationRating['level']>;
export type ItemResult = NonNullable<StationRatingItem['selfResult']>;
export type StationProgress = StationRating['status'];
export type StationFilter = QueryOf<'/api/station-standards/stations', 'get'>;
export type SaveChecklistInput = JsonBody<'/api/station-standards/checklists/{year}', 'put'>;
export type SaveSelfRatingInput = JsonBody<'/api/station-standards/stations/{siteId}/ratings/{year}', 'put'>;
export type SaveReviewInput = JsonBody<'/api/station-standards/stations/{siteId}/ratings/{year}/review', 'put'>;

export const DIMENSIONS: Dimension[] = ['premises', 'greening', 'management', 'informatization', 'law_enforcement'];
export const LEVELS: Level[] = ['unqualified', 'standard', 'model'];
export const RESULTS: ItemResult[] = ['pass', 'fail', 'na'];
export const PROGRESS: StationProgress[] = ['not_started', 'draft', 'submitted', 'returned', 'confirmed'];

export const listStationChecklists = () => unwrap(api.GET('/api/station-standards/checklists'));
export const getStationChecklist = (year: number) =>
  unwrap(api.GET('/api/station-standards/checklists/{year}', { params: { path: { year } } }));
export const saveStationChecklist = (year: number, body: SaveChecklistInput) =>
  unwrap(api.PUT('/api/station-standards/checklists/{year}', { params: { path: { year } }, body }));

export const listStandardStations = (query: StationFilter) => unwrap(api.GET('/api/station-standards/stations', { params: { query } }));
export const getStandardsDashboard = (year: number, orgUnitId?: number) =>
  unwrap(api.GET('/api/station-standards/dashboard', { params: { query: { year, orgUnitId } } }));

const path = (siteId: string, year: number) => ({ path: { siteId, year } });
export const getStationRating = (siteId: string, year: number) =>
  unwrap(api.GET('/api/station-standards/stations/{siteId}/ratings/{year}', { params: path(siteId, year) }));
export const saveSelfRating = (siteId: string, year: number, body: SaveSelfRatingInput) =>
  unwrap(api.PUT('/api/station-standards/stations/{siteId}/ratings/{year}', { params: path(siteId, year), body }));
export const submitRating = (siteId: string, year: number, version: number) =>
  unwrap(api.POST('/api/station-standards/stations/{siteId}/ratings/{year}/submit', { params: path(siteId, year), body: { version } }));
export const saveReview = (siteId: string, year: number, body: SaveReviewInput) =>
  unwrap(api.PUT('/api/station-standards/stations/{siteId}/ratings/{year}/review', { params: path(siteId, year), body }));
export const returnRating = (siteId: string, year: number, version: number, comment: string) =>
  unwrap(
    api.POST('/api/station-standards/stations/{siteId}/ratings/{year}/return', { params: path(siteId, year), body: { version, comment } }),
  );
export const reopenRating = (siteId: string, year: number, version: number, reason: string) =>
  unwrap(
    api.POST('/api/station-standards/stations/{siteId}/ratings/{year}/reopen', { params: path(siteId, year), body: { version, reason } }),
  );
export const confirmRating = (siteId: string, year: number, body: { version: number; level: Level; comment?: string | null }) =>
  unwrap(api.POST('/api/station-standards/stations/{siteId}/ratings/{year}/confirm', { params: path(siteId, year), body }));
