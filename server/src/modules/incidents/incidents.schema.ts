import { z } from 'zod';
import { DateTime } from '../../platform/dates.js';
import { GeoPoint } from '../../platform/geojson.schema.js';
import { oneOrMany, Paging } from '../../platform/paging.js';
import { INCIDENT_SOURCES } from './incident-sources.js';

export const IncidentSource = z.enum(INCIDENT_SOURCES);

export const INCIDENT_STATUSES = ['new', 'dispatched', 'on_scene', 'resolved', 'closed', 'merged', 'false_alarm'] as const;
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** Statuses in which an incident is still being handled: repeats link to it, it can be edited. */
export const OPEN_STATUSES = ['new', 'dispatched', 'on_scene'] as const satisfies readonly IncidentStatus[];

/**
 * The status changes an officer may make (`POST /api/incidents/:id/status`). Dispatching and
 * arrival may be recorded by hand (a unit sent by phone) as well as by the dispatch module;
 * `merged` is reached only by merging.
 */
export const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  new: ['dispatched', 'on_scene', 'resolved', 'false_alarm'],
  dispatched: ['on_scene', 'resolved', 'false_alarm'],
  on_scene: ['resolved', 'false_alarm'],
  resolved: ['closed'],
  closed: [],
  merged: [],
  false_alarm: [],
};

/** Chinese names of statuses, for text the server writes (timeline, exports). */
export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  new: '新警情',
  dispatched: '已派警',
  on_scene: '已到场',
  resolved: '已处置',
  closed: '已结案',
  merged: '已合并',
  false_alarm: '误报',
};

/** Chinese names of the sources. */
export const INCIDENT_SOURCE_LABELS: Record<z.infer<typeof IncidentSource>, string> = {
  phone: '电话报警',
  tipoff: '群众举报',
  sos: '护林员SOS',
  hotspot: '卫星热点',
  field_report: '巡护上报',
  camera: '视频告警',
  watchlist: '布控预警',
  manual: '人工录入',
};

/** The categories SafeForest starts with (notice clause 十); offices may add and rename. */
export const DEFAULT_INCIDENT_CATEGORIES = [
  { code: 'forest_fire', name: '森林火灾', nameEn: 'Forest fire', defaultPriority: 1, sortOrder: 10 },
  { code: 'illegal_logging', name: '盗伐滥伐林木', nameEn: 'Illegal logging', defaultPriority: 2, sortOrder: 20 },
  { code: 'land_occupation', name: '非法占用林地', nameEn: 'Illegal occupation of forest land', defaultPriority: 3, sortOrder: 30 },
  { code: 'wildlife', name: '破坏野生动物资源', nameEn: 'Wildlife crime', defaultPriority: 2, sortOrder: 40 },
  { code: 'dispute', name: '林权纠纷', nameEn: 'Forest tenure dispute', defaultPriority: 4, sortOrder: 50 },
  { code: 'public_order', name: '治安', nameEn: 'Public order', defaultPriority: 3, sortOrder: 60 },
  { code: 'rescue', name: '救援', nameEn: 'Rescue', defaultPriority: 1, sortOrder: 70 },
  { code: 'other', name: '其他', nameEn: 'Other', defaultPriority: 4, sortOrder: 80 },
] as const;

const text = (max: number) => z.string().trim().max(max);
const PHONE = /^[0-9+\-() ]{3,30}$/;
export const Priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).describe('1 most urgent … 4');
const CategoryCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'a category code: lower-case letters, digits and _');

export const IncidentCategory = z
  .object({
    code: z.string(),
    name: z.string().describe('Chinese name'),
    nameEn: z.string(),
    defaultPriority: z.number().int(),
    sortOrder: z.number().int(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'IncidentCategory' });
export type IncidentCategory = z.infer<typeof IncidentCategory>;

export const PutIncidentCategoryBody = z
  .object({
    name: text(40).min(1),
    nameEn: text(80).min(1),
    defaultPriority: Priority,
    sortOrder: z.number().int().min(0).max(10_000).default(0),
    active: z.boolean().default(true),
    version: z.number().int().positive().optional().describe('the version you read, when changing one; a newer one answers 409'),
  })
  .meta({ id: 'PutIncidentCategory' });
export const CategoryCodeParams = z.object({ code: CategoryCode });

/** What a duty officer records from a call (12119, a 110 transfer) or enters by hand. */
export const CreateIncidentBody = z
  .object({
    category: CategoryCode,
    title: text(200).min(1),
    description: text(4000).nullable().optional(),
    location: GeoPoint,
    placeText: text(200).nullable().optional(),
    source: z.enum(['phone', 'manual']),
    priority: Priority.optional().describe('the category’s default when left out'),
    reporterName: text(50).nullable().optional(),
    reporterPhone: z.string().trim().regex(PHONE, 'digits, spaces and + - ( ) only').nullable().optional(),
    reportedAt: DateTime.optional().describe('when the call came in; now when left out'),
    photoFileIds: z.array(z.string().uuid()).max(10).optional(),
  })
  .meta({ id: 'CreateIncident' });
export type CreateIncidentInput = z.infer<typeof CreateIncidentBody>;

export const UpdateIncidentBody = z
  .object({
    category: CategoryCode.optional(),
    priority: Priority.optional(),
    title: text(200).min(1).optional(),
    description: text(4000).nullable().optional(),
    location: GeoPoint.optional(),
    placeText: text(200).nullable().optional(),
    reporterName: text(50).nullable().optional(),
    reporterPhone: z.string().trim().regex(PHONE, 'digits, spaces and + - ( ) only').nullable().optional(),
    version: z.number().int().positive().describe('the version you read; a newer one answers 409'),
  })
  .meta({ id: 'UpdateIncident' });
export type UpdateIncidentInput = z.infer<typeof UpdateIncidentBody>;

export const IncidentStatusBody = z
  .object({
    status: z.enum(['dispatched', 'on_scene', 'resolved', 'closed', 'false_alarm']),
    note: text(2000).optional(),
    version: z.number().int().positive().optional(),
  })
  .meta({ id: 'IncidentStatusChange' });
export const IncidentNoteBody = z.object({ text: text(4000).min(1) }).meta({ id: 'IncidentNote' });
export const IncidentPhotoBody = z.object({ fileId: z.string().uuid() }).meta({ id: 'IncidentPhoto' });
export const MergeIncidentBody = z.object({ intoId: z.string().uuid(), note: text(2000).optional() }).meta({ id: 'MergeIncident' });
export const SplitIncidentBody = z.object({ reportId: z.string().uuid(), note: text(2000).optional() }).meta({ id: 'SplitIncident' });
export const IncidentIdParams = z.object({ id: z.string().uuid() });

/**
 * An incident as lists, the live socket and other modules see it: everything but the reporter's
 * contact, which only the handling units read (`IncidentDetail`).
 */
export const Incident = z
  .object({
    id: z.string().uuid(),
    code: z.string().describe('JQ + day (China Standard Time) + sequence, e.g. JQ20261130-0007'),
    category: z.string(),
    categoryName: z.string().describe('Chinese name from the dictionary'),
    priority: z.number().int(),
    title: z.string(),
    description: z.string().nullable(),
    location: GeoPoint,
    placeText: z.string().nullable(),
    source: IncidentSource,
    sourceRef: z.string().nullable(),
    status: IncidentStatus,
    mergedInto: z.string().uuid().nullable(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    countyCode: z.string().nullable().describe('null outside every county of Yuxi'),
    townshipId: z.number().int().nullable(),
    gridId: z.number().int().nullable(),
    stationId: z.number().int().nullable().describe('the forest police station answering for the place'),
    reportedAt: z.date(),
    dispatchedAt: z.date().nullable(),
    firstOnSceneAt: z.date().nullable(),
    resolvedAt: z.date().nullable(),
    closedAt: z.date().nullable(),
    responseSeconds: z.number().int().nullable().describe('first unit on scene − reported, in seconds'),
    reportCount: z.number().int().describe('reports linked to it, the first included'),
    createdAt: z.date(),
    updatedAt: z.date(),
    version: z.number().int(),
  })
  .meta({ id: 'Incident' });
export type Incident = z.infer<typeof Incident>;

/** The reporter's contact: shown to accounts that handle incidents (incidents:write) in scope only. */
const Contact = {
  reporterName: z.string().nullable().optional(),
  reporterPhone: z.string().nullable().optional(),
};

export const IncidentTimelineEntry = z
  .object({
    id: z.number().int(),
    at: z.date(),
    by: z.string().describe('login name, or the part of SafeForest that acted (system, analyzer)'),
    kind: z.string(),
    text: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'IncidentTimelineEntry' });
export type IncidentTimelineEntry = z.infer<typeof IncidentTimelineEntry>;

export const IncidentReport = z
  .object({
    id: z.string().uuid(),
    primary: z.boolean(),
    source: IncidentSource,
    sourceRef: z.string().nullable(),
    category: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    location: GeoPoint,
    placeText: z.string().nullable(),
    reportedAt: z.date(),
    ...Contact,
  })
  .meta({ id: 'IncidentReport' });
export type IncidentReport = z.infer<typeof IncidentReport>;

export const IncidentPhotoItem = z
  .object({ fileId: z.string().uuid(), name: z.string(), contentType: z.string(), addedBy: z.string(), addedAt: z.date() })
  .meta({ id: 'IncidentPhotoItem' });

export const IncidentDetail = Incident.extend({
  ...Contact,
  timeline: z.array(IncidentTimelineEntry).describe('oldest first, newest last'),
  reports: z.array(IncidentReport),
  photos: z.array(IncidentPhotoItem),
}).meta({ id: 'IncidentDetail' });
export type IncidentDetail = z.infer<typeof IncidentDetail>;

export const IncidentFilterQuery = z.object({
  status: oneOrMany(IncidentStatus).optional(),
  category: oneOrMany(CategoryCode).optional(),
  source: oneOrMany(IncidentSource).optional(),
  priority: oneOrMany(z.enum(['1', '2', '3', '4'])).optional(),
  from: DateTime.optional().describe('reported at or after'),
  to: DateTime.optional().describe('reported before'),
  orgUnitId: z.coerce.number().int().positive().optional().describe('only incidents in this unit’s subtree'),
  q: z.string().trim().max(100).optional().describe('text in code, title or place'),
});
export type IncidentFilter = z.infer<typeof IncidentFilterQuery>;
export const ListIncidentsQuery = IncidentFilterQuery.extend({ ...Paging });
export const IncidentList = z.object({ items: z.array(Incident), total: z.number().int() }).meta({ id: 'IncidentList' });

/** Kinds of timeline entry this module writes; other modules add their own (`assignment`, `notification`, …). */
export type TimelineKind =
  | 'opened'
  | 'report_linked'
  | 'updated'
  | 'status'
  | 'note'
  | 'photo'
  | 'merged'
  | 'merged_from'
  | 'split'
  | 'split_from'
  | 'sos'
  | (string & {});
