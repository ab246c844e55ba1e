import { sql } from 'drizzle-orm';
import { index, integer, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.tables.js';
import { incidents } from '../incidents/incidents.tables.js';

/**
 * A unit sent to an incident (出警/派警): a ranger (by their live position) or a site of the
 * register (a police station, post or checkpoint), with its own status and the time of each step.
 * `ranger_user_id` is the account of a ranger unit, whose phone page sees and answers it.
 */
export const incidentAssignments = pgTable(
  'incident_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    unitKind: text('unit_kind').notNull(),
    unitId: uuid('unit_id').notNull(),
    /** The unit's name when it was sent (the register may rename it later). */
    unitName: text('unit_name').notNull(),
    /** The org unit of the sent unit (a ranger's assigned area, a site's unit). */
    unitOrgUnitId: integer('unit_org_unit_id').notNull(),
    rangerUserId: uuid('ranger_user_id').references(() => users.id),
    status: text('status').notNull().default('assigned'),
    /** Straight-line metres from the unit to the incident when it was sent (null: a ranger with no live position). */
    distanceM: real('distance_m'),
    note: text('note'),
    assignedBy: uuid('assigned_by').references(() => users.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    enRouteAt: timestamp('en_route_at', { withTimezone: true }),
    onSceneAt: timestamp('on_scene_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    declinedAt: timestamp('declined_at', { withTimezone: true }),
    declineReason: text('decline_reason'),
    /** How on_scene was known: `reported` (by the ranger or an officer) or `position` (a fix within the arrival radius). */
    arrivalSource: text('arrival_source'),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('incident_assignments_incident_idx').on(t.incidentId),
    // The ranger's open assignments (phone page) and the arrival detector's set.
    index('incident_assignments_ranger_open_idx').on(t.rangerUserId).where(sql`status IN ('assigned', 'accepted', 'en_route', 'on_scene')`),
    // A unit is sent to an incident once while that assignment is open.
    uniqueIndex('incident_assignments_one_open_idx')
      .on(t.incidentId, t.unitKind, t.unitId)
      .where(sql`status IN ('assigned', 'accepted', 'en_route', 'on_scene')`),
  ],
);
