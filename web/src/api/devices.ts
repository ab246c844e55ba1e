import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

export type Device = Schemas['Device'];
export type DeviceQuery = QueryOf<'/api/devices', 'get'>;
export type CreateDeviceInput = JsonBody<'/api/devices', 'post'>;
export type UpdateDeviceInput = JsonBody<'/api/devices/{id}', 'patch'>;
/** A device as created: with `key` when one was generated (shown this once). */
export type CreatedDevice = Awaited<ReturnType<typeof createDevice>>;
/** Whether a county requires device keys, with its keyless devices. */
export type KeyPolicy = Schemas['DeviceKeyPolicy'];

export const listDevices = (query: DeviceQuery) => unwrap(api.GET('/api/devices', { params: { query } }));
export const createDevice = (body: CreateDeviceInput) => unwrap(api.POST('/api/devices', { body }));
/** Changes a device; with `generateKey` the answer carries the new key (shown this once). */
export const updateDevice = (id: string, body: UpdateDeviceInput) =>
  unwrap(api.PATCH('/api/devices/{id}', { params: { path: { id } }, body }));
/** Who carried the device when, newest first. */
export const listDeviceBindings = (id: string) => unwrap(api.GET('/api/devices/{id}/bindings', { params: { path: { id } } }));
export const listKeyPolicies = () => unwrap(api.GET('/api/devices/key-policies'));
export const setKeyPolicy = (orgUnitId: number, requireKeys: boolean) =>
  unwrap(api.PUT('/api/devices/key-policies/{orgUnitId}', { params: { path: { orgUnitId } }, body: { requireKeys } }));
