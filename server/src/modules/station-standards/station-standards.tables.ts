import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../../platform/org/org.tables.js';
import { sites } from '../sites/sites.tables.js';

/**
 * The "五化" checklist of forest police stations (notice clause 八) for one year: the items of the
 * five dimensions, kept by the city office, and the pass rates a level needs. A year's checklist is
 * frozen once a station of that year has submitted its rating, so a past year's ratings keep the
 * items they were rated against; a new year starts as a copy of the latest earlier year.
 */
export const stationChecklists = pgTable('station_checklists', {
  year: smallint('year').primaryKey(),
  /** The shipped sample (written from the notice's wording), until the city office replaces it. */
  sample: boolean('sample').notNull().default(false),
  /** Share of a dimension's applicable items (percent) that must pass for 达标. */
  standardRate: smallint('standard_rate').notNull().default(80),
  /** Share of every dimension's applicable items (percent) that must pass for 示范. */
  modelRate: smallint('model_rate').notNull().default(100),
  notes: text('notes'),
  version: integer('version').notNull().default(1),
  updatedBy: text('updated_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One check item of a year's checklist: pass or fail, a key item failing keeps a station 未达标. */
export const stationCheckItems = pgTable(
  'station_check_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    year: smallint('year')
      .notNull()
      .references(() => stationChecklists.year),
    /** `premises`, `greening`, `management`, `informatization`, `law_enforcement`. */
    dimension: text('dimension').notNull(),
    code: text('code').notNull(),
    title: text('title').notNull(),
    guidance: text('guidance'),
    /** What evidence a station attaches; an item naming evidence needs a file to be rated a pass. */
    evidence: text('evidence'),
    /** 关键项: failing it keeps the station 未达标 whatever the rates. */
    key: boolean('key').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [uniqueIndex('station_check_items_year_code_idx').on(t.year, t.code)],
);

/** A station's rating for a year: its self-rating, the county's review and the level the county confirmed. */
export const stationRatings = pgTable(
  'station_ratings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id),
    /** The station site's org unit when the rating was started (scope follows it). */
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    year: smallint('year')
      .notNull()
      .references(() => stationChecklists.year),
    /** `draft` → `submitted` → (`returned` → `submitted`) → `confirmed` (→ `submitted` when the level is taken back). */
    status: text('status').$type<'draft' | 'submitted' | 'returned' | 'confirmed'>().notNull().default('draft'),
    /** The level the review results give (`unqualified`, `standard`, `model`), kept when confirmed. */
    computedLevel: text('computed_level'),
    /** The level the county confirmed: the computed one or lower, never higher. */
    level: text('level'),
    levelComment: text('level_comment'),
    /** The county's overall comment: why it was returned, or its review summary. */
    reviewComment: text('review_comment'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: text('submitted_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: text('reviewed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedBy: text('confirmed_by'),
    demo: boolean('demo').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('station_ratings_site_year_idx').on(t.siteId, t.year), index('station_ratings_unit_idx').on(t.orgUnitId)],
);

/** One item of a rating: the station's result, note and evidence, and the county's result and comment. */
export const stationRatingItems = pgTable(
  'station_rating_items',
  {
    ratingId: uuid('rating_id')
      .notNull()
      .references(() => stationRatings.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => stationCheckItems.id),
    /** `pass`, `fail`, `na` (not applicable to this station). */
    selfResult: text('self_result'),
    selfNote: text('self_note'),
    evidenceFileIds: jsonb('evidence_file_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    reviewResult: text('review_result'),
    reviewComment: text('review_comment'),
  },
  (t) => [primaryKey({ columns: [t.ratingId, t.itemId] })],
);
