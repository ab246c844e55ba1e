import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { pointColumn } from '../../db/spatial.js';
import { files } from '../../platform/files/files.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { rangers } from '../rangers/rangers.tables.js';

/** An event a ranger reports from the field (事件上报): fire hazard, illegal logging, pests… with a photo. */
export const fieldReports = pgTable(
  'field_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    rangerId: uuid('ranger_id').references(() => rangers.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    location: pointColumn('location').notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    note: text('note'),
    photoFileId: uuid('photo_file_id').references(() => files.id),
    status: text('status').notNull().default('new'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('field_reports_org_unit_idx').on(t.orgUnitId, t.reportedAt),
    index('field_reports_ranger_idx').on(t.rangerId, t.reportedAt),
  ],
);
