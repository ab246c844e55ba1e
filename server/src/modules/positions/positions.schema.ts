import { z } from 'zod';
import { CalendarDate, DateTime } from '../../platform/dates.js';
import { Bbox, LineString } from '../../platform/geojson.schema.js';

export const PositionsQuery = z
  .object({
    uniqueId: z.string().trim().min(1).max(64).optional(),
    deviceId: z.string().uuid().optional(),
    from: DateTime.optional().describe('default: 24 hours before `to`'),
    to: DateTime.optional().describe('default: now'),
    limit: z.coerce.number().int().min(1).max(50_000).default(10_000),
  })
  .refine((q) => q.uniqueId || q.deviceId, { message: 'give uniqueId or deviceId', path: ['uniqueId'] });

export const Position = z
  .object({
    fixTime: z.date(),
    serverTime: z.date(),
    lon: z.number(),
    lat: z.number(),
    speed: z.number().nullable().describe('metres per second'),
    course: z.number().nullable(),
    accuracy: z.number().nullable(),
    altitude: z.number().nullable(),
    battery: z.number().nullable().describe('percent'),
    valid: z.boolean(),
    alarm: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()).nullable(),
    countyCode: z.string().nullable(),
    townshipId: z.number().int().nullable(),
    gridId: z.number().int().nullable(),
    inAssignedArea: z.boolean().nullable(),
    outsideTerritory: z.boolean(),
    rangerId: z.string().uuid().nullable(),
  })
  .meta({ id: 'Position' });

export const LiveDevice = z
  .object({
    deviceId: z.string().uuid(),
    uniqueId: z.string(),
    rangerId: z.string().uuid().nullable(),
    rangerName: z.string().nullable(),
    orgUnitId: z.number().int(),
    fixTime: z.date(),
    serverTime: z.date(),
    lon: z.number(),
    lat: z.number(),
    speed: z.number().nullable(),
    course: z.number().nullable(),
    battery: z.number().nullable(),
    countyCode: z.string().nullable(),
    gridId: z.number().int().nullable(),
    inAssignedArea: z.boolean().nullable(),
    state: z.enum(['sos', 'silent', 'patrolling', 'idle']),
  })
  .meta({ id: 'LiveDevice' });

export const LiveQuery = z.object({ bbox: Bbox.optional() });

/** Fix times before this are refused, on every ingest path: no tracker of this network reported before 2000. */
export const EARLIEST_FIX_MS = Date.UTC(2000, 0, 1);
/**
 * Fix times further ahead of the server clock are refused, on every ingest path. Between the
 * `futureFixMinutes` setting and this a fix is stored but marked suspect: a device clock may run
 * ahead, and a forged time must not pin the live map.
 */
export const MAX_FIX_AHEAD_MS = 24 * 3600 * 1000;

/** A fix time as the device protocols take it: from 2000 to a day ahead of the server clock. */
const FixTime = DateTime.refine((t) => t.getTime() >= EARLIEST_FIX_MS, 'the fix time is before 2000').refine(
  (t) => t.getTime() <= Date.now() + MAX_FIX_AHEAD_MS,
  'the fix time is more than a day in the future',
);

/** A fix from the ranger page (the browser's geolocation). */
export const BrowserFix = z.object({
  fixTime: FixTime,
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  accuracy: z.number().min(0).max(100_000).nullable().optional(),
  altitude: z.number().min(-1_000).max(10_000).nullable().optional(),
  speed: z.number().min(0).max(200).nullable().optional().describe('metres per second'),
  course: z.number().min(0).max(360).nullable().optional(),
  battery: z.number().min(0).max(100).nullable().optional(),
});
export type BrowserFix = z.infer<typeof BrowserFix>;

export const MyPositionsBody = z.object({ fixes: z.array(BrowserFix).min(1).max(1_000) });
export const SosBody = BrowserFix.omit({ fixTime: true }).extend({
  fixTime: FixTime.optional(),
  note: z.string().max(500).optional(),
});

// ---------------------------------------------------------------- day track

export const DayTrackQuery = z.object({
  date: CalendarDate.describe('a day in China Standard Time (UTC+8)'),
});

export const DayTrack = z
  .object({
    type: z.literal('Feature'),
    geometry: z
      .union([
        z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
        LineString,
        z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))) }),
      ])
      .nullable()
      .describe('null without fixes; a new line starts after a gap of more than 10 minutes'),
    properties: z.object({
      rangerId: z.string().uuid(),
      date: z.string(),
      times: z.array(z.string()).describe('fix time of each position, in reading order of the coordinates'),
      speeds: z.array(z.number().nullable()).describe('m/s of each position, null when the device did not say'),
      fixes: z.number().int().describe('valid fixes of the day before thinning'),
      thinned: z.boolean().describe('true when only every n-th fix is shown (at most 5,000)'),
    }),
  })
  .meta({ id: 'DayTrack' });
export type DayTrack = z.infer<typeof DayTrack>;
