import { z } from 'zod';
import { checkDate, DateTime, readDateTime } from '../../platform/dates.js';
import { Bbox, GeoPoint } from '../../platform/geojson.schema.js';
import { oneOrMany, Paging } from '../../platform/paging.js';
import { isStorableText, UNSTORABLE_MESSAGE } from '../../platform/text.js';

export const HOTSPOT_SOURCES = ['firms', 'bulletin'] as const;
export const HotspotSource = z.enum(HOTSPOT_SOURCES);
export type HotspotSource = z.infer<typeof HotspotSource>;

export const CONFIDENCES = ['low', 'nominal', 'high'] as const;
export const Confidence = z.enum(CONFIDENCES);

/** Land class of a bulletin hotspot (地类). */
export const LAND_CLASSES = ['forest', 'grassland', 'cropland', 'other'] as const;
export const LandClass = z.enum(LAND_CLASSES);
export type LandClass = z.infer<typeof LandClass>;
export const LAND_CLASS_LABELS: Record<LandClass, string> = { forest: '林地', grassland: '草地', cropland: '耕地', other: '其他' };

/** What the ground check found (核查结果). */
export const CHECK_RESULTS = ['forest_fire', 'agricultural', 'industrial', 'other', 'false_alarm'] as const;
export const CheckResult = z.enum(CHECK_RESULTS);
export type CheckResult = z.infer<typeof CheckResult>;
export const CHECK_RESULT_LABELS: Record<CheckResult, string> = {
  forest_fire: '林火',
  agricultural: '农事用火',
  industrial: '工业热源',
  other: '其他',
  false_alarm: '误报',
};

/** Where a hotspot's ground check stands: none assigned, assigned and awaiting feedback, fed back. */
export const CHECK_STATUSES = ['unassigned', 'assigned', 'checked'] as const;
export const CheckStatus = z.enum(CHECK_STATUSES);

/** Age buckets of the hotspot map layer. */
export const AGE_BUCKETS = ['6h', '24h', '7d'] as const;
export const AgeBucket = z.enum(AGE_BUCKETS);
export type AgeBucket = z.infer<typeof AgeBucket>;
export const AGE_BUCKET_HOURS: Record<AgeBucket, number> = { '6h': 6, '24h': 24, '7d': 168 };

/** A bulletin hotspot of this many pixels or more opens an incident at once (the bulletins' own rule). */
export const BULLETIN_INCIDENT_PIXELS = 3;

/** When a FIRMS cluster opens an incident: a setting the administrator changes (`/api/settings/hotspots`). */
export const HotspotSettings = z
  .object({
    firmsMinConfidence: Confidence.default('nominal').describe('a FIRMS hotspot below this confidence opens no incident'),
    firmsMinFrpMw: z.number().min(0).max(10_000).default(0).describe('a FIRMS hotspot of less fire radiative power (MW) opens no incident'),
  })
  .meta({ id: 'HotspotSettings' });
export type HotspotSettings = z.infer<typeof HotspotSettings>;

/** Why a row of an import was not taken. */
export const BAD_ROW_CODES = [
  'unstorable',
  'missing',
  'not_a_number',
  'out_of_range',
  'not_a_date',
  'no_such_date',
  'not_a_time',
  'no_such_time',
  'in_future',
  'bad_confidence',
  'bad_cells',
] as const;
export type BadRowCode = (typeof BAD_ROW_CODES)[number];

export const BadRow = z
  .object({
    line: z.number().int(),
    reason: z.string().describe('why, in English'),
    code: z.enum(BAD_ROW_CODES).describe('why, as a code the web words in the reader’s language'),
    params: z.record(z.string(), z.string()).describe('the values the code’s wording names: column, value, range, columns'),
  })
  .meta({ id: 'HotspotBadRow' });

export const ImportSummary = z
  .object({
    imported: z.number().int().describe('new hotspots stored'),
    duplicates: z.number().int().describe('rows already stored (same source, satellite, time and position)'),
    outside: z
      .number()
      .int()
      .describe('new hotspots outside Yuxi: those within about 50 km of the city are stored, farther ones only counted (farAway)'),
    farAway: z.number().int().describe('rows farther than about 50 km from the city: counted in outside, not stored'),
    incidents: z.number().int().describe('incidents opened by new clusters'),
    clusters: z.number().int().describe('new clusters'),
    badRows: z.array(BadRow).describe('rows not imported, by line of the file (the header is line 1) or spreadsheet row'),
  })
  .meta({ id: 'HotspotImportSummary' });
export type ImportSummary = z.infer<typeof ImportSummary>;

export const HotspotCheck = z
  .object({
    id: z.string().uuid(),
    assigneeUserId: z.string().uuid().nullable(),
    assigneeUserName: z.string().nullable(),
    assigneeUnitId: z.number().int().nullable(),
    assigneeUnitName: z.string().nullable(),
    deadline: z.date().nullable(),
    assignedAt: z.date(),
    assignedBy: z.string(),
    result: CheckResult.nullable(),
    checkedAt: z.date().nullable(),
    checkedBy: z.string().nullable(),
    note: z.string().nullable(),
    fireOut: z.boolean().nullable(),
    photoFileIds: z.array(z.string().uuid()),
    feedbackAt: z.date().nullable(),
    delayFromDetectionS: z.number().int().nullable(),
    delayFromAssignmentS: z.number().int().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'HotspotCheck' });
export type HotspotCheck = z.infer<typeof HotspotCheck>;

export const Hotspot = z
  .object({
    id: z.string().uuid(),
    source: HotspotSource,
    satellite: z.string(),
    satelliteCode: z.string(),
    instrument: z.string().nullable(),
    detectedAt: z.date(),
    location: GeoPoint,
    confidence: Confidence.nullable(),
    confidenceRaw: z.string().nullable(),
    frp: z.number().nullable().describe('fire radiative power, MW'),
    brightness: z.number().nullable(),
    daynight: z.string().nullable(),
    dataVersion: z.string().nullable(),
    bulletinNumber: z.string().nullable(),
    pixelCount: z.number().int().nullable(),
    smoke: z.boolean().nullable(),
    landClass: LandClass.nullable(),
    placeText: z.string().nullable(),
    countyCode: z.string().nullable().describe('null outside Yuxi'),
    countyName: z.string().nullable(),
    townshipId: z.number().int().nullable(),
    gridId: z.number().int().nullable(),
    orgUnitId: z.number().int().nullable(),
    clusterId: z.string().uuid().nullable(),
    incidentId: z.string().uuid().nullable(),
    checkStatus: CheckStatus,
    check: HotspotCheck.nullable(),
    importedAt: z.date(),
  })
  .meta({ id: 'Hotspot' });
export type Hotspot = z.infer<typeof Hotspot>;

export const HotspotFilterQuery = z.object({
  from: DateTime.optional().describe('detected at or after'),
  to: DateTime.optional().describe('detected before'),
  orgUnitId: z.coerce.number().int().positive().optional().describe('only hotspots in this unit’s subtree (a county, township, grid)'),
  source: oneOrMany(HotspotSource).optional(),
  satellite: oneOrMany(z.string().trim().min(1).max(40)).optional(),
  checkStatus: oneOrMany(CheckStatus).optional(),
  maxAgeHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 366)
    .optional()
    .describe('detected within this many hours of now'),
  bbox: Bbox.optional(),
});
export type HotspotFilter = z.infer<typeof HotspotFilterQuery>;

export const ListHotspotsQuery = HotspotFilterQuery.extend({
  ...Paging,
  sort: z.enum(['detectedAt', '-detectedAt']).default('-detectedAt'),
});
export const HotspotList = z.object({ items: z.array(Hotspot), total: z.number().int() });
export const HotspotIdParams = z.object({ id: z.string().uuid() });

export const HotspotLayerQuery = HotspotFilterQuery.omit({ maxAgeHours: true, from: true, to: true }).extend({
  maxAge: AgeBucket.default('7d').describe('the oldest bucket shown; each feature carries its bucket in `properties.age`'),
});

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => isStorableText(v), UNSTORABLE_MESSAGE);

export const CreateBulletinHotspotBody = z
  .object({
    bulletinNumber: text(40).min(1).describe('the hotspot’s number in the bulletin'),
    detectedAt: DateTime,
    satellite: text(40).min(1).describe('satellite/sensor as the bulletin names it, e.g. FY-3D/MERSI'),
    placeText: text(200).nullable().optional().describe('province, county and township as the bulletin writes them'),
    location: GeoPoint,
    pixelCount: z.number().int().min(1).max(10_000),
    smoke: z.boolean().default(false),
    landClass: LandClass,
  })
  .meta({ id: 'CreateBulletinHotspot' });
export type CreateBulletinHotspotInput = z.infer<typeof CreateBulletinHotspotBody>;

export const AssignCheckBody = z
  .object({
    assigneeUserId: z.string().uuid().nullable().optional(),
    assigneeUnitId: z.number().int().positive().nullable().optional(),
    deadline: DateTime.nullable().optional(),
    version: z.number().int().positive().optional().describe('the check’s version you read, when reassigning'),
  })
  .meta({ id: 'AssignHotspotCheck' });
export type AssignCheckInput = z.infer<typeof AssignCheckBody>;

export const RecordCheckBody = z
  .object({
    result: CheckResult,
    checkedAt: DateTime.describe('when the checker was on the ground'),
    note: text(2000).nullable().optional(),
    fireOut: z.boolean(),
    photoFileIds: z.array(z.string().uuid()).max(9).default([]),
    version: z.number().int().positive().optional(),
  })
  .meta({ id: 'RecordHotspotCheck' });
export type RecordCheckInput = z.infer<typeof RecordCheckBody>;

const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const cellText = <T extends z.ZodType>(inner: T) =>
  z
    .preprocess((v) => (isBlank(v) ? undefined : String(v).trim()), inner)
    .refine((v) => typeof v !== 'string' || isStorableText(v), UNSTORABLE_MESSAGE);
const cellNumber = <T extends z.ZodType>(inner: T) =>
  z.preprocess((v) => (isBlank(v) ? undefined : typeof v === 'string' ? Number(v.trim()) : v), inner);
const cellDate = z.unknown().transform((v, ctx) => {
  const reading = isBlank(v) ? ({ ok: false, message: 'required' } as const) : v instanceof Date ? checkDate(v) : readDateTime(String(v));
  if (reading.ok) return reading.date;
  ctx.addIssue({ code: 'custom', message: reading.message });
  return z.NEVER;
});
const YES = new Set(['有', '是', 'yes', 'y', 'true', '1']);
const NO = new Set(['无', '否', 'no', 'n', 'false', '0']);
const cellBoolean = z.unknown().transform((v, ctx) => {
  if (isBlank(v)) return false;
  if (typeof v === 'boolean') return v;
  const t = String(v).trim().toLowerCase();
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  ctx.addIssue({ code: 'custom', message: 'expected 有 or 无' });
  return z.NEVER;
});
const byLabel = new Map(Object.entries(LAND_CLASS_LABELS).map(([code, label]) => [label as string, code]));

/**
 * The layout of China's bulletin hotspots in a spreadsheet: import reads these columns, export
 * writes them first (then the county, the FIRMS fields and the ground check, which import ignores).
 */
export const BULLETIN_SHEET_COLUMNS = [
  { header: '热点编号', field: 'bulletinNumber' },
  { header: '发现时间', field: 'detectedAt' },
  { header: '卫星/传感器', field: 'satellite' },
  { header: '地点', field: 'placeText' },
  { header: '经度', field: 'lon' },
  { header: '纬度', field: 'lat' },
  { header: '像元数', field: 'pixelCount' },
  { header: '烟雾', field: 'smoke' },
  { header: '地类', field: 'landClass' },
] as const;

export const BulletinSheetRow = z.object({
  bulletinNumber: cellText(z.string().min(1).max(40)),
  detectedAt: cellDate,
  satellite: cellText(z.string().min(1).max(40)),
  placeText: cellText(z.string().max(200).optional()),
  lon: cellNumber(z.number().min(-180).max(180)),
  lat: cellNumber(z.number().min(-90).max(90)),
  pixelCount: cellNumber(z.number().int().min(1).max(10_000)),
  smoke: cellBoolean,
  landClass: z.preprocess((v) => (isBlank(v) ? 'other' : (byLabel.get(String(v).trim()) ?? String(v).trim())), LandClass),
});
export type BulletinSheetRow = z.infer<typeof BulletinSheetRow>;
