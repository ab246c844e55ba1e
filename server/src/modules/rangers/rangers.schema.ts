import { z } from 'zod';
import { oneOrMany, Paging } from '../../platform/paging.js';

/** The two kinds of ranger the notice's clause 七 brings under forest police command. */
export const RANGER_KINDS = [
  'full_time', // 专职护林员
  'ecological', // 生态护林员 (paid from the ecological compensation programme)
] as const;
export const RangerKind = z.enum(RANGER_KINDS);
export type RangerKind = z.infer<typeof RangerKind>;

export const RANGER_STATUSES = ['active', 'suspended', 'left'] as const;
export const RangerStatus = z.enum(RANGER_STATUSES);
export type RangerStatus = z.infer<typeof RangerStatus>;

/** The same rule as the site register's phone numbers. */
const PHONE = /^[0-9+\-() ]{5,30}$/;

const text = (max: number) => z.string().trim().max(max);

/**
 * The fields a client writes. No defaults here: an update is a partial of these, and a default
 * would silently reset a field the PATCH did not send.
 */
const RangerFields = z.object({
  name: text(50).min(1),
  kind: RangerKind,
  orgUnitId: z.number().int().positive().describe('the assigned area: a grid or township'),
  commandingUnitId: z
    .number()
    .int()
    .positive()
    .nullable()
    .optional()
    .describe('the forest police station that commands, trains and assesses the ranger; in the county of the area'),
  phone: z.string().trim().regex(PHONE, 'digits, spaces and + - ( ) only').nullable().optional(),
  status: RangerStatus,
  notes: text(2000).nullable().optional(),
  userId: z.string().uuid().nullable().optional().describe('the ranger’s own sign-in account (one ranger per account)'),
});

export const CreateRangerBody = RangerFields.extend({ status: RangerStatus.default('active') }).meta({ id: 'CreateRanger' });
export type CreateRangerInput = z.infer<typeof CreateRangerBody>;

export const UpdateRangerBody = RangerFields.partial()
  .extend({ version: z.number().int().positive().describe('the version you read; a newer one answers 409') })
  .meta({ id: 'UpdateRanger' });
export type UpdateRangerInput = z.infer<typeof UpdateRangerBody>;

export const DeleteRangerBody = z.object({ reason: text(500).min(2), version: z.number().int().positive().optional() });

export const RangerDevice = z
  .object({
    id: z.string().uuid(),
    uniqueId: z.string(),
    name: z.string(),
    kind: z.enum(['phone', 'tracker']),
    hasKey: z.boolean().describe('false: a keyless device, whose fixes anyone knowing its id could send'),
  })
  .meta({ id: 'RangerDevice' });

export const Ranger = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    kind: RangerKind,
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    commandingUnitId: z.number().int().nullable(),
    commandingUnitName: z.string().nullable(),
    userId: z.string().uuid().nullable(),
    username: z.string().nullable(),
    phone: z.string().nullable(),
    status: RangerStatus,
    notes: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
    devices: z.array(RangerDevice).describe('devices bound to the ranger now'),
  })
  .meta({ id: 'Ranger' });
export type Ranger = z.infer<typeof Ranger>;

export const RANGER_SORTS = [
  'name',
  '-name',
  'kind',
  '-kind',
  'status',
  '-status',
  'updatedAt',
  '-updatedAt',
  'createdAt',
  '-createdAt',
] as const;

export const RangerFilterQuery = z.object({
  kind: oneOrMany(RangerKind).optional(),
  status: oneOrMany(RangerStatus).optional(),
  orgUnitId: z.coerce.number().int().positive().optional().describe('only rangers assigned inside this unit’s subtree'),
  q: z.string().trim().max(100).optional().describe('text in name or phone'),
});
export type RangerFilter = z.infer<typeof RangerFilterQuery>;

export const ListRangersQuery = RangerFilterQuery.extend({
  ...Paging,
  sort: z.enum(RANGER_SORTS).default('name'),
});

export const RangerList = z.object({ items: z.array(Ranger), total: z.number().int() });
export const RangerIdParams = z.object({ id: z.string().uuid() });

/** Chinese names of kinds and statuses as offices write them in spreadsheets. */
export const RANGER_KIND_LABELS: Record<RangerKind, string> = {
  full_time: '专职护林员',
  ecological: '生态护林员',
};
export const RANGER_STATUS_LABELS: Record<RangerStatus, string> = {
  active: '在岗',
  suspended: '暂停',
  left: '离岗',
};

/** The columns of the exported register, in order. */
export const RANGER_SHEET_COLUMNS = [
  { header: '姓名', field: 'name' },
  { header: '类型', field: 'kind' },
  { header: '责任区编码', field: 'orgUnitCode' },
  { header: '责任区', field: 'orgUnitName' },
  { header: '指挥单位', field: 'commandingUnitName' },
  { header: '电话', field: 'phone' },
  { header: '账号', field: 'username' },
  { header: '状态', field: 'status' },
  { header: '设备', field: 'devices' },
  { header: '备注', field: 'notes' },
] as const;
