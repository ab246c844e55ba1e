import { z } from 'zod';
import { DateTime } from '../../platform/dates.js';
import { Bbox, GeoPoint } from '../../platform/geojson.schema.js';
import { oneOrMany, Paging } from '../../platform/paging.js';

/** What a ranger reports from the field (事件上报). */
export const FIELD_REPORT_KINDS = [
  'fire_hazard', // 火情隐患
  'illegal_logging', // 盗伐滥伐
  'pests', // 林业有害生物
  'land_occupation', // 非法占用林地
  'wildlife', // 野生动物
  'other', // 其他
] as const;
export const FieldReportKind = z.enum(FIELD_REPORT_KINDS);
export type FieldReportKind = z.infer<typeof FieldReportKind>;

/** new → verified (an officer confirmed it) → closed; an officer may also close a report at once. */
export const FIELD_REPORT_STATUSES = ['new', 'verified', 'closed'] as const;
export const FieldReportStatus = z.enum(FIELD_REPORT_STATUSES);
export type FieldReportStatus = z.infer<typeof FieldReportStatus>;

export const CreateFieldReportBody = z
  .object({
    kind: FieldReportKind,
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    note: z.string().trim().max(2000).optional(),
    photoFileId: z.string().uuid().optional().describe('a photo uploaded first through POST /api/files'),
    reportedAt: DateTime.optional().describe('when the ranger made the report, if the phone was offline; default now'),
  })
  .meta({ id: 'CreateFieldReport' });
export type CreateFieldReportInput = z.infer<typeof CreateFieldReportBody>;

export const UpdateFieldReportBody = z.object({ status: FieldReportStatus }).meta({ id: 'UpdateFieldReport' });

export const FieldReport = z
  .object({
    id: z.string().uuid(),
    kind: FieldReportKind,
    rangerId: z.string().uuid().nullable(),
    rangerName: z.string().nullable(),
    orgUnitId: z.number().int().describe('the grid holding the location, or the ranger’s own unit when outside their county'),
    orgUnitName: z.string(),
    location: GeoPoint,
    reportedAt: z.date(),
    note: z.string().nullable(),
    photoFileId: z.string().uuid().nullable(),
    status: FieldReportStatus,
    createdAt: z.date(),
  })
  .meta({ id: 'FieldReport' });
export type FieldReport = z.infer<typeof FieldReport>;

export const FieldReportFilterQuery = z.object({
  kind: oneOrMany(FieldReportKind).optional(),
  status: oneOrMany(FieldReportStatus).optional(),
  orgUnitId: z.coerce.number().int().positive().optional().describe('only reports in this unit’s subtree'),
  rangerId: z.string().uuid().optional(),
  from: DateTime.optional().describe('reported at or after'),
  to: DateTime.optional().describe('reported before'),
  bbox: Bbox.optional(),
});
export type FieldReportFilter = z.infer<typeof FieldReportFilterQuery>;
export const ListFieldReportsQuery = FieldReportFilterQuery.extend({ ...Paging });

export const FieldReportList = z.object({ items: z.array(FieldReport), total: z.number().int() });
export const FieldReportIdParams = z.object({ id: z.string().uuid() });
