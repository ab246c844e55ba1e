import { sql } from 'drizzle-orm';
import { index, integer, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { pointColumn } from '../../db/spatial.js';
import { orgUnits } from '../../platform/org/org.tables.js';

/** The register of prevention and control sites (notice clause 八). */
export const sites = pgTable(
  'sites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    grade: smallint('grade'),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    location: pointColumn('location').notNull(),
    address: text('address'),
    phone: text('phone'),
    personInCharge: text('person_in_charge'),
    staffCount: integer('staff_count'),
    dutyHours: text('duty_hours'),
    status: text('status').notNull().default('in_service'),
    activeFrom: timestamp('active_from', { withTimezone: true }),
    activeTo: timestamp('active_to', { withTimezone: true }),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedReason: text('deleted_reason'),
  },
  (t) => [
    index('sites_org_unit_idx').on(t.orgUnitId),
    index('sites_kind_idx').on(t.kind),
    index('sites_location_gist').using('gist', t.location),
    // Nearest sites to a point in metres (dispatch suggestions: `ORDER BY location::geography <-> $p LIMIT n`).
    index('sites_location_geog_gist').using('gist', sql`(${t.location}::geography)`),
  ],
);
