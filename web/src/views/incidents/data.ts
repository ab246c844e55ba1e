/**
 * The incident list's filter model and its query, the tag colours of statuses and priorities, and
 * the "record a call" form with its conversion to the create body.
 */
import type { LocationQuery } from 'vue-router';
import {
  type CreateIncidentInput,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  type IncidentQuery,
  type IncidentSource,
  type IncidentStatus,
} from '@/api/incidents';
import { queryId, queryList, queryRange } from '@/utils/route-query';

export type IncidentFilterState = {
  status: IncidentStatus[];
  category: string[];
  source: IncidentSource[];
  priority: number[];
  /** reported between these two times */
  range: [Date, Date] | null;
  q: string;
  /** in this unit's subtree */
  orgUnitId?: number;
};

export const emptyFilter = (): IncidentFilterState => ({ status: [], category: [], source: [], priority: [], range: null, q: '' });

/** The filter a link opens the list with (`?orgUnitId=&from=&to=&status=a,b&category=&priority=`). */
export function filterFromRoute(query: LocationQuery): IncidentFilterState {
  return {
    status: queryList(query, 'status').filter((s): s is IncidentStatus => (INCIDENT_STATUSES as string[]).includes(s)),
    category: queryList(query, 'category'),
    source: queryList(query, 'source').filter((s): s is IncidentSource => (INCIDENT_SOURCES as string[]).includes(s)),
    priority: queryList(query, 'priority')
      .map(Number)
      .filter((p) => [1, 2, 3, 4].includes(p)),
    range: queryRange(query),
    q: '',
    orgUnitId: queryId(query, 'orgUnitId'),
  };
}

export function toQuery(filter: IncidentFilterState): IncidentQuery {
  const query: IncidentQuery = {};
  if (filter.status.length) query.status = filter.status;
  if (filter.category.length) query.category = filter.category;
  if (filter.source.length) query.source = filter.source;
  if (filter.priority.length) query.priority = filter.priority.map((p) => String(p) as '1' | '2' | '3' | '4');
  if (filter.range) {
    query.from = filter.range[0].toISOString();
    query.to = filter.range[1].toISOString();
  }
  if (filter.q.trim()) query.q = filter.q.trim();
  if (filter.orgUnitId) query.orgUnitId = filter.orgUnitId;
  return query;
}

type TagType = 'danger' | 'warning' | 'success' | 'info' | 'primary';

export const STATUS_TAG: Record<IncidentStatus, TagType> = {
  new: 'danger',
  dispatched: 'warning',
  on_scene: 'primary',
  resolved: 'success',
  closed: 'info',
  merged: 'info',
  false_alarm: 'info',
};

export const PRIORITY_TAG: Record<number, TagType> = { 1: 'danger', 2: 'warning', 3: 'primary', 4: 'info' };

/** Map colours of statuses: the command map's markers and the detail map use the same. */
export { INCIDENT_STATUS_COLOUR as STATUS_COLOUR } from '@/components/map/incident-markers';

/** The fields of the "record a call" form; server problems map onto these names. */
export const CALL_FORM_FIELDS = [
  'category',
  'priority',
  'title',
  'description',
  'location',
  'placeText',
  'reporterName',
  'reporterPhone',
  'source',
] as const;
export type CallFormField = (typeof CALL_FORM_FIELDS)[number];

export type CallFormModel = {
  source: 'phone' | 'manual';
  category: string;
  /** null: the category's default */
  priority: 1 | 2 | 3 | 4 | null;
  title: string;
  description: string;
  location: [number, number] | null;
  placeText: string;
  reporterName: string;
  reporterPhone: string;
};

export const emptyCallForm = (): CallFormModel => ({
  source: 'phone',
  category: '',
  priority: null,
  title: '',
  description: '',
  location: null,
  placeText: '',
  reporterName: '',
  reporterPhone: '',
});

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function callToCreate(form: CallFormModel): CreateIncidentInput {
  return {
    source: form.source,
    category: form.category,
    ...(form.priority ? { priority: form.priority } : {}),
    title: form.title.trim(),
    description: orNull(form.description),
    location: { type: 'Point', coordinates: form.location ?? [0, 0] },
    placeText: orNull(form.placeText),
    reporterName: orNull(form.reporterName),
    reporterPhone: orNull(form.reporterPhone),
  };
}

/** Seconds as "12 分 05 秒"-style text is left to i18n; this gives minutes and seconds. */
export function minutesSeconds(seconds: number): { m: number; s: number } {
  const total = Math.max(0, Math.round(seconds));
  return { m: Math.floor(total / 60), s: total % 60 };
}
