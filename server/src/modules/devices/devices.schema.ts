import { z } from 'zod';
import { Paging } from '../../platform/geo.schema.js';

/** What devices send as their identity: Traccar `id`, OwnTracks `tid` or topic, an IMEI. */
export const UniqueId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:@-]+$/, 'letters, digits and _ . : @ - only');

const DeviceKey = z.string().min(8).max(128).describe('a secret the device sends as `key` or as a bearer token');

export const CreateDeviceBody = z
  .object({
    uniqueId: UniqueId,
    name: z.string().trim().min(1).max(100),
    rangerId: z.string().uuid().nullable().optional().describe('the ranger who carries it from now on'),
    orgUnitId: z.number().int().positive().optional().describe('owner unit; defaults to the ranger’s unit, else yours'),
    model: z.string().trim().max(100).nullable().optional(),
    phone: z.string().trim().max(30).nullable().optional(),
    key: DeviceKey.optional(),
    generateKey: z.boolean().optional().describe('generate a key and return it once'),
  })
  .meta({ id: 'CreateDevice' });
export type CreateDeviceInput = z.infer<typeof CreateDeviceBody>;

export const UpdateDeviceBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    rangerId: z.string().uuid().nullable().optional().describe('hand the device to another ranger (null: to nobody) from now on'),
    model: z.string().trim().max(100).nullable().optional(),
    phone: z.string().trim().max(30).nullable().optional(),
    status: z.enum(['active', 'disabled']).optional(),
    key: DeviceKey.nullable().optional().describe('a new key, or null to accept the device without one'),
    version: z.number().int().positive(),
  })
  .meta({ id: 'UpdateDevice' });
export type UpdateDeviceInput = z.infer<typeof UpdateDeviceBody>;

export const Device = z
  .object({
    id: z.string().uuid(),
    uniqueId: z.string(),
    name: z.string(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    model: z.string().nullable(),
    phone: z.string().nullable(),
    status: z.string(),
    hasKey: z.boolean(),
    rangerId: z.string().uuid().nullable(),
    rangerName: z.string().nullable(),
    lastFixTime: z.date().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Device' });
export type Device = z.infer<typeof Device>;

export const CreatedDevice = Device.extend({ key: z.string().optional().describe('the generated key, shown this once') });

export const DeviceBinding = z.object({
  rangerId: z.string().uuid(),
  rangerName: z.string(),
  validFrom: z.date(),
  validTo: z.date().nullable(),
});

export const ListDevicesQuery = z.object({
  ...Paging,
  orgUnitId: z.coerce.number().int().positive().optional(),
  rangerId: z.string().uuid().optional(),
  q: z.string().trim().max(100).optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

export const DeviceIdParams = z.object({ id: z.string().uuid() });
