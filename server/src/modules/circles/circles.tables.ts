import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { pointColumn } from '../../db/spatial.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { sites } from '../sites/sites.tables.js';

/**
 * The member checkpoints of a prevention circle (两级林业防控圈, notice clause 八). A circle is the
 * ring of the city or of one county, named by that unit (`ring_unit_id`); its line is the unit's
 * border, so only the members are stored. The owning office (the city office for the city ring, a
 * county office for its own) keeps them.
 */
export const circleMembers = pgTable(
  'circle_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ringUnitId: integer('ring_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id),
    addedBy: text('added_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('circle_members_ring_site_idx').on(t.ringUnitId, t.siteId), index('circle_members_site_idx').on(t.siteId)],
);

/**
 * Where and when a mobile checkpoint (流动检查点) is set up: it counts for its circles at this
 * point while `starts_at <= t < ends_at`. Owned by the checkpoint's org unit.
 */
export const mobileDeployments = pgTable(
  'mobile_deployments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    location: pointColumn('location').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    note: text('note'),
    recordedBy: text('recorded_by').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('mobile_deployments_site_idx').on(t.siteId, t.startsAt),
    index('mobile_deployments_org_unit_idx').on(t.orgUnitId),
    index('mobile_deployments_ends_idx').on(t.endsAt),
    check('mobile_deployments_period', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);
