import { z } from 'zod';
import { Paging } from '../../platform/paging.js';

/** What devices send as their identity: Traccar `id`, OwnTracks `tid` or topic, an IMEI. */
export const UniqueId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:@-]+$/, 'letters, digits and _ . : @ - only');

/**
 * The identities the ranger page's own devices take (`web-<ranger id>`): only the ranger page
 * creates them, for the signed-in ranger, so nobody can register one by hand and receive another
 * ranger's positions.
 */
export const isRangerPageId = (uniqueId: string) => /^web-/i.test(uniqueId);

export const DeviceKind = z.enum(['phone', 'tracker']).describe('the ranger’s phone (the ranger page reports through it) or a tracker');

const DeviceKey = z.string().min(8).max(128).describe('a secret the device sends as `key` or as a bearer token');

export const CreateDeviceBody = z
  .object({
    uniqueId: UniqueId.refine((id) => !isRangerPageId(id), 'identities starting with web- are reserved for the ranger page'),
    name: z.string().trim().min(1).max(100),
    kind: DeviceKind.optional().describe('default phone'),
    rangerId: z.string().uuid().nullable().optional().describe('the ranger who carries it from now on'),
    orgUnitId: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('owner unit of a device bound to nobody (default yours); a device bound to a ranger belongs to the ranger’s unit'),
    model: z.string().trim().max(100).nullable().optional(),
    phone: z.string().trim().max(30).nullable().optional(),
    key: DeviceKey.optional().describe('without key or generateKey the device is keyless (refused where the county requires keys)'),
    generateKey: z.boolean().optional().describe('generate a key and return it once'),
  })
  .meta({ id: 'CreateDevice' });
export type CreateDeviceInput = z.infer<typeof CreateDeviceBody>;

export const UpdateDeviceBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    kind: DeviceKind.optional(),
    rangerId: z
      .string()
      .uuid()
      .nullable()
      .optional()
      .describe('hand the device to another ranger (null: to nobody) from now on; it moves to the ranger’s unit'),
    model: z.string().trim().max(100).nullable().optional(),
    phone: z.string().trim().max(30).nullable().optional(),
    status: z.enum(['active', 'disabled']).optional(),
    key: DeviceKey.nullable().optional().describe('a new key, or null to accept the device without one'),
    generateKey: z.boolean().optional().describe('generate a new key and return it once'),
    version: z.number().int().positive(),
  })
  .meta({ id: 'UpdateDevice' });
export type UpdateDeviceInput = z.infer<typeof UpdateDeviceBody>;

export const Device = z
  .object({
    id: z.string().uuid(),
    uniqueId: z.string(),
    name: z.string(),
    kind: DeviceKind,
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

/** A county's device-key policy, with how many of its devices would be refused under it. */
export const KeyPolicy = z
  .object({
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    requireKeys: z.boolean(),
    keylessDevices: z.number().int().describe('active devices of the county without a key'),
  })
  .meta({ id: 'DeviceKeyPolicy' });
export type KeyPolicy = z.infer<typeof KeyPolicy>;

export const SetKeyPolicyBody = z.object({ requireKeys: z.boolean() });
export const KeyPolicyParams = z.object({ orgUnitId: z.coerce.number().int().positive() });

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
