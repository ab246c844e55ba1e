import { z } from 'zod';
import { DateTime } from '../../platform/dates.js';
import { FeatureCollection } from '../../platform/geojson.schema.js';
import { Paging, pagingQuery } from '../../platform/paging.js';
import { normalizePlate, plateProblem } from '../watchlists/index.js';
import { PlateSearch } from '../watchlists/watchlists.schema.js';

/**
 * Plate colours on the wire (docs/captures.md): 蓝 blue (small vehicles), 黄 yellow (large vehicles
 * and coaches), 绿 green (new-energy), 白 white (police and military), 黑 black (foreign, Hong Kong
 * and Macau).
 */
export const PLATE_COLORS = ['blue', 'yellow', 'green', 'white', 'black'] as const;
export const PlateColor = z.enum(PLATE_COLORS);
export const PLATE_COLOR_LABELS: Record<(typeof PLATE_COLORS)[number], string> = {
  blue: '蓝',
  yellow: '黄',
  green: '绿',
  white: '白',
  black: '黑',
};
export const DIRECTIONS = ['in', 'out'] as const;
export const Direction = z.enum(DIRECTIONS);

/** Site kinds a capture may be sent from: the checkpoints of notice clause 八. */
export const CHECKPOINT_KINDS = ['timber_checkpoint', 'temporary_checkpoint', 'mobile_checkpoint'] as const;

/** Captures in one ingest request. */
export const MAX_BATCH = 5_000;
/** Largest snapshot, decoded. */
export const MAX_SNAPSHOT_BYTES = 2 * 1024 * 1024;
/** How far ahead of the server clock a capture time may lie (camera clocks drift). */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A plate as the camera read it, stored normalized (no dot or spaces, capitals). */
export const CapturedPlate = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    const plate = normalizePlate(raw);
    const problem = plateProblem(plate);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return plate;
  });

/** A base64 JPEG (a `data:image/jpeg;base64,` prefix is allowed), decoded; its structure is checked by the service. */
const Snapshot = z
  .string()
  .max(Math.ceil((MAX_SNAPSHOT_BYTES * 4) / 3) + 64)
  .transform((raw, ctx) => {
    const text = raw.replace(/^data:image\/jpeg;base64,/, '').replace(/\s+/g, '');
    if (text.length % 4 !== 0 || !BASE64.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'expected a base64-encoded JPEG' });
      return z.NEVER;
    }
    return Buffer.from(text, 'base64');
  })
  .meta({ description: 'the snapshot, a base64-encoded JPEG of at most 2 MB' });

export const IngestCapture = z.object({
  checkpointId: z.string().uuid().describe('a site of kind timber_checkpoint, temporary_checkpoint or mobile_checkpoint in your area'),
  plate: CapturedPlate.describe('as read: 云F·A2345 or 云FA2345'),
  plateColor: PlateColor.describe('blue 蓝, yellow 黄, green 绿, white 白, black 黑'),
  vehicleType: z.string().trim().max(40).optional().describe('free text (小型轿车, 重型货车…)'),
  direction: Direction,
  lane: z.number().int().min(0).max(99).optional(),
  speed: z.number().min(0).max(400).optional().describe('km/h'),
  at: DateTime.describe('when the vehicle passed'),
  snapshot: Snapshot.optional(),
});
export type IngestCapture = z.infer<typeof IngestCapture>;

/** One capture, or a batch; a single one is read as a batch of one (its errors name `body.0.<field>`). */
export const IngestCapturesBody = z
  .preprocess((value) => (Array.isArray(value) ? value : [value]), z.array(IngestCapture).min(1).max(MAX_BATCH))
  .describe(`a batch of up to ${MAX_BATCH} captures (one capture may also be sent alone, as an object)`);

export const IngestResult = z.object({
  stored: z.number().int(),
  duplicates: z.number().int().describe('captures stored before (same checkpoint, time and plate), not stored again'),
  hits: z.number().int().describe('watchlist hits the stored captures raised'),
});

export const Capture = z
  .object({
    id: z.string().uuid(),
    checkpointId: z.string().uuid(),
    checkpointName: z.string().nullable(),
    orgUnitId: z.number().int(),
    countyCode: z.string().nullable(),
    plate: z.string(),
    plateColor: PlateColor,
    vehicleType: z.string().nullable(),
    direction: Direction,
    lane: z.number().int().nullable(),
    speed: z.number().nullable(),
    capturedAt: z.date(),
    hasSnapshot: z.boolean().describe('its snapshot is kept (GET /api/captures/{id}/snapshot)'),
  })
  .meta({ id: 'Capture' });
export type Capture = z.infer<typeof Capture>;

const CaptureFilterFields = {
  plate: PlateSearch.optional(),
  match: z.enum(['exact', 'prefix']).default('exact').describe('prefix: every plate starting with the one given (also a trailing *)'),
  from: DateTime.optional().describe('captured at or after'),
  to: DateTime.optional().describe('captured before'),
  checkpointId: z.string().uuid().optional(),
  plateColor: PlateColor.optional(),
  vehicleType: z.string().trim().max(40).optional(),
  direction: Direction.optional(),
};
export const CaptureFilterQuery = z.object(CaptureFilterFields);
export type CaptureFilter = z.infer<typeof CaptureFilterQuery>;

export const ListCapturesQuery = z.object({ ...Paging, ...CaptureFilterFields });

/** Totals above this are reported as "more than" (counting every row of a wide search costs more than it tells). */
export const TOTAL_LIMIT = 10_000;

export const CaptureList = z.object({
  items: z.array(Capture),
  total: z.number().int(),
  totalIsLowerBound: z.boolean().describe(`true when more than ${TOTAL_LIMIT} captures match: total is then ${TOTAL_LIMIT}`),
});

export const CaptureIdParams = z.object({ id: z.string().uuid() });

export const PassageQuery = z.object({
  plate: z
    .string()
    .max(40)
    .transform((raw, ctx) => {
      const plate = normalizePlate(raw);
      const problem = plateProblem(plate);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return plate;
    })
    .describe('the whole plate'),
  from: DateTime.optional(),
  to: DateTime.optional(),
  ...pagingQuery(500),
});

export const Passage = z
  .object({
    captureId: z.string().uuid(),
    checkpointId: z.string().uuid(),
    checkpointName: z.string().nullable(),
    direction: Direction,
    plateColor: PlateColor,
    vehicleType: z.string().nullable(),
    capturedAt: z.date(),
    lon: z.number().nullable(),
    lat: z.number().nullable(),
    hasSnapshot: z.boolean(),
  })
  .meta({ id: 'CapturePassage' });

export const PassageTrack = z
  .object({
    plate: z.string(),
    passages: z.array(Passage).describe('in time order'),
    path: FeatureCollection.describe('a LineString through the checkpoints in time order, and a Point per passage'),
  })
  .meta({ id: 'CapturePassageTrack' });

export const CaptureSettings = z
  .object({
    retentionDays: z
      .number()
      .int()
      .min(30)
      .max(3650)
      .default(365)
      .describe('captures older than this are deleted (whole months at a time)'),
    snapshotRetentionDays: z.number().int().min(7).max(3650).default(90).describe('snapshots older than this are deleted'),
  })
  .meta({ id: 'CaptureSettings' });
export type CaptureSettings = z.infer<typeof CaptureSettings>;

export const PurgeResult = z.object({
  droppedPartitions: z.array(z.string()),
  deletedCaptures: z.number().int(),
  deletedSnapshots: z.number().int(),
});
