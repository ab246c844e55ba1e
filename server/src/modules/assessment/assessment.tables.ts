import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgUnits } from '../../platform/org/org.tables.js';

/** How an item of a standard is scored. */
export type ItemKind = 'manual' | 'deduction' | 'indicator';

/** One step of a scoring curve: a value within [min, max] (either side open when absent) earns `points`; the first matching step wins. */
export type CurveStep = { min?: number | null; max?: number | null; points: number };

/** An item of a standard's tree (category → item → sub-item). */
export type StandardItem = {
  code: string;
  title: string;
  maxPoints: number;
  kind: ItemKind;
  guidance?: string | null;
  evidence?: string | null;
  /** `indicator`: the key of the indicator that scores it; `deduction`: the `count` indicator that counts its cases (absent: cases are entered). */
  indicator?: string | null;
  /** `deduction`: points taken per case, down to zero. */
  pointsPerCase?: number | null;
  /** `indicator`: thresholds → points. */
  curve?: CurveStep[] | null;
  children?: StandardItem[];
};

/** A one-vote veto item (一票否决); with a `yes_no` indicator, a value of 0 vetoes by itself. */
export type VetoItem = { code: string; title: string; guidance?: string | null; indicator?: string | null };
/** A bonus item (加分项), scored by hand up to its maximum. */
export type BonusItem = { code: string; title: string; maxPoints: number; guidance?: string | null; evidence?: string | null };
/** A grade band: a final score of `min` or more earns it; bands are kept highest first. */
export type GradeBand = { name: string; min: number };

/**
 * Assessment standards (考核标准) as data: the item tree, veto and bonus items, grade bands. A
 * standard a round uses is never changed again; an edit then makes a new version (`basedOnId`).
 */
export const assessmentStandards = pgTable(
  'assessment_standards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    version: text('version').notNull(),
    description: text('description'),
    /** Written from the notice's clauses to show how a standard looks, not the province's real standard. */
    sample: boolean('sample').notNull().default(false),
    basedOnId: uuid('based_on_id'),
    items: jsonb('items').$type<StandardItem[]>().notNull(),
    vetoItems: jsonb('veto_items').$type<VetoItem[]>().notNull(),
    bonusItems: jsonb('bonus_items').$type<BonusItem[]>().notNull(),
    grades: jsonb('grades').$type<GradeBand[]>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('assessment_standards_name_version_idx').on(t.name, t.version)],
);

/**
 * A round (考评) of one year under one standard version: the city's round of the county-level
 * units, or a county's round of its townships, nature reserves and forest farms (分级评审). The
 * round belongs to the unit that runs it (`org_unit_id`).
 */
export const assessmentRounds = pgTable(
  'assessment_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    year: smallint('year').notNull(),
    level: text('level').$type<'county' | 'township'>().notNull(),
    standardId: uuid('standard_id')
      .notNull()
      .references(() => assessmentStandards.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    selfCheckDue: date('self_check_due'),
    reviewDue: date('review_due'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('assessment_rounds_unit_year_level_idx').on(t.orgUnitId, t.year, t.level)],
);

/** A veto that struck an entry: by the reviewers, or by a `yes_no` indicator answering 0. */
export type VetoHit = { code: string; title: string; reason: string; source: 'reviewer' | 'indicator' };
/** A site inspection recorded by the reviewers (实地检查). */
export type Inspection = { date: string; inspectors: string; findings: string; fileIds: string[] };

/** One unit assessed in a round: its self-check, the review and the result. */
export const assessmentEntries = pgTable(
  'assessment_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => assessmentRounds.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    status: text('status').$type<'draft' | 'submitted' | 'reviewing' | 'final'>().notNull().default('draft'),
    selfScore: numeric('self_score', { mode: 'number' }),
    reviewScore: numeric('review_score', { mode: 'number' }),
    finalScore: numeric('final_score', { mode: 'number' }),
    vetoed: boolean('vetoed').notNull().default(false),
    vetoHits: jsonb('veto_hits').$type<VetoHit[]>().notNull().default(sql`'[]'::jsonb`),
    reviewVetoCodes: jsonb('review_veto_codes').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    grade: text('grade'),
    inspections: jsonb('inspections').$type<Inspection[]>().notNull().default(sql`'[]'::jsonb`),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: text('submitted_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: text('reviewed_by'),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }),
    finalizedBy: text('finalized_by'),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('assessment_entries_round_unit_idx').on(t.roundId, t.orgUnitId),
    index('assessment_entries_unit_idx').on(t.orgUnitId),
  ],
);

/** A case behind a deduction (时间、事由), as the unit or the reviewers list it. */
export type DeductionCase = { date?: string | null; description: string; ref?: string | null };

/** What an indicator gave an item: value, how it became points, and the records it was counted from. */
export type ComputedScore = {
  indicator: string;
  /** `ok`; `unregistered` (no module offers the key); `no_data` (nothing could be counted); `no_curve` (no rule turns the value into points). */
  status: 'ok' | 'unregistered' | 'no_data' | 'no_curve';
  name: string | null;
  unit: string | null;
  value: number | null;
  points: number | null;
  records: number | null;
  link: { path: string; query: Record<string, string> } | null;
};

/** The score of one item at one stage (`self`: the unit's self-check; `review`: the level above). */
export const assessmentScores = pgTable(
  'assessment_scores',
  {
    entryId: uuid('entry_id')
      .notNull()
      .references(() => assessmentEntries.id),
    stage: text('stage').$type<'self' | 'review'>().notNull(),
    itemCode: text('item_code').notNull(),
    points: numeric('points', { mode: 'number' }),
    note: text('note'),
    reason: text('reason'),
    evidenceFileIds: jsonb('evidence_file_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    cases: jsonb('cases').$type<DeductionCase[] | null>(),
    computed: jsonb('computed').$type<ComputedScore | null>(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.stage, t.itemCode] })],
);

/** Units the city recommended from a round for the provincial title (市级推优). */
export const assessmentRecommendations = pgTable(
  'assessment_recommendations',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => assessmentRounds.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    recommendedBy: text('recommended_by').notNull(),
    recommendedAt: timestamp('recommended_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.orgUnitId] })],
);

/** A re-check (复核) of a named unit. */
export type TitleRecheck = { date: string; result: 'passed' | 'failed'; note: string | null; by: string };

/** A title (平安林区 先进单位) named by the city (city level) or a county (county level), with its re-checks and revocation. */
export const assessmentTitles = pgTable(
  'assessment_titles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    level: text('level').$type<'city' | 'county'>().notNull(),
    year: smallint('year').notNull(),
    documentNumber: text('document_number').notNull(),
    namedOn: date('named_on').notNull(),
    namedByUnitId: integer('named_by_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    status: text('status').$type<'active' | 'revoked'>().notNull().default('active'),
    rechecks: jsonb('rechecks').$type<TitleRecheck[]>().notNull().default(sql`'[]'::jsonb`),
    revokedOn: date('revoked_on'),
    revokeReason: text('revoke_reason'),
    revokeDocumentNumber: text('revoke_document_number'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('assessment_titles_unit_idx').on(t.orgUnitId),
    uniqueIndex('assessment_titles_unit_level_year_idx').on(t.orgUnitId, t.level, t.year),
  ],
);
