/**
 * The camera register's filter model and form model, and their conversions to the API types
 * (which come from the generated schema).
 */
import type { LocationQuery } from 'vue-router';
import type { Camera, CameraCategory, CameraFilter, CameraStatus, CameraType, CreateCameraInput, UpdateCameraInput } from '@/api/cameras';
import { queryId } from '@/utils/route-query';

export type CameraFilterState = {
  category: CameraCategory[];
  type: CameraType | '';
  status: CameraStatus | '';
  orgUnitId: number | undefined;
  q: string;
};

export const emptyFilter = (): CameraFilterState => ({ category: [], type: '', status: '', orgUnitId: undefined, q: '' });
/** The filter a link opens the register with (`?orgUnitId=`, the indicator's records). */
export const filterFromRoute = (query: LocationQuery): CameraFilterState => ({ ...emptyFilter(), orgUnitId: queryId(query, 'orgUnitId') });

export function toApiFilter(filter: CameraFilterState): CameraFilter {
  const query: CameraFilter = {};
  if (filter.category.length) query.category = filter.category;
  if (filter.type) query.type = filter.type;
  if (filter.status) query.status = filter.status;
  if (filter.orgUnitId) query.orgUnitId = filter.orgUnitId;
  if (filter.q.trim()) query.q = filter.q.trim();
  return query;
}

export const STATUS_TAG: Record<CameraStatus, 'success' | 'danger' | 'info'> = { online: 'success', offline: 'danger', unknown: 'info' };

/** The form's fields; server problems map onto these names. */
export const CAMERA_FORM_FIELDS = [
  'name',
  'gbId',
  'category',
  'type',
  'owner',
  'orgUnitId',
  'siteId',
  'location',
  'hlsUrl',
  'flvUrl',
  'webrtcUrl',
  'rtspUrl',
  'key',
  'notes',
] as const;

export type CameraFormModel = {
  name: string;
  gbId: string;
  category: CameraCategory | '';
  type: CameraType | '';
  owner: string;
  orgUnitId: number | undefined;
  siteId: string;
  location: [number, number] | null;
  hlsUrl: string;
  flvUrl: string;
  webrtcUrl: string;
  rtspUrl: string;
  key: string;
  removeKey: boolean;
  notes: string;
};

export const emptyCameraForm = (orgUnitId?: number): CameraFormModel => ({
  name: '',
  gbId: '',
  category: '',
  type: '',
  owner: '',
  orgUnitId,
  siteId: '',
  location: null,
  hlsUrl: '',
  flvUrl: '',
  webrtcUrl: '',
  rtspUrl: '',
  key: '',
  removeKey: false,
  notes: '',
});

export function cameraToForm(c: Camera): CameraFormModel {
  return {
    name: c.name,
    gbId: c.gbId,
    category: c.category,
    type: c.type,
    owner: c.owner ?? '',
    orgUnitId: c.orgUnitId,
    siteId: c.siteId ?? '',
    location: [c.location.coordinates[0], c.location.coordinates[1]],
    hlsUrl: c.hlsUrl ?? '',
    flvUrl: c.flvUrl ?? '',
    webrtcUrl: c.webrtcUrl ?? '',
    rtspUrl: c.rtspUrl ?? '',
    key: '',
    removeKey: false,
    notes: c.notes ?? '',
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function formToCreate(form: CameraFormModel): CreateCameraInput {
  return {
    name: form.name.trim(),
    gbId: form.gbId.trim(),
    category: form.category as CameraCategory,
    type: form.type as CameraType,
    owner: orNull(form.owner),
    ...(form.orgUnitId ? { orgUnitId: form.orgUnitId } : {}),
    siteId: orNull(form.siteId),
    location: { type: 'Point', coordinates: form.location ?? [0, 0] },
    hlsUrl: orNull(form.hlsUrl),
    flvUrl: orNull(form.flvUrl),
    webrtcUrl: orNull(form.webrtcUrl),
    rtspUrl: orNull(form.rtspUrl),
    ...(form.key.trim() ? { key: form.key.trim() } : {}),
    notes: orNull(form.notes),
  };
}

/** The update body: every field with the version read; the key only when typed or removed. */
export function formToUpdate(form: CameraFormModel, version: number): UpdateCameraInput {
  const { key: _key, ...rest } = formToCreate(form);
  return { ...rest, ...(form.key.trim() ? { key: form.key.trim() } : form.removeKey ? { key: null } : {}), version };
}
