import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, pgTable, real, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { lineStringColumn, pointColumn } from '../../db/spatial.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { rangers } from '../rangers/rangers.tables.js';

/** A patrol (巡护): started and ended from the ranger page, or opened by movement. */
export const patrols = pgTable(
  'patrols',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    rangerId: uuid('ranger_id')
      .notNull()
      .references(() => rangers.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    openedBy: text('opened_by').notNull(),
    track: lineStringColumn('track'),
    distanceM: real('distance_m'),
    durationS: integer('duration_s'),
    note: text('note'),
  },
  (t) => [
    index('patrols_ranger_idx').on(t.rangerId, t.startedAt),
    index('patrols_org_unit_idx').on(t.orgUnitId, t.startedAt),
    // A ranger is on at most one patrol at a time (the services also lock the ranger's row).
    uniqueIndex('patrols_one_active_idx').on(t.rangerId).where(sql`ended_at IS NULL`),
  ],
);

/** A check-in point (打卡点) a ranger must reach on patrol, with the radius that counts as there. */
export const checkinPoints = pgTable(
  'checkin_points',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    location: pointColumn('location').notNull(),
    radiusM: real('radius_m').notNull().default(100),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('checkin_points_org_unit_idx').on(t.orgUnitId)],
);

/** A ranger's check-in at a point; `distance_m` is how far from the point the phone said it was. */
export const checkins = pgTable(
  'checkins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    rangerId: uuid('ranger_id')
      .notNull()
      .references(() => rangers.id),
    patrolId: uuid('patrol_id').references(() => patrols.id),
    pointId: uuid('point_id')
      .notNull()
      .references(() => checkinPoints.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    distanceM: real('distance_m').notNull(),
  },
  (t) => [index('checkins_ranger_idx').on(t.rangerId, t.at)],
);

/** How often a grid is to be patrolled, e.g. three patrols a week. */
export const patrolPlans = pgTable(
  'patrol_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    patrolsPerWeek: smallint('patrols_per_week').notNull(),
    minHoursPerPatrol: real('min_hours_per_patrol').notNull().default(2),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('patrol_plans_org_unit_idx').on(t.orgUnitId)],
);
