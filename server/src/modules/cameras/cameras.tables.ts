import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { pointColumn } from '../../db/spatial.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { sites } from '../sites/sites.tables.js';

/** The camera register (视频监控, notice clause 九): where each camera is, what it watches, and how it is reached. */
export const cameras = pgTable(
  'cameras',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    siteId: uuid('site_id').references(() => sites.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    location: pointColumn('location').notNull(),
    category: text('category').notNull(),
    owner: text('owner'),
    type: text('type').notNull(),
    gbId: text('gb_id').notNull(),
    hlsUrl: text('hls_url'),
    flvUrl: text('flv_url'),
    webrtcUrl: text('webrtc_url'),
    rtspUrl: text('rtsp_url'),
    /** `online`, `offline` or `unknown` (never heard from). */
    status: text('status').notNull().default('unknown'),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    /** SHA-256 of the key the camera or its platform sends; null accepts it without one unless the county requires keys. */
    keyHash: text('key_hash'),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedReason: text('deleted_reason'),
  },
  (t) => [
    // A GB/T 28181 id names one camera in the register; a deleted camera frees its id.
    uniqueIndex('cameras_gb_id_idx').on(t.gbId).where(sql`deleted_at IS NULL`),
    index('cameras_org_unit_idx').on(t.orgUnitId),
    index('cameras_location_gist').using('gist', t.location),
  ],
);

/**
 * The days (China Standard Time) on which a camera reported itself online at least once: the
 * online-rate indicator counts them against the days the camera was registered. One row per
 * camera and day, however many heartbeats.
 */
export const cameraOnlineDays = pgTable(
  'camera_online_days',
  {
    cameraId: uuid('camera_id')
      .notNull()
      .references(() => cameras.id),
    day: date('day', { mode: 'string' }).notNull(),
    heartbeats: integer('heartbeats').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.cameraId, t.day] })],
);

/**
 * Alarms the cameras pushed (ISAPI or JSON): one row per camera and type per cooldown window;
 * repeats inside the window only raise `repeats` and `last_at`.
 */
export const cameraAlarms = pgTable(
  'camera_alarms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cameraId: uuid('camera_id')
      .notNull()
      .references(() => cameras.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    type: text('type').notNull(),
    /** The device's own event name (`fireDetection`, `linedetection`, …) as sent. */
    eventType: text('event_type'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
    repeats: integer('repeats').notNull().default(1),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** `isapi` or `json`. */
    protocol: text('protocol').notNull(),
    snapshotFileId: uuid('snapshot_file_id'),
    description: text('description'),
    details: jsonb('details'),
    incidentId: uuid('incident_id'),
    alertId: uuid('alert_id'),
  },
  (t) => [index('camera_alarms_camera_type_idx').on(t.cameraId, t.type, t.at), index('camera_alarms_org_unit_idx').on(t.orgUnitId, t.at)],
);
