import { z } from 'zod';
import { DateTime } from '../../platform/dates.js';
import { Bbox, GeoPoint } from '../../platform/geojson.schema.js';
import { oneOrMany, Paging } from '../../platform/paging.js';
import { cellNumber, cellText, labelled } from '../../platform/sheet-import.js';

/** What a camera watches: the places notice clause 九 names (a dictionary; the codes are the contract). */
export const CAMERA_CATEGORIES = [
  'key_forest_area', // 重点林区
  'important_road', // 重要道路
  'timber_enterprise', // 木材收购加工企业
  'timber_market', // 木材交易市场
  'wildlife_breeding', // 野生动物驯养繁殖场所
  'scenic_area', // 森林景区
  'natural_forest', // 天然林保护区
  'reserve', // 自然保护区
  'forest_farm', // 重点国有林场
] as const;
export const CameraCategory = z.enum(CAMERA_CATEGORIES);
export type CameraCategory = z.infer<typeof CameraCategory>;

/** The categories in the forest itself: a fire or intrusion seen there opens an incident rather than an alert. */
export const FOREST_CATEGORIES: readonly CameraCategory[] = ['key_forest_area', 'natural_forest', 'reserve', 'forest_farm'];

export const CAMERA_TYPES = ['dome', 'bullet', 'thermal', 'smoke_fire', 'plate_capture'] as const;
export const CameraType = z.enum(CAMERA_TYPES);

export const CAMERA_STATUSES = ['online', 'offline', 'unknown'] as const;
export const CameraStatus = z.enum(CAMERA_STATUSES);
export type CameraStatus = z.infer<typeof CameraStatus>;

/** Alarm types, whatever protocol carried them. */
export const ALARM_TYPES = ['fire', 'smoke', 'intrusion', 'line_crossing', 'motion', 'tamper', 'video_loss', 'other'] as const;
export const AlarmType = z.enum(ALARM_TYPES);
export type AlarmType = z.infer<typeof AlarmType>;

/** Alarms that open an incident when the camera watches a forest category. */
export const INCIDENT_ALARMS: Readonly<Partial<Record<AlarmType, 'forest_fire' | 'public_order'>>> = {
  fire: 'forest_fire',
  smoke: 'forest_fire',
  intrusion: 'public_order',
};

/** Provinces (first two digits of a division code) of the People's Republic. */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]); // prettier-ignore

/**
 * Why a GB/T 28181 device id cannot name a camera, or null when it can: 20 digits; the first six
 * a division code (a real province; a province-level code has no county part); digits 11–13 a
 * front-end device type (111–130 recorders, servers and encoders whose channels carry video,
 * 131 camera, 132 IP camera). Displays, alarm inputs and outputs and centre devices are not cameras.
 */
export function gbIdProblem(gbId: string): string | null {
  if (!/^\d{20}$/.test(gbId)) return 'a GB/T 28181 id is 20 digits';
  const province = gbId.slice(0, 2);
  const city = gbId.slice(2, 4);
  const county = gbId.slice(4, 6);
  if (!PROVINCES.has(province)) return `the first two digits (${province}) are no province of an administrative division code`;
  if (city === '00' && county !== '00') return `the first six digits (${gbId.slice(0, 6)}) are no administrative division code`;
  const type = Number(gbId.slice(10, 13));
  if (type < 111 || type > 132)
    return `digits 11–13 (${gbId.slice(10, 13)}) are no camera device type (111–130 front-end devices, 131 camera, 132 IP camera)`;
  return null;
}

export const GbId = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = gbIdProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('GB/T 28181 device id: 20 digits, the first 6 a division code, digits 11–13 the device type (131 camera, 132 IP camera)');

const text = (max: number) => z.string().trim().max(max);

const url = (schemes: string[]) =>
  z
    .string()
    .trim()
    .max(1000)
    .refine(
      (v) => {
        try {
          return schemes.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `a URL (${schemes.join(' or ')})`,
    );
export const HlsUrl = url(['http:', 'https:']).describe('HLS playlist (.m3u8)');
export const FlvUrl = url(['http:', 'https:', 'ws:', 'wss:']).describe('HTTP-FLV or WebSocket-FLV');
export const WebRtcUrl = url(['http:', 'https:', 'webrtc:', 'ws:', 'wss:']).describe('WebRTC (WHEP) endpoint');
export const RtspUrl = url(['rtsp:', 'rtsps:']).describe('RTSP (kept as text: browsers cannot play it)');
const CameraKey = z.string().min(8).max(128).describe('a secret the camera or its platform sends as a bearer token or Basic password');

const CameraFields = z.object({
  name: text(100).min(1),
  siteId: z.string().uuid().nullable().optional().describe('the site the camera stands at (in your area)'),
  orgUnitId: z.number().int().positive().optional().describe('left out: the county (or township) holding the location'),
  location: GeoPoint,
  category: CameraCategory,
  owner: text(100).nullable().optional().describe('the project owner who built it'),
  type: CameraType,
  gbId: GbId,
  hlsUrl: HlsUrl.nullable().optional(),
  flvUrl: FlvUrl.nullable().optional(),
  webrtcUrl: WebRtcUrl.nullable().optional(),
  rtspUrl: RtspUrl.nullable().optional(),
  key: CameraKey.nullable().optional().describe('the ingest key; null or left out: none'),
  notes: text(2000).nullable().optional(),
});

export const CreateCameraBody = CameraFields.extend({
  streamUrl: z
    .string()
    .trim()
    .max(1000)
    .optional()
    .describe('one stream URL, filed by its form: `.m3u8` HLS, `.flv` HTTP-FLV, `rtsp://` RTSP, `webrtc://` WebRTC'),
}).meta({ id: 'CreateCamera' });
export type CreateCameraInput = z.infer<typeof CreateCameraBody>;

export const UpdateCameraBody = CameraFields.partial()
  .extend({ version: z.number().int().positive().describe('the version you read; a newer one answers 409') })
  .meta({ id: 'UpdateCamera' });
export type UpdateCameraInput = z.infer<typeof UpdateCameraBody>;

export const DeleteCameraBody = z.object({ reason: text(500).min(2), version: z.number().int().positive().optional() });

export const Camera = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    siteId: z.string().uuid().nullable(),
    siteName: z.string().nullable(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    location: GeoPoint,
    category: CameraCategory,
    owner: z.string().nullable(),
    type: CameraType,
    gbId: z.string(),
    hlsUrl: z.string().nullable(),
    flvUrl: z.string().nullable(),
    webrtcUrl: z.string().nullable(),
    rtspUrl: z.string().nullable(),
    status: CameraStatus,
    lastSeenAt: z.date().nullable(),
    statusChangedAt: z.date().nullable(),
    hasKey: z.boolean(),
    notes: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Camera' });
export type Camera = z.infer<typeof Camera>;

export const CAMERA_SORTS = ['name', '-name', 'status', '-status', 'lastSeenAt', '-lastSeenAt', 'createdAt', '-createdAt'] as const;

export const CameraFilterQuery = z.object({
  category: oneOrMany(CameraCategory).optional(),
  type: oneOrMany(CameraType).optional(),
  status: oneOrMany(CameraStatus).optional(),
  siteId: z.string().uuid().optional(),
  orgUnitId: z.coerce.number().int().positive().optional().describe('only cameras in this unit’s subtree'),
  q: z.string().trim().max(100).optional().describe('text in name, owner or GB/T 28181 id'),
  bbox: Bbox.optional(),
});
export type CameraFilter = z.infer<typeof CameraFilterQuery>;

export const ListCamerasQuery = CameraFilterQuery.extend({ ...Paging, sort: z.enum(CAMERA_SORTS).default('name') });
export const CameraList = z.object({ items: z.array(Camera), total: z.number().int() });
export const CameraIdParams = z.object({ id: z.string().uuid() });

export const CameraAlarm = z
  .object({
    id: z.string().uuid(),
    cameraId: z.string().uuid(),
    cameraName: z.string(),
    gbId: z.string(),
    category: CameraCategory,
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    type: AlarmType,
    eventType: z.string().nullable(),
    at: z.date(),
    lastAt: z.date().describe('the latest repeat inside the cooldown'),
    repeats: z.number().int().describe('alarms of this camera and type counted into this one'),
    receivedAt: z.date(),
    protocol: z.enum(['isapi', 'json']),
    snapshotFileId: z.string().uuid().nullable().describe('the picture, at /api/files/{id}'),
    description: z.string().nullable(),
    incidentId: z.string().uuid().nullable(),
    alertId: z.string().uuid().nullable(),
    location: GeoPoint,
  })
  .meta({ id: 'CameraAlarm' });
export type CameraAlarm = z.infer<typeof CameraAlarm>;

export const CameraAlarmFilterQuery = z.object({
  cameraId: z.string().uuid().optional(),
  type: oneOrMany(AlarmType).optional(),
  orgUnitId: z.coerce.number().int().positive().optional(),
  from: DateTime.optional(),
  to: DateTime.optional(),
});
export type CameraAlarmFilter = z.infer<typeof CameraAlarmFilterQuery>;
export const ListCameraAlarmsQuery = CameraAlarmFilterQuery.extend({ ...Paging });
export const CameraAlarmList = z.object({ items: z.array(CameraAlarm), total: z.number().int() });

/** The module's settings (`/api/settings/cameras`). */
export const CameraSettings = z
  .object({
    offlineAfterMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(10)
      .describe('a camera silent this long is offline'),
    alarmCooldownSeconds: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600)
      .default(300)
      .describe('alarms of one camera and type within this many seconds of the stored one are counted into it'),
  })
  .meta({ id: 'CameraSettings' });
export type CameraSettings = z.infer<typeof CameraSettings>;

/** A heartbeat or status report, one per camera. */
export const CameraStatusReport = z.object({ gbId: z.string().trim().min(1).max(40), online: z.boolean(), at: DateTime });
export const CameraStatusBatch = z.array(CameraStatusReport).min(1).max(5_000);
export type CameraStatusReport = z.infer<typeof CameraStatusReport>;
export const CameraStatusResult = z.object({
  stored: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), gbId: z.string(), reason: z.literal('unknown_camera') })),
});

/** The generic JSON alarm push. */
export const CameraAlarmPush = z.object({
  gbId: z.string().trim().min(1).max(40),
  type: AlarmType,
  at: DateTime,
  description: text(500).optional(),
  snapshot: z.string().max(14_000_000).optional().describe('a JPEG, PNG or WebP picture, base64'),
});
export const AlarmReceived = z.object({
  alarmId: z.string().uuid().nullable().describe('the stored alarm (null for a heartbeat)'),
  counted: z.boolean().describe('counted into an earlier alarm inside the cooldown'),
  incidentId: z.string().uuid().nullable(),
  alertId: z.string().uuid().nullable(),
});

/** Chinese names for the spreadsheet export. */
export const CAMERA_LABELS = {
  category: {
    key_forest_area: '重点林区',
    important_road: '重要道路',
    timber_enterprise: '木材收购加工企业',
    timber_market: '木材交易市场',
    wildlife_breeding: '野生动物驯养繁殖场所',
    scenic_area: '森林景区',
    natural_forest: '天然林保护区',
    reserve: '自然保护区',
    forest_farm: '国有林场',
  } satisfies Record<CameraCategory, string>,
  type: { dome: '球机', bullet: '枪机', thermal: '热成像', smoke_fire: '烟火识别', plate_capture: '车牌抓拍' } satisfies Record<
    (typeof CAMERA_TYPES)[number],
    string
  >,
  status: { online: '在线', offline: '离线', unknown: '未知' } satisfies Record<CameraStatus, string>,
};

/**
 * One spreadsheet row of the camera register (export writes it, import reads it): the columns in
 * order, with the field each fills. `所属单位`, `状态` and `最后在线` are written for readers and
 * ignored on import: the unit is named by its code (or, left empty, is the one holding the
 * location), the status comes from the camera. `所在站点` links the camera to the site of that name
 * in the importer's area (the one in the camera's unit when several share the name).
 */
export const CAMERA_SHEET_COLUMNS = [
  { header: '名称', field: 'name' },
  { header: '国标编码', field: 'gbId' },
  { header: '类别', field: 'category' },
  { header: '类型', field: 'type' },
  { header: '建设单位', field: 'owner' },
  { header: '所属单位编码', field: 'orgUnitCode' },
  { header: '所属单位', field: 'orgUnitName' },
  { header: '所在站点', field: 'siteName' },
  { header: '经度', field: 'lon' },
  { header: '纬度', field: 'lat' },
  { header: '状态', field: 'status' },
  { header: '最后在线', field: 'lastSeenAt' },
  { header: 'HLS', field: 'hlsUrl' },
  { header: 'HTTP-FLV', field: 'flvUrl' },
  { header: 'WebRTC', field: 'webrtcUrl' },
  { header: 'RTSP', field: 'rtspUrl' },
  { header: '备注', field: 'notes' },
] as const;

/** Columns an import cannot do without. */
export const CAMERA_SHEET_REQUIRED = ['name', 'gbId', 'category', 'type', 'lon', 'lat'];

export const CameraSheetRow = z.object({
  name: cellText(z.string().min(1).max(100)),
  // Excel turns 20 typed digits into a number that has lost its last ones: say so rather than "not 20 digits".
  gbId: z
    .unknown()
    .superRefine((v, ctx) => {
      if (typeof v === 'number')
        ctx.addIssue({ code: 'custom', message: 'a number cell: format the column as text and type the 20 digits again' });
    })
    .pipe(cellText(GbId)),
  category: z.preprocess(labelled(CAMERA_LABELS.category), CameraCategory),
  type: z.preprocess(labelled(CAMERA_LABELS.type), CameraType),
  owner: cellText(z.string().max(100).optional()),
  orgUnitCode: cellText(z.string().max(40).optional()),
  siteName: cellText(z.string().max(100).optional()),
  lon: cellNumber(z.number().min(-180).max(180)),
  lat: cellNumber(z.number().min(-90).max(90)),
  hlsUrl: cellText(HlsUrl.optional()),
  flvUrl: cellText(FlvUrl.optional()),
  webrtcUrl: cellText(WebRtcUrl.optional()),
  rtspUrl: cellText(RtspUrl.optional()),
  notes: cellText(z.string().max(2000).optional()),
});
export type CameraSheetRow = z.infer<typeof CameraSheetRow>;

export const CameraImportStarted = z.object({ jobId: z.string().uuid() });
