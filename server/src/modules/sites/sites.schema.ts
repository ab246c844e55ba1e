import { z } from 'zod';
import { DateTime } from '../../platform/dates.js';
import type { FieldProblem } from '../../platform/errors.js';
import { Bbox, GeoPoint } from '../../platform/geojson.schema.js';
import { oneOrMany, Paging } from '../../platform/paging.js';
import { cellDate, cellNumber, cellText, isBlank, labelled } from '../../platform/sheet-import.js';

/** Site kinds of notice clause 八 (stations and posts) and the key sites of clause 九. */
export const SITE_KINDS = [
  'timber_checkpoint', // 木材检查站 (grade 1 or 2)
  'police_station', // 森林公安派出所
  'police_post', // 林区警务站(室)
  'temporary_checkpoint', // 临时卡口
  'mobile_checkpoint', // 流动检查点 (with an active period)
  'timber_enterprise', // 木材收购加工企业
  'timber_market', // 木材交易市场
  'wildlife_breeding', // 野生动植物驯养繁殖场所
  'scenic_area', // 森林景区
  'reserve_entrance', // 保护区出入口
] as const;
export const SiteKind = z.enum(SITE_KINDS);

/** Sites with people on duty: the register is to say how many and when (the completeness indicator asks for both). */
export const STAFFED_SITE_KINDS = [
  'timber_checkpoint',
  'police_station',
  'police_post',
  'temporary_checkpoint',
  'mobile_checkpoint',
] as const satisfies readonly (typeof SITE_KINDS)[number][];
export type SiteKind = z.infer<typeof SiteKind>;

export const SITE_STATUSES = ['in_service', 'suspended', 'closed'] as const;
export const SiteStatus = z.enum(SITE_STATUSES);

const PHONE = /^[0-9+\-() ]{5,30}$/;

/** Text limits, shared by the API and the import. */
const text = (max: number) => z.string().trim().max(max);

const SiteFields = z.object({
  name: text(100).min(1),
  kind: SiteKind,
  grade: z
    .union([z.literal(1), z.literal(2)])
    .nullable()
    .optional()
    .describe('timber checkpoints only: 1 or 2'),
  orgUnitId: z.number().int().positive(),
  location: GeoPoint,
  address: text(200).nullable().optional(),
  phone: z.string().trim().regex(PHONE, 'digits, spaces and + - ( ) only').nullable().optional(),
  personInCharge: text(50).nullable().optional(),
  staffCount: z.number().int().min(0).max(10_000).nullable().optional(),
  dutyHours: text(100).nullable().optional(),
  status: SiteStatus.optional(),
  activeFrom: DateTime.nullable().optional().describe('mobile checkpoints: start of the active period'),
  activeTo: DateTime.nullable().optional().describe('mobile checkpoints: end of the active period'),
  notes: text(2000).nullable().optional(),
});

export const CreateSiteBody = SiteFields.extend({ status: SiteStatus.default('in_service') }).meta({ id: 'CreateSite' });
export type CreateSiteInput = z.infer<typeof CreateSiteBody>;

export const UpdateSiteBody = SiteFields.partial()
  .extend({ version: z.number().int().positive().describe('the version you read; a newer one answers 409') })
  .meta({ id: 'UpdateSite' });
export type UpdateSiteInput = z.infer<typeof UpdateSiteBody>;

export const DeleteSiteBody = z.object({ reason: text(500).min(2), version: z.number().int().positive().optional() });

export const Site = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    kind: SiteKind,
    grade: z.number().int().nullable(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    location: GeoPoint,
    address: z.string().nullable(),
    phone: z.string().nullable(),
    personInCharge: z.string().nullable(),
    staffCount: z.number().int().nullable(),
    dutyHours: z.string().nullable(),
    status: SiteStatus,
    activeFrom: z.date().nullable(),
    activeTo: z.date().nullable(),
    active: z.boolean().describe('in service and, for a mobile checkpoint, inside its active period now'),
    notes: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Site' });
export type Site = z.infer<typeof Site>;

export const SITE_SORTS = [
  'name',
  '-name',
  'kind',
  '-kind',
  'updatedAt',
  '-updatedAt',
  'createdAt',
  '-createdAt',
  'status',
  '-status',
] as const;

export const SiteFilterQuery = z.object({
  kind: oneOrMany(SiteKind).optional(),
  status: oneOrMany(SiteStatus).optional(),
  orgUnitId: z.coerce.number().int().positive().optional().describe('only sites in this unit’s subtree'),
  q: z.string().trim().max(100).optional().describe('text in name, address or person in charge'),
  bbox: Bbox.optional(),
});
export type SiteFilter = z.infer<typeof SiteFilterQuery>;

export const ListSitesQuery = SiteFilterQuery.extend({
  ...Paging,
  sort: z.enum(SITE_SORTS).default('name'),
});

export const SiteList = z.object({ items: z.array(Site), total: z.number().int() });
export const SiteIdParams = z.object({ id: z.string().uuid() });

/**
 * The rules that join several fields; checked on the merged record, so a PATCH that changes one
 * field is held to the same rules as a create.
 */
export function siteRuleProblems(site: {
  kind: SiteKind;
  grade?: number | null;
  activeFrom?: Date | null;
  activeTo?: Date | null;
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (site.kind === 'timber_checkpoint' && site.grade == null) {
    problems.push({ path: 'body.grade', message: 'a timber checkpoint has grade 1 or 2' });
  }
  if (site.kind !== 'timber_checkpoint' && site.grade != null) {
    problems.push({ path: 'body.grade', message: 'only timber checkpoints have a grade' });
  }
  if (site.kind === 'mobile_checkpoint') {
    if (!site.activeFrom) problems.push({ path: 'body.activeFrom', message: 'a mobile checkpoint needs the start of its active period' });
    if (!site.activeTo) problems.push({ path: 'body.activeTo', message: 'a mobile checkpoint needs the end of its active period' });
  }
  if (site.activeFrom && site.activeTo && site.activeFrom > site.activeTo) {
    problems.push({ path: 'body.activeTo', message: 'the end of the active period is before its start' });
  }
  return problems;
}

/** Chinese names of kinds and statuses as offices write them in spreadsheets. */
export const SITE_KIND_LABELS: Record<SiteKind, string> = {
  timber_checkpoint: '木材检查站',
  police_station: '森林公安派出所',
  police_post: '林区警务站',
  temporary_checkpoint: '临时卡口',
  mobile_checkpoint: '流动检查点',
  timber_enterprise: '木材收购加工企业',
  timber_market: '木材交易市场',
  wildlife_breeding: '野生动植物驯养繁殖场所',
  scenic_area: '森林景区',
  reserve_entrance: '保护区出入口',
};
export const SITE_STATUS_LABELS: Record<z.infer<typeof SiteStatus>, string> = {
  in_service: '在用',
  suspended: '暂停',
  closed: '关闭',
};

/**
 * One spreadsheet row of the site register (export writes it, import reads it): the columns in
 * order, with the field each fills. `所属单位` is written for readers and ignored on import; the
 * unit is identified by its code.
 */
export const SITE_SHEET_COLUMNS = [
  { header: '名称', field: 'name' },
  { header: '类型', field: 'kind' },
  { header: '等级', field: 'grade' },
  { header: '所属单位编码', field: 'orgUnitCode' },
  { header: '所属单位', field: 'orgUnitName' },
  { header: '经度', field: 'lon' },
  { header: '纬度', field: 'lat' },
  { header: '地址', field: 'address' },
  { header: '电话', field: 'phone' },
  { header: '负责人', field: 'personInCharge' },
  { header: '人数', field: 'staffCount' },
  { header: '值班时间', field: 'dutyHours' },
  { header: '状态', field: 'status' },
  { header: '启用时间', field: 'activeFrom' },
  { header: '停用时间', field: 'activeTo' },
  { header: '备注', field: 'notes' },
] as const;

export const SiteSheetRow = z.object({
  name: cellText(z.string().min(1).max(100)),
  kind: z.preprocess(labelled(SITE_KIND_LABELS), SiteKind),
  grade: cellNumber(z.union([z.literal(1), z.literal(2)]).optional()),
  orgUnitCode: cellText(z.string().min(1).max(40)),
  lon: cellNumber(z.number().min(-180).max(180)),
  lat: cellNumber(z.number().min(-90).max(90)),
  address: cellText(z.string().max(200).optional()),
  phone: cellText(z.string().regex(PHONE, 'digits, spaces and + - ( ) only').optional()),
  personInCharge: cellText(z.string().max(50).optional()),
  staffCount: cellNumber(z.number().int().min(0).max(10_000).optional()),
  dutyHours: cellText(z.string().max(100).optional()),
  status: z.preprocess((v) => (isBlank(v) ? 'in_service' : labelled(SITE_STATUS_LABELS)(String(v).trim())), SiteStatus),
  activeFrom: cellDate,
  activeTo: cellDate,
  notes: cellText(z.string().max(2000).optional()),
});
export type SiteSheetRow = z.infer<typeof SiteSheetRow>;

export const ImportStarted = z.object({ jobId: z.string().uuid() });
