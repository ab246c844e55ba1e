import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/auth.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';

/**
 * Rangers (护林员), the first cut of the forces register (notice clause 七): each is assigned an
 * area (a grid or township: `org_unit_id`) and commanded by a forest police station
 * (`commanding_unit_id`), which trains and assesses them.
 */
export const rangers = pgTable(
  'rangers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    commandingUnitId: integer('commanding_unit_id').references(() => orgUnits.id),
    userId: uuid('user_id').references(() => users.id),
    phone: text('phone'),
    status: text('status').notNull().default('active'),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('rangers_org_unit_idx').on(t.orgUnitId), index('rangers_user_idx').on(t.userId)],
);
