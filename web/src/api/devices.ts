import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

export type Device = Schemas['Device'];
export type DeviceQuery = QueryOf<'/api/devices', 'get'>;
export type CreateDeviceInput = JsonBody<'/api/devices', 'post'>;
export type UpdateDeviceInput = JsonBody<'/api/devices/{id}', 'patch'>;
/** A device as created: with `key` when one was generated (shown this once). */
export type CreatedDevice = Awaited<ReturnType<typeof createDevice>>;

export const listDevices = (query: DeviceQuery) => unwrap(api.GET('/api/devices', { params: { query } }));
export const createDevice = (body: CreateDeviceInput) => unwrap(api.POST('/api/devices', { body }));
export const updateDevice = (id: string, body: UpdateDeviceInput) =>
  unwrap(api.PATCH('/api/devices/{id}', { params: { path: { id } }, body }));
/** Who carried the device when, newest first. */
export const listDeviceBindings = (id: string) => unwrap(api.GET('/api/devices/{id}/bindings', { params: { path: { id } } }));
