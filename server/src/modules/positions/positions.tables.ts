import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Every position fix ever acknowledged. High-volume: written in batches by the ingest pipeline,
 * one row per device and fix time (a duplicate delivery is absorbed by the primary key), with the
 * county code and time that partitioning by time and distribution by county would key on.
 * Coordinates are plain columns so a batch insert needs no geometry construction; spatial work
 * builds points on the fly (`ST_MakePoint(lon, lat)`).
 */
export const positions = pgTable(
  'positions',
  {
    deviceId: uuid('device_id').notNull(),
    fixTime: timestamp('fix_time', { withTimezone: true }).notNull(),
    serverTime: timestamp('server_time', { withTimezone: true }).notNull().defaultNow(),
    rangerId: uuid('ranger_id'),
    countyCode: text('county_code'),
    townshipId: integer('township_id'),
    gridId: integer('grid_id'),
    inAssignedArea: boolean('in_assigned_area'),
    outsideTerritory: boolean('outside_territory').notNull().default(false),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    accuracy: real('accuracy'),
    altitude: real('altitude'),
    speed: real('speed'),
    course: real('course'),
    battery: real('battery'),
    valid: boolean('valid').notNull().default(true),
    alarm: text('alarm'),
    attributes: jsonb('attributes'),
  },
  (t) => [
    primaryKey({ columns: [t.deviceId, t.fixTime] }),
    // The day tracks, patrols and monthly figures read by ranger and time. No other index: every
    // one is paid for by every fix written (see docs/performance.md).
    index('positions_ranger_time_idx').on(t.rangerId, t.fixTime),
  ],
);

/** A live state's position as a geography (metres on the sphere), the expression its KNN index is built on. */
export const DEVICE_STATE_POINT = '(ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography)';

/**
 * The latest fix of each device: what the live map shows. It only ever moves forward in fix time,
 * so a late or replayed fix never drags a ranger back. `anchor_*` and `moved_at` track the last
 * real movement (more than the immobility radius), which the immobility analyzer reads.
 */
export const deviceStates = pgTable(
  'device_states',
  {
    deviceId: uuid('device_id').primaryKey(),
    rangerId: uuid('ranger_id'),
    fixTime: timestamp('fix_time', { withTimezone: true }).notNull(),
    serverTime: timestamp('server_time', { withTimezone: true }).notNull(),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    speed: real('speed'),
    course: real('course'),
    battery: real('battery'),
    countyCode: text('county_code'),
    gridId: integer('grid_id'),
    inAssignedArea: boolean('in_assigned_area'),
    anchorLon: doublePrecision('anchor_lon').notNull(),
    anchorLat: doublePrecision('anchor_lat').notNull(),
    movedAt: timestamp('moved_at', { withTimezone: true }).notNull(),
  },
  // Nearest live devices to a point (dispatch suggestions: `ORDER BY <point> <-> $p LIMIT n`).
  // The expression must be written the same way in the query for the planner to use it.
  () => [index('device_states_point_gist').using('gist', sql.raw(DEVICE_STATE_POINT))],
);
