import { sql } from 'drizzle-orm';
import { date, index, integer, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { files } from '../../platform/files/files.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';

/**
 * The responsibility register (责任体系, notice clause 三): per org unit and year, the leader in
 * overall charge (主要领导负总责), the leader in charge (分管领导具体抓) and the year's work plan
 * (专题研究/工作方案) as an uploaded document with its date and title.
 */
export const responsibilityRegisters = pgTable(
  'responsibility_registers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    year: smallint('year').notNull(),
    leaderName: text('leader_name'),
    leaderPost: text('leader_post'),
    leaderPhone: text('leader_phone'),
    inChargeName: text('in_charge_name'),
    inChargePost: text('in_charge_post'),
    inChargePhone: text('in_charge_phone'),
    planTitle: text('plan_title'),
    /** The date the work plan was adopted (its document's date), a calendar day in China. */
    planDate: date('plan_date', { mode: 'string' }),
    planFileId: uuid('plan_file_id').references(() => files.id),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('responsibility_registers_unit_year_idx').on(t.orgUnitId, t.year),
    index('responsibility_registers_year_idx').on(t.year),
  ],
);

/**
 * A target task (目标任务) of a register: what, who owns it, by when, and how it is measured —
 * an assessment item (its code, resolved by the assessment), an indicator of the registry (its
 * key), or evidence uploaded with the progress reports. It carries its register's unit for scope.
 */
export const responsibilityTasks = pgTable(
  'responsibility_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    registerId: uuid('register_id')
      .notNull()
      .references(() => responsibilityRegisters.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    title: text('title').notNull(),
    description: text('description'),
    ownerName: text('owner_name'),
    ownerUnit: text('owner_unit'),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    /** `assessment_item`, `indicator` or `evidence`. */
    measureKind: text('measure_kind').notNull(),
    /** The assessment item code or the indicator key; null for evidence. */
    measureRef: text('measure_ref'),
    /** What evidence is expected, or a note on the measure. */
    measureNote: text('measure_note'),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('responsibility_tasks_register_idx').on(t.registerId), index('responsibility_tasks_org_unit_idx').on(t.orgUnitId)],
);

/** A progress report on a task (落实): how far it is, in words and percent, with files. */
export const responsibilityProgress = pgTable(
  'responsibility_progress',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => responsibilityTasks.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    percent: smallint('percent').notNull(),
    text: text('text').notNull(),
    reportedBy: text('reported_by').notNull(),
    reportedByName: text('reported_by_name').notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('responsibility_progress_task_idx').on(t.taskId, t.reportedAt)],
);

/** The files attached to a progress report (evidence, photos, documents). */
export const responsibilityProgressFiles = pgTable(
  'responsibility_progress_files',
  {
    progressId: uuid('progress_id')
      .notNull()
      .references(() => responsibilityProgress.id),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id),
  },
  (t) => [primaryKey({ columns: [t.progressId, t.fileId] })],
);

/** A check of a task by the level above (检查): a result from the dictionary and comments. */
export const responsibilityChecks = pgTable(
  'responsibility_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => responsibilityTasks.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    /** `pass` 合格, `basic_pass` 基本合格, `fail` 不合格. */
    result: text('result').notNull(),
    comments: text('comments'),
    checkedBy: text('checked_by').notNull(),
    checkedByName: text('checked_by_name').notNull(),
    /** The unit of the account that checked (above the task's unit). */
    checkerOrgUnitId: integer('checker_org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('responsibility_checks_task_idx').on(t.taskId, t.checkedAt)],
);

/** The campaign's settings of a year: the work plan deadline (default 31 March, China Standard Time). */
export const responsibilityYears = pgTable('responsibility_years', {
  year: smallint('year').primaryKey(),
  planDeadline: date('plan_deadline', { mode: 'string' }).notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
});
