import { boolean, date, doublePrecision, index, integer, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { files } from '../../platform/files/files.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';

/**
 * The goals of the campaign (notice clauses 一 and 二) as measures the city office keeps: the six
 * ensures (六个确保), the four goals (资源增长、农民增收、生态良好、林区和谐) and the public's sense
 * of safety and satisfaction. A measure is either an indicator of the registry (computed from
 * SafeForest's records) or a figure entered per unit and year with its source. The target says
 * when it is met: compared with a value (`eq`, `lte` …) or with the year before (`grow` …).
 */
export const goalMeasures = pgTable('goal_measures', {
  code: text('code').primaryKey(),
  title: text('title').notNull(),
  titleEn: text('title_en').notNull(),
  /** `ensure` (六个确保), `goal` (创建总目标), `public` (群众安全感、满意度). */
  groupCode: text('group_code').notNull(),
  /** `indicator` (from the registry) or `entered` (a figure per unit and year, with its source). */
  method: text('method').notNull(),
  /** The registry key of an `indicator` measure. */
  indicatorKey: text('indicator_key'),
  /** What an entered figure is counted in (公顷, 万立方米, 元, %, 起 …). */
  unit: text('unit'),
  /** Where an entered figure usually comes from (森林资源二类调查/年度监测, 统计年鉴, 问卷调查). */
  expectedSource: text('expected_source'),
  targetOp: text('target_op').notNull(),
  targetValue: doublePrecision('target_value'),
  description: text('description'),
  descriptionEn: text('description_en'),
  sortOrder: integer('sort_order').notNull().default(0),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A figure entered for a measure, a unit (the city or a county) and a year, with its source and
 * the date of that source, and optionally the document it was taken from. One per unit, measure
 * and year: entering it again replaces it (the audit log keeps the earlier figure).
 */
export const goalEntries = pgTable(
  'goal_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    measureCode: text('measure_code')
      .notNull()
      .references(() => goalMeasures.code),
    year: smallint('year').notNull(),
    value: doublePrecision('value').notNull(),
    unit: text('unit'),
    source: text('source').notNull(),
    sourceDate: date('source_date', { mode: 'string' }).notNull(),
    fileId: uuid('file_id').references(() => files.id),
    note: text('note'),
    enteredBy: text('entered_by').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('goal_entries_unit_measure_year_idx').on(t.orgUnitId, t.measureCode, t.year),
    index('goal_entries_measure_year_idx').on(t.measureCode, t.year),
  ],
);
