import { saveDownload } from '@/utils/download';
import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

export type CameraCategory = Schemas['Camera']['category'];
export type CameraType = Schemas['Camera']['type'];
export type CameraStatus = Schemas['Camera']['status'];
export type AlarmType = Schemas['CameraAlarm']['type'];
export type CreateCameraInput = JsonBody<'/api/cameras', 'post'>;
export type UpdateCameraInput = JsonBody<'/api/cameras/{id}', 'patch'>;
export type CameraListQuery = QueryOf<'/api/cameras', 'get'>;
export type CameraFilter = QueryOf<'/api/cameras/geojson', 'get'>;
export type CameraAlarmQuery = QueryOf<'/api/camera-alarms', 'get'>;
/** A camera as the client receives it. */
export type Camera = Awaited<ReturnType<typeof getCamera>>;
export type CameraAlarm = Awaited<ReturnType<typeof listCameraAlarms>>['items'][number];

/** The categories of notice clause 九, in the order the register lists them. */
export const CAMERA_CATEGORIES: CameraCategory[] = [
  'key_forest_area',
  'natural_forest',
  'reserve',
  'forest_farm',
  'important_road',
  'timber_enterprise',
  'timber_market',
  'wildlife_breeding',
  'scenic_area',
];
export const CAMERA_TYPES: CameraType[] = ['dome', 'bullet', 'thermal', 'smoke_fire', 'plate_capture'];
export const CAMERA_STATUSES: CameraStatus[] = ['online', 'offline', 'unknown'];
export const ALARM_TYPES: AlarmType[] = ['fire', 'smoke', 'intrusion', 'line_crossing', 'motion', 'tamper', 'video_loss', 'other'];

/** Status colours, the same on the map, in the table and in the wall. */
export const CAMERA_STATUS_COLOURS: Record<CameraStatus, string> = { online: '#16a34a', offline: '#dc2626', unknown: '#9ca3af' };

export const listCameras = (query: CameraListQuery) => unwrap(api.GET('/api/cameras', { params: { query } }));
export const getCamera = (id: string) => unwrap(api.GET('/api/cameras/{id}', { params: { path: { id } } }));
export const fetchCamerasLayer = (filter: CameraFilter = {}) => unwrap(api.GET('/api/cameras/geojson', { params: { query: filter } }));
export const createCamera = (body: CreateCameraInput) => unwrap(api.POST('/api/cameras', { body }));
export const updateCamera = (id: string, body: UpdateCameraInput) =>
  unwrap(api.PATCH('/api/cameras/{id}', { params: { path: { id } }, body }));
export const deleteCamera = (id: string, reason: string, version?: number) =>
  unwrap(api.DELETE('/api/cameras/{id}', { params: { path: { id } }, body: { reason, version } }));
export const listCameraAlarms = (query: CameraAlarmQuery) => unwrap(api.GET('/api/camera-alarms', { params: { query } }));

export async function exportCameras(filter: CameraFilter) {
  saveDownload(await api.GET('/api/cameras/export', { params: { query: filter }, parseAs: 'blob' }), 'cameras.xlsx');
}

/** Where the browser fetches a stored snapshot. */
export const snapshotUrl = (fileId: string) => `/api/files/${fileId}`;
