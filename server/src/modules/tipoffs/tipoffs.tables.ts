import { index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { pointColumn } from '../../db/spatial.js';
import { files } from '../../platform/files/files.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { incidents } from '../incidents/incidents.tables.js';

/**
 * A report from the public (群众举报, notice clauses 十 and 十二): what, where, optionally who. The
 * tracking code is a bearer token to the report's public status, so only its SHA-256 is kept (as
 * session tokens are): a copy of the database does not let anyone read the status pages.
 */
export const tipoffs = pgTable(
  'tipoffs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trackingCodeHash: text('tracking_code_hash').notNull().unique(),
    category: text('category').notNull(),
    description: text('description').notNull(),
    location: pointColumn('location').notNull(),
    placeText: text('place_text'),
    reporterName: text('reporter_name'),
    reporterPhone: text('reporter_phone'),
    /** The grid, township or county holding the place. */
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    countyCode: text('county_code'),
    /** The incident the tip-off opened or was linked to (incidents module). */
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tipoffs_org_unit_idx').on(t.orgUnitId, t.createdAt), index('tipoffs_incident_idx').on(t.incidentId)],
);

/** The photos sent with a tip-off, in the order sent (files of platform/files). */
export const tipoffPhotos = pgTable(
  'tipoff_photos',
  {
    tipoffId: uuid('tipoff_id')
      .notNull()
      .references(() => tipoffs.id),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id),
    position: smallint('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tipoffId, t.position] })],
);

/** An officer's answer to the reporter, shown on the public status page (never an internal note). */
export const tipoffReplies = pgTable(
  'tipoff_replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tipoffId: uuid('tipoff_id')
      .notNull()
      .references(() => tipoffs.id),
    text: text('text').notNull(),
    repliedBy: uuid('replied_by').notNull(),
    /** The officer's display name when replying, for the officers' view only. */
    repliedByName: text('replied_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tipoff_replies_tipoff_idx').on(t.tipoffId, t.createdAt)],
);
