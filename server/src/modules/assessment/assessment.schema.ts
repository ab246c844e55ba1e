import { z } from 'zod';
import { CalendarDate, EARLIEST_YEAR, LATEST_YEAR } from '../../platform/dates.js';

const text = (max: number) => z.string().trim().max(max);
const Code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'letters, digits, dot, dash or underscore, at most 32')
  .describe('unique within the standard, e.g. `1`, `1.2`, `1.2.3`, `V1`, `B1`');
const IndicatorKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'an indicator key in snake_case')
  .describe('the key of an indicator of the registry (`GET /api/assessment/indicators`), e.g. `ranger_on_post_rate`');
const Points = z.number().min(0).max(1000);
export const Year = z.coerce.number().int().min(EARLIEST_YEAR).max(LATEST_YEAR).describe('the assessment year');

export const ITEM_KINDS = ['manual', 'deduction', 'indicator'] as const;
export const ITEM_KIND_LABELS: Record<(typeof ITEM_KINDS)[number], string> = {
  manual: '人工评分',
  deduction: '扣分',
  indicator: '指标计算',
};
export const ENTRY_STATUSES = ['draft', 'submitted', 'reviewing', 'final'] as const;
export const ENTRY_STATUS_LABELS: Record<(typeof ENTRY_STATUSES)[number], string> = {
  draft: '自查中',
  submitted: '已提交',
  reviewing: '评定中',
  final: '已定级',
};
/** The grade bands a standard gets when it names none (否决 always gives the lowest). */
export const DEFAULT_GRADES = [
  { name: '优秀', min: 90 },
  { name: '良好', min: 80 },
  { name: '合格', min: 60 },
  { name: '不合格', min: 0 },
];

export const CurveStep = z
  .object({
    min: z.number().nullable().optional().describe('lowest value of the step (inclusive); absent: no lower bound'),
    max: z.number().nullable().optional().describe('highest value of the step (inclusive); absent: no upper bound'),
    points: Points,
  })
  .meta({ id: 'AssessmentCurveStep' });

/** What every item of the tree carries, at any of its three levels. */
const itemFields = {
  code: Code,
  title: text(200).min(1),
  maxPoints: Points,
  kind: z.enum(ITEM_KINDS).describe('manual: by hand; deduction: points per case down to zero; indicator: from a computed indicator'),
  guidance: text(2000).nullable().optional().describe('scoring guidance (评分标准)'),
  evidence: text(2000).nullable().optional().describe('the evidence required (佐证材料)'),
  indicator: IndicatorKey.nullable()
    .optional()
    .describe('indicator: the key scoring it; deduction: a `count` indicator counting its cases'),
  pointsPerCase: z.number().positive().max(1000).nullable().optional().describe('deduction: points taken per case, down to zero'),
  curve: z.array(CurveStep).max(20).nullable().optional().describe('indicator: thresholds → points, the first matching step wins'),
};
/** A sub-item (the third level): it has no children. */
export const SubItemSchema = z.strictObject(itemFields).meta({ id: 'AssessmentSubItem' });
/** An item (the second level), scored itself or by its sub-items. */
export const ItemSchema = z
  .object({
    ...itemFields,
    children: z.array(SubItemSchema).max(100).optional().describe('sub-items; their maxPoints add up to at most this one’s'),
  })
  .meta({ id: 'AssessmentItem' });
/** A category (the top level) of the tree: category → item → sub-item. A group’s kind is ignored: its points are its children’s sum. */
export const CategorySchema = z
  .object({
    ...itemFields,
    children: z.array(ItemSchema).max(100).optional().describe('items; their maxPoints add up to at most this one’s'),
  })
  .meta({ id: 'AssessmentCategory' });

export const VetoItemSchema = z
  .object({
    code: Code,
    title: text(300).min(1),
    guidance: text(2000).nullable().optional(),
    indicator: IndicatorKey.nullable().optional().describe('a `yes_no` indicator: 0 vetoes the entry by itself, with the reason'),
  })
  .meta({ id: 'AssessmentVetoItem' });
export const BonusItemSchema = z
  .object({
    code: Code,
    title: text(300).min(1),
    maxPoints: Points,
    guidance: text(2000).nullable().optional(),
    evidence: text(2000).nullable().optional(),
  })
  .meta({ id: 'AssessmentBonusItem' });
export const GradeBandSchema = z.object({ name: text(20).min(1), min: z.number().min(0).max(1000) }).meta({ id: 'AssessmentGradeBand' });

export const StandardBody = z
  .object({
    name: text(100).min(1),
    version: text(40).min(1).describe('a label such as `2026` or `2026试行`; a standard’s name and version are unique'),
    description: text(2000).nullable().optional(),
    items: z.array(CategorySchema).min(1).max(100),
    vetoItems: z.array(VetoItemSchema).max(50).default([]),
    bonusItems: z.array(BonusItemSchema).max(50).default([]),
    grades: z
      .array(GradeBandSchema)
      .min(1)
      .max(10)
      .optional()
      .describe('grade bands, e.g. 优秀 ≥90, 良好 ≥80, 合格 ≥60, 不合格 ≥0 (the default); a veto gives the lowest'),
  })
  .meta({ id: 'SaveAssessmentStandard' });
export type StandardInput = z.infer<typeof StandardBody>;

export const StandardSummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    version: z.string(),
    description: z.string().nullable(),
    sample: z.boolean().describe('written from the notice’s clauses as an example, not an official standard'),
    basedOnId: z.uuid().nullable().describe('the version this one was made from'),
    totalPoints: z.number(),
    rounds: z.number().int().describe('rounds using it; a standard in use is never changed'),
    createdBy: z.string(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'AssessmentStandardSummary' });
export const Standard = StandardSummary.extend({
  items: z.array(CategorySchema),
  vetoItems: z.array(VetoItemSchema),
  bonusItems: z.array(BonusItemSchema),
  grades: z.array(GradeBandSchema),
}).meta({ id: 'AssessmentStandard' });
export type Standard = z.infer<typeof Standard>;
export const StandardList = z.object({ items: z.array(StandardSummary) });
export const Created = z.object({ id: z.uuid() });
export const StandardSaved = z.object({
  id: z.uuid().describe('the standard now holding the content: the same one, or a new version when a round uses the old one'),
  newVersion: z.boolean(),
});

export const IdParams = z.object({ id: z.uuid() });

// ---- rounds ----

export const ROUND_LEVELS = ['county', 'township'] as const;
export const CreateRoundBody = z
  .object({
    year: Year,
    standardId: z.uuid(),
    level: z
      .enum(ROUND_LEVELS)
      .describe('county: the city assesses its county-level units; township: a county assesses its townships, reserves and forest farms'),
    unit: text(20).optional().describe('township rounds: the county’s code (defaults to your own county)'),
    selfCheckDue: CalendarDate.nullable().optional().describe('the day self-checks are due (自查截止)'),
    reviewDue: CalendarDate.nullable().optional().describe('the day reviews are due (评定截止)'),
  })
  .meta({ id: 'CreateAssessmentRound' });
export type CreateRoundInput = z.infer<typeof CreateRoundBody>;
export const UpdateRoundBody = z
  .object({
    selfCheckDue: CalendarDate.nullable().optional(),
    reviewDue: CalendarDate.nullable().optional(),
    version: z.number().int().positive().optional().describe('the version you read; a newer one answers 409'),
  })
  .meta({ id: 'UpdateAssessmentRound' });

export const Round = z
  .object({
    id: z.uuid(),
    year: z.number().int(),
    level: z.enum(ROUND_LEVELS),
    unitCode: z.string().nullable().describe('the unit running the round: the city, or the county'),
    unitName: z.string(),
    standardId: z.uuid(),
    standardName: z.string(),
    standardVersion: z.string(),
    selfCheckDue: z.string().nullable(),
    reviewDue: z.string().nullable(),
    entries: z.number().int(),
    final: z.number().int().describe('entries finalized'),
    createdBy: z.string(),
    createdAt: z.date(),
    version: z.number().int(),
  })
  .meta({ id: 'AssessmentRound' });
export type Round = z.infer<typeof Round>;
export const RoundList = z.object({ items: z.array(Round) });
export const ListRoundsQuery = z.object({
  year: Year.optional(),
  level: z.enum(ROUND_LEVELS).optional(),
});

export const EntrySummary = z
  .object({
    id: z.uuid(),
    roundId: z.uuid(),
    unitCode: z.string().nullable(),
    unitName: z.string(),
    unitKind: z.string(),
    status: z.enum(ENTRY_STATUSES),
    selfScore: z.number().nullable(),
    finalScore: z.number().nullable(),
    vetoed: z.boolean(),
    grade: z.string().nullable(),
    eligible: z.boolean().describe('may be recommended (推优) / named'),
    ineligibleReason: z.string().nullable().describe('why not, in words'),
    ineligibleCode: z.enum(['not_final', 'vetoed', 'no_township_round', 'township_round_unfinished']).nullable(),
    recommended: z.boolean(),
    submittedAt: z.date().nullable(),
    finalizedAt: z.date().nullable(),
  })
  .meta({ id: 'AssessmentEntrySummary' });
export type EntrySummary = z.infer<typeof EntrySummary>;
export const EntryList = z.object({ items: z.array(EntrySummary) });

/**
 * A unit's assessment result for a year, as other registers show it (the responsibility register's
 * 同奖惩): the entry it was assessed in, its score, grade and vetoes once final, and its titles.
 */
export const UnitResult = z
  .object({
    entryId: z.uuid(),
    roundId: z.uuid(),
    status: z.enum(ENTRY_STATUSES).describe('scores and grade are given only when final'),
    finalScore: z.number().nullable(),
    grade: z.string().nullable(),
    vetoed: z.boolean(),
    titles: z
      .array(
        z.object({
          level: z.enum(['city', 'county']),
          documentNumber: z.string(),
          date: z.string(),
          status: z.enum(['active', 'revoked']),
        }),
      )
      .describe('titles named for the year'),
  })
  .meta({ id: 'AssessmentUnitResult' });
export type UnitResult = z.infer<typeof UnitResult>;

// ---- self-check and review ----

export const DeductionCaseSchema = z
  .object({
    date: CalendarDate.nullable().optional(),
    description: text(500).min(1),
    ref: text(200).nullable().optional().describe('a record number or link'),
  })
  .meta({ id: 'AssessmentDeductionCase' });

const ScoreInput = z.object({
  itemCode: Code,
  points: Points.nullable().optional().describe('points given; a deduction item with `cases` is worked out from them'),
  note: text(2000).nullable().optional().describe('how the points were found (the score sheet shows it)'),
  reason: text(1000).nullable().optional().describe('why a computed value, or the self score, is changed: required then'),
  cases: z.array(DeductionCaseSchema).max(200).nullable().optional().describe('deduction items: the cases counted'),
});
export const SelfCheckBody = z
  .object({
    scores: z
      .array(ScoreInput.extend({ evidenceFileIds: z.array(z.uuid()).max(20).optional().describe('uploaded files (POST /api/files)') }))
      .max(500),
    version: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('the entry version you read; a newer one answers 409 (someone else saved meanwhile)'),
  })
  .meta({ id: 'AssessmentSelfCheck' });
export type SelfCheckInput = z.infer<typeof SelfCheckBody>;

export const InspectionSchema = z
  .object({
    date: CalendarDate,
    inspectors: text(300).min(1),
    findings: text(4000).min(1),
    fileIds: z.array(z.uuid()).max(20).default([]),
  })
  .meta({ id: 'AssessmentInspection' });
export const ReviewBody = z
  .object({
    scores: z.array(ScoreInput).max(500).default([]),
    vetoItemCodes: z.array(Code).max(50).optional().describe('veto items the reviewers find hit (replaces the earlier list)'),
    inspections: z.array(InspectionSchema).max(50).optional().describe('site inspections (replaces the earlier list)'),
    version: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('the entry version you read; a newer one answers 409 (someone else saved meanwhile)'),
  })
  .meta({ id: 'AssessmentReview' });
export type ReviewInput = z.infer<typeof ReviewBody>;

export const Computed = z
  .object({
    indicator: z.string(),
    status: z.enum(['ok', 'unregistered', 'no_data', 'no_curve']).describe('unregistered/no_data/no_curve: flagged, to be scored by hand'),
    name: z.string().nullable(),
    unit: z.string().nullable(),
    value: z.number().nullable(),
    points: z.number().nullable().describe('points the value earns (the curve, or the deduction)'),
    records: z.number().nullable().describe('records the value was computed from'),
    link: z
      .object({ path: z.string(), query: z.record(z.string(), z.string()) })
      .nullable()
      .describe('where the records are listed'),
  })
  .meta({ id: 'AssessmentComputed' });

const StageScore = z.object({
  points: z.number().nullable(),
  note: z.string().nullable(),
  reason: z.string().nullable(),
  evidenceFileIds: z.array(z.string()),
  cases: z.array(DeductionCaseSchema).nullable(),
  updatedBy: z.string(),
  updatedAt: z.date(),
});

export const EntryItem = z
  .object({
    code: z.string(),
    parentCode: z.string().nullable(),
    depth: z.number().int().describe('0: category, 1: item, 2: sub-item'),
    type: z.enum(['item', 'bonus']),
    leaf: z.boolean().describe('scored directly; a group’s points are its children’s sum'),
    title: z.string(),
    maxPoints: z.number(),
    kind: z.enum(ITEM_KINDS),
    guidance: z.string().nullable(),
    evidence: z.string().nullable(),
    indicator: z.string().nullable(),
    pointsPerCase: z.number().nullable(),
    computed: Computed.nullable().describe('what the indicator gives (prefilled); null for items scored by hand'),
    self: StageScore.nullable(),
    review: StageScore.nullable(),
    points: z.number().nullable().describe('the points that count: the review’s, else the self-check’s (groups: the sum)'),
  })
  .meta({ id: 'AssessmentEntryItem' });
export type EntryItem = z.infer<typeof EntryItem>;

export const VetoState = z
  .object({
    code: z.string(),
    title: z.string(),
    indicator: z.string().nullable(),
    hit: z.boolean(),
    reason: z.string().nullable(),
    source: z.enum(['reviewer', 'indicator']).nullable(),
    computed: Computed.nullable(),
  })
  .meta({ id: 'AssessmentVetoState' });

export const Entry = EntrySummary.extend({
  year: z.number().int(),
  level: z.enum(ROUND_LEVELS),
  roundUnitName: z.string(),
  standard: z.object({ id: z.uuid(), name: z.string(), version: z.string(), sample: z.boolean(), grades: z.array(GradeBandSchema) }),
  reviewScore: z.number().nullable(),
  items: z.array(EntryItem).describe('the tree in order, flattened, then the bonus items'),
  vetoes: z.array(VetoState),
  inspections: z.array(InspectionSchema),
  selfCheckDue: z.string().nullable(),
  reviewDue: z.string().nullable(),
  submittedBy: z.string().nullable(),
  reviewedAt: z.date().nullable(),
  reviewedBy: z.string().nullable(),
  finalizedBy: z.string().nullable(),
  can: z.object({ selfCheck: z.boolean(), review: z.boolean(), finalize: z.boolean() }).describe('what the caller may do now'),
  version: z.number().int(),
}).meta({ id: 'AssessmentEntry' });
export type Entry = z.infer<typeof Entry>;

// ---- outputs ----

export const Ranking = z.object({
  categories: z.array(z.object({ code: z.string(), title: z.string(), maxPoints: z.number() })).describe('the top-level items'),
  items: z.array(
    z.object({
      rank: z.number().int().nullable().describe('among final entries: vetoed last, then by final score'),
      entryId: z.uuid(),
      unitCode: z.string().nullable(),
      unitName: z.string(),
      status: z.enum(ENTRY_STATUSES),
      selfScore: z.number().nullable(),
      finalScore: z.number().nullable(),
      vetoed: z.boolean(),
      grade: z.string().nullable(),
      categories: z.array(z.object({ code: z.string(), points: z.number().nullable() })),
    }),
  ),
});

export const Progress = z.object({
  total: z.number().int(),
  draft: z.number().int(),
  submitted: z.number().int().describe('self-checks handed in (submitted, reviewing or final)'),
  reviewing: z.number().int(),
  reviewed: z.number().int().describe('final'),
  selfCheckDue: z.string().nullable(),
  reviewDue: z.string().nullable(),
  overdueSelfChecks: z.array(z.object({ entryId: z.uuid(), unitCode: z.string().nullable(), unitName: z.string() })),
  overdueReviews: z.array(z.object({ entryId: z.uuid(), unitCode: z.string().nullable(), unitName: z.string() })),
});

export const Eligibility = z.object({
  items: z.array(
    z.object({
      entryId: z.uuid(),
      unitCode: z.string().nullable(),
      unitName: z.string(),
      status: z.enum(ENTRY_STATUSES),
      finalScore: z.number().nullable(),
      vetoed: z.boolean(),
      eligible: z.boolean(),
      ineligibleReason: z.string().nullable(),
      ineligibleCode: EntrySummary.shape.ineligibleCode,
      recommended: z.boolean(),
    }),
  ),
});

export const RecommendBody = z.object({ unitCodes: z.array(text(20).min(1)).min(1).max(100) }).meta({ id: 'AssessmentRecommend' });
export const Recommendations = z.object({
  items: z.array(z.object({ unitCode: z.string().nullable(), unitName: z.string(), recommendedBy: z.string(), recommendedAt: z.date() })),
});

export const Reminders = z.object({
  items: z.array(
    z.object({
      kind: z.enum(['self_check', 'review']),
      roundId: z.uuid(),
      entryId: z.uuid(),
      year: z.number().int(),
      level: z.enum(ROUND_LEVELS),
      unitCode: z.string().nullable(),
      unitName: z.string(),
      status: z.enum(ENTRY_STATUSES),
      due: z.string().nullable(),
      daysLeft: z.number().int().nullable().describe('days until the due day (negative: overdue)'),
      overdue: z.boolean(),
    }),
  ),
});

// ---- titles ----

export const TITLE_LEVELS = ['city', 'county'] as const;
export const NameTitleBody = z
  .object({
    unitCode: text(20).min(1),
    level: z.enum(TITLE_LEVELS).describe('city: named by the city; county: named by a county for its townships, reserves and farms'),
    year: Year,
    documentNumber: text(100).min(1).describe('文号'),
    date: CalendarDate,
  })
  .meta({ id: 'NameAssessmentTitle' });
export const RecheckBody = z
  .object({ date: CalendarDate, result: z.enum(['passed', 'failed']), note: text(2000).nullable().optional() })
  .meta({ id: 'RecheckAssessmentTitle' });
export const RevokeBody = z
  .object({
    reason: text(1000).min(1),
    date: CalendarDate.optional().describe('defaults to today'),
    documentNumber: text(100).nullable().optional(),
  })
  .meta({ id: 'RevokeAssessmentTitle' });
export const Title = z
  .object({
    id: z.uuid(),
    unitCode: z.string().nullable(),
    unitName: z.string(),
    level: z.enum(TITLE_LEVELS),
    year: z.number().int(),
    documentNumber: z.string(),
    date: z.string(),
    namedByUnitName: z.string(),
    status: z.enum(['active', 'revoked']),
    rechecks: z.array(z.object({ date: z.string(), result: z.enum(['passed', 'failed']), note: z.string().nullable(), by: z.string() })),
    revokedOn: z.string().nullable(),
    revokeReason: z.string().nullable(),
    revokeDocumentNumber: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.date(),
    version: z.number().int(),
  })
  .meta({ id: 'AssessmentTitle' });
export type Title = z.infer<typeof Title>;
export const TitleList = z.object({ items: z.array(Title) });
export const ListTitlesQuery = z.object({
  unit: text(20).optional().describe('a unit’s code: its title history'),
  year: Year.optional(),
  level: z.enum(TITLE_LEVELS).optional(),
  status: z.enum(['active', 'revoked']).optional(),
});
