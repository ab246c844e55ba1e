import { z } from 'zod';
import { DateTime } from '../../platform/dates.js';
import { Paging } from '../../platform/paging.js';

export const ALERT_KINDS = [
  'sos',
  'left_area',
  'silent',
  'immobile',
  'low_battery',
  'camera_offline',
  'camera_alarm',
  'watchlist_hit',
] as const;
export const AlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKind>;
export const ALERT_STATES = ['new', 'acknowledged', 'resolved'] as const;
/** Why SafeForest resolved an alert by itself; the client words each code in the user's language. */
export const ALERT_NOTE_CODES = ['back_in_area', 'battery_recharged', 'incident_resolved', 'back_online'] as const;
export const AlertNoteCode = z.enum(ALERT_NOTE_CODES);
export type AlertNoteCode = z.infer<typeof AlertNoteCode>;

/** Thresholds of the analyzers, a setting the administrator can change (`/api/settings/analyzers`). */
export const AnalyzerSettings = z
  .object({
    lowBatteryPercent: z.number().min(1).max(90).default(20),
    silentMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    immobileMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60),
    immobileRadiusM: z.number().min(10).max(5_000).default(50),
    movementOpensPatrol: z.boolean().default(true),
    idlePatrolCloseMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(90),
    // What tracks and their figures ignore (see modules/positions/track.ts).
    trackMaxSpeedMps: z
      .number()
      .min(5)
      .max(100)
      .default(25)
      .describe('a step faster than this (m/s) is a jump, not distance covered: 25 m/s = 90 km/h, above a motorbike on forest roads'),
    trackMaxAccuracyM: z.number().min(10).max(10_000).default(100).describe('fixes less accurate than this (m) are left out of tracks'),
    trackSourceGapSeconds: z
      .number()
      .int()
      .min(10)
      .max(3_600)
      .default(300)
      .describe('a ranger’s lower-ranking device (a tracker) fills the track only after the phone has been silent this long'),
    futureFixMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(5)
      .describe(
        'a fix dated more than this ahead of the server clock is stored as suspect (not valid) and moves nothing live: no live position, map event, patrol or alert other than an SOS',
      ),
  })
  .meta({ id: 'AnalyzerSettings' });
export type AnalyzerSettings = z.infer<typeof AnalyzerSettings>;
export const DEFAULT_ANALYZER_SETTINGS: AnalyzerSettings = AnalyzerSettings.parse({});

export const Alert = z
  .object({
    id: z.string().uuid(),
    kind: AlertKind,
    state: z.enum(ALERT_STATES),
    rangerId: z.string().uuid().nullable(),
    rangerName: z.string().nullable(),
    deviceId: z.string().uuid().nullable(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    countyCode: z.string().nullable(),
    raisedAt: z.date(),
    fixTime: z.date().nullable(),
    lon: z.number().nullable(),
    lat: z.number().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    acknowledgedAt: z.date().nullable(),
    acknowledgedBy: z.string().nullable().describe('login name of the officer who acknowledged it'),
    acknowledgedByName: z.string().nullable().describe('their display name (null for SafeForest itself, `system`)'),
    resolvedAt: z.date().nullable(),
    resolvedBy: z.string().nullable().describe('login name of the officer who resolved it, or `system`'),
    resolvedByName: z.string().nullable().describe('their display name (null for `system`)'),
    note: z.string().nullable().describe('the note an officer typed'),
    noteCode: AlertNoteCode.nullable().describe('why SafeForest resolved it by itself (translated by the client)'),
    version: z.number().int(),
  })
  .meta({ id: 'Alert' });
export type Alert = z.infer<typeof Alert>;

export const ListAlertsQuery = z.object({
  ...Paging,
  state: z
    .enum([...ALERT_STATES, 'open'])
    .optional()
    .describe('open = new or acknowledged'),
  kind: AlertKind.optional(),
  rangerId: z.string().uuid().optional(),
  from: DateTime.optional().describe('raised at or after'),
  to: DateTime.optional().describe('raised before'),
  orgUnitId: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe('only alerts of this unit’s subtree (its units, or rangers its stations command)'),
});

export const AlertActionBody = z.object({ note: z.string().trim().max(1000).optional(), version: z.number().int().positive().optional() });
export const AlertIdParams = z.object({ id: z.string().uuid() });

/** An alert about to be raised by an analyzer. */
export type AlertCandidate = {
  kind: AlertKind;
  rangerId: string | null;
  deviceId: string | null;
  orgUnitId: number;
  orgPath: string;
  countyCode: string | null;
  fixTime: Date | null;
  lon: number | null;
  lat: number | null;
  details: Record<string, unknown>;
};
