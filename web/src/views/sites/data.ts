/**
 * The site register's table columns, filter model and form model, and the conversions between
 * them and the API types (which come from the generated schema).
 */
import type { LocationQuery } from 'vue-router';
import type { CreateSiteInput, Site, SiteFilter, SiteKind, SiteSort, SiteStatus, UpdateSiteInput } from '@/api/sites';
import { queryId } from '@/utils/route-query';

export type SiteFilterState = {
  kind: SiteKind[];
  status: SiteStatus | '';
  orgUnitId: number | undefined;
  q: string;
  /** limit the list to the area shown on the map next to it */
  inView: boolean;
};

export const emptyFilter = (): SiteFilterState => ({ kind: [], status: '', orgUnitId: undefined, q: '', inView: false });

/** The filter a link opens the register with (`?orgUnitId=`). */
export const filterFromRoute = (query: LocationQuery): SiteFilterState => ({ ...emptyFilter(), orgUnitId: queryId(query, 'orgUnitId') });

/** The API filter for a filter state (and the map's bbox when "only in map view" is on). */
export function toApiFilter(filter: SiteFilterState, bbox: string | null): SiteFilter {
  const query: SiteFilter = {};
  if (filter.kind.length) query.kind = filter.kind;
  if (filter.status) query.status = filter.status;
  if (filter.orgUnitId) query.orgUnitId = filter.orgUnitId;
  if (filter.q.trim()) query.q = filter.q.trim();
  if (filter.inView && bbox) query.bbox = bbox;
  return query;
}

/** Table columns that sort on the server, by column prop → sort field. */
export const SORTABLE_COLUMNS: Record<string, 'name' | 'kind' | 'status' | 'updatedAt'> = {
  name: 'name',
  kind: 'kind',
  status: 'status',
  updatedAt: 'updatedAt',
};

export function toSort(prop: string | null, order: 'ascending' | 'descending' | null): SiteSort {
  const field = prop ? SORTABLE_COLUMNS[prop] : undefined;
  if (!field || !order) return 'name';
  return (order === 'descending' ? `-${field}` : field) as SiteSort;
}

export const STATUS_TAG: Record<SiteStatus, 'success' | 'warning' | 'info'> = {
  in_service: 'success',
  suspended: 'warning',
  closed: 'info',
};

/** The fields of the form; `location` is the map picker. Server problems map onto these names. */
export const SITE_FORM_FIELDS = [
  'name',
  'kind',
  'grade',
  'orgUnitId',
  'location',
  'address',
  'phone',
  'personInCharge',
  'staffCount',
  'dutyHours',
  'status',
  'activeFrom',
  'activeTo',
  'notes',
] as const;
export type SiteFormField = (typeof SITE_FORM_FIELDS)[number];

export type SiteFormModel = {
  name: string;
  kind: SiteKind | '';
  grade: 1 | 2 | null;
  orgUnitId: number | undefined;
  location: [number, number] | null;
  address: string;
  phone: string;
  personInCharge: string;
  staffCount: number | null;
  dutyHours: string;
  status: SiteStatus;
  activeFrom: Date | null;
  activeTo: Date | null;
  notes: string;
};

export const emptySiteForm = (orgUnitId?: number): SiteFormModel => ({
  name: '',
  kind: '',
  grade: null,
  orgUnitId,
  location: null,
  address: '',
  phone: '',
  personInCharge: '',
  staffCount: null,
  dutyHours: '',
  status: 'in_service',
  activeFrom: null,
  activeTo: null,
  notes: '',
});

export function siteToForm(site: Site): SiteFormModel {
  return {
    name: site.name,
    kind: site.kind,
    grade: site.grade === 1 || site.grade === 2 ? site.grade : null,
    orgUnitId: site.orgUnitId,
    location: [site.location.coordinates[0], site.location.coordinates[1]],
    address: site.address ?? '',
    phone: site.phone ?? '',
    personInCharge: site.personInCharge ?? '',
    staffCount: site.staffCount,
    dutyHours: site.dutyHours ?? '',
    status: site.status,
    activeFrom: site.activeFrom ? new Date(site.activeFrom) : null,
    activeTo: site.activeTo ? new Date(site.activeTo) : null,
    notes: site.notes ?? '',
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The create body. Kind-specific fields are cleared for kinds that do not have them. */
export function formToCreate(form: SiteFormModel): CreateSiteInput {
  const kind = form.kind as SiteKind;
  const hasPeriod = kind === 'mobile_checkpoint' || kind === 'temporary_checkpoint';
  return {
    name: form.name.trim(),
    kind,
    grade: kind === 'timber_checkpoint' ? form.grade : null,
    orgUnitId: form.orgUnitId as number,
    location: { type: 'Point', coordinates: form.location ?? [0, 0] },
    address: orNull(form.address),
    phone: orNull(form.phone),
    personInCharge: orNull(form.personInCharge),
    staffCount: form.staffCount,
    dutyHours: orNull(form.dutyHours),
    status: form.status,
    activeFrom: hasPeriod && form.activeFrom ? form.activeFrom.toISOString() : null,
    activeTo: hasPeriod && form.activeTo ? form.activeTo.toISOString() : null,
    notes: orNull(form.notes),
  };
}

/**
 * The update body: every field, with the version read. Sending `status` always matters: the
 * server's schema gives it a default, so a PATCH without it would reset it to "in service".
 */
export function formToUpdate(form: SiteFormModel, version: number): UpdateSiteInput {
  return { ...formToCreate(form), version };
}
