import type { LocationQuery } from 'vue-router';
import type { ItemResult, Level, StationFilter, StationProgress, StationRating } from '@/api/station-standards';

/** Colours of the levels on the charts and the map (not started / not confirmed in grey). */
export const LEVEL_COLOURS: Record<Level | 'none', string> = {
  none: '#b8c2bd',
  unqualified: '#d9534f',
  standard: '#3b82c4',
  model: '#2f7d4f',
};
export const LEVEL_TAG: Record<Level, 'danger' | 'primary' | 'success'> = { unqualified: 'danger', standard: 'primary', model: 'success' };
export const PROGRESS_TAG: Record<StationProgress, 'info' | 'warning' | 'primary' | 'danger' | 'success'> = {
  not_started: 'info',
  draft: 'warning',
  submitted: 'primary',
  returned: 'danger',
  confirmed: 'success',
};
export const RESULT_TAG: Record<ItemResult, 'success' | 'danger' | 'info'> = { pass: 'success', fail: 'danger', na: 'info' };

/** The table's filter as the page keeps it. */
export type StationFilterState = { orgUnitId?: number; level: string[]; status: string[]; q: string };
export const emptyFilter = (): StationFilterState => ({ orgUnitId: undefined, level: [], status: [], q: '' });

const numberOf = (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined);
/** The year and unit a link (the indicator's records) opens the dashboard with. */
export const fromRoute = (query: LocationQuery) => ({ year: numberOf(query.year), orgUnitId: numberOf(query.orgUnitId) });

export function toApiFilter(filter: StationFilterState, year: number, page: number, pageSize: number): StationFilter {
  return {
    year,
    page,
    pageSize,
    ...(filter.orgUnitId ? { orgUnitId: filter.orgUnitId } : {}),
    ...(filter.level.length ? { level: filter.level.join(',') } : {}),
    ...(filter.status.length ? { status: filter.status.join(',') } : {}),
    ...(filter.q.trim() ? { q: filter.q.trim() } : {}),
  } as StationFilter;
}

/** What the signed-in account may do with a rating in its state. */
export function ratingActions(rating: StationRating, can: (code: string) => boolean, ownUnitId: number | undefined) {
  const editable = rating.status === 'not_started' || rating.status === 'draft' || rating.status === 'returned';
  const above = ownUnitId !== rating.station.orgUnitId;
  return {
    rate: editable && can('station_standards:rate'),
    review: rating.status === 'submitted' && above && can('station_standards:review'),
    reopen: rating.status === 'confirmed' && above && can('station_standards:review'),
  };
}

/** A rating's form draft per item code. */
export type SelfDraft = Record<string, { result: ItemResult | null; note: string; evidenceFileIds: string[] }>;
export type ReviewDraft = Record<string, { result: ItemResult | null; comment: string }>;

export const selfDraftOf = (rating: StationRating): SelfDraft =>
  Object.fromEntries(
    rating.items.map((r) => [r.item.code, { result: r.selfResult, note: r.selfNote ?? '', evidenceFileIds: [...r.evidenceFileIds] }]),
  );
/** The review draft: what the county decided, or the station's own result to start from. */
export const reviewDraftOf = (rating: StationRating): ReviewDraft =>
  Object.fromEntries(rating.items.map((r) => [r.item.code, { result: r.reviewResult ?? r.selfResult, comment: r.reviewComment ?? '' }]));

/** A dimension's rate as a percent label, or a dash when nothing counted. */
export const rateLabel = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${rate}%`);
