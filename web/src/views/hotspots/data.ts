import type { LocationQuery } from 'vue-router';
import type { CheckResult, CheckStatus, HotspotFilter, HotspotSource, LandClass } from '@/api/hotspots';
import { queryId, queryRange } from '@/utils/route-query';

/** The time windows of the list: within the last hours, or a range picked by hand. */
export const WINDOWS = [6, 24, 168, 720] as const;

export interface HotspotFilterState {
  window: number | 'range';
  range: [Date, Date] | null;
  orgUnitId: number | undefined;
  source: HotspotSource[];
  satellite: string;
  checkStatus: CheckStatus[];
}

export const emptyFilter = (): HotspotFilterState => ({
  window: 168,
  range: null,
  orgUnitId: undefined,
  source: [],
  satellite: '',
  checkStatus: [],
});

/** The filter a link opens the list with (`?orgUnitId=&from=&to=`); the last week otherwise. */
export function filterFromRoute(query: LocationQuery): HotspotFilterState {
  const range = queryRange(query);
  return { ...emptyFilter(), orgUnitId: queryId(query, 'orgUnitId'), ...(range ? { window: 'range' as const, range } : {}) };
}

export function toApiFilter(f: HotspotFilterState): HotspotFilter {
  return {
    maxAgeHours: f.window === 'range' ? undefined : f.window,
    from: f.window === 'range' ? f.range?.[0].toISOString() : undefined,
    to: f.window === 'range' ? f.range?.[1].toISOString() : undefined,
    orgUnitId: f.orgUnitId,
    source: f.source.length ? f.source : undefined,
    satellite: f.satellite.trim() ? [f.satellite.trim()] : undefined,
    checkStatus: f.checkStatus.length ? f.checkStatus : undefined,
  };
}

export const CHECK_STATUS_TAG: Record<CheckStatus, 'danger' | 'warning' | 'success'> = {
  unassigned: 'danger',
  assigned: 'warning',
  checked: 'success',
};

/** The bulletin entry form's defaults. */
export const emptyBulletin = () => ({
  bulletinNumber: '',
  detectedAt: new Date(),
  satellite: '',
  placeText: '',
  lon: null as number | null,
  lat: null as number | null,
  pixelCount: 1,
  smoke: false,
  landClass: 'forest' as LandClass,
});

/** The ground check form's defaults. */
export const emptyCheckResult = () => ({
  result: '' as CheckResult | '',
  checkedAt: new Date(),
  fireOut: true,
  note: '',
});
