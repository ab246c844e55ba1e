import { z } from 'zod';
import { CalendarDate, EARLIEST_YEAR, LATEST_YEAR } from '../../platform/dates.js';
import { IndicatorDefinition } from '../indicators/indicators.schema.js';

const text = (max: number) => z.string().trim().max(max);

/** The groups of measures: the six ensures (六个确保), the four goals, the public's sense of safety and satisfaction. */
export const GOAL_GROUPS = ['ensure', 'goal', 'public'] as const;
export const GoalGroup = z.enum(GOAL_GROUPS);
export type GoalGroup = z.infer<typeof GoalGroup>;

/** How a measure's figure is obtained: computed by a registered indicator, or entered per unit and year with its source. */
export const GOAL_METHODS = ['indicator', 'entered'] as const;
export const GoalMethod = z.enum(GOAL_METHODS);

/**
 * When a figure meets its target. Against the target value: `eq`, `lte`, `lt`, `gte`, `gt`.
 * Against the same unit's figure of the year before: `grow` (higher), `not_decline` (not lower),
 * `decline` (lower), `not_grow` (not higher). `none`: shown without a judgement.
 */
export const TARGET_OPS = ['eq', 'lte', 'lt', 'gte', 'gt', 'grow', 'not_decline', 'decline', 'not_grow', 'none'] as const;
export const TargetOp = z.enum(TARGET_OPS);
export type TargetOp = z.infer<typeof TargetOp>;
/** The operators that compare with a target value (the others need none). */
export const VALUE_OPS: ReadonlySet<TargetOp> = new Set(['eq', 'lte', 'lt', 'gte', 'gt']);
/** The operators that compare with the year before. */
export const YEAR_OVER_YEAR_OPS: ReadonlySet<TargetOp> = new Set(['grow', 'not_decline', 'decline', 'not_grow']);

const MeasureCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,49}$/, 'a code of lower-case letters, digits and _ (2–50), starting with a letter')
  .describe('stable code of the measure, e.g. `major_forest_fire`');
const IndicatorKey = z.string().regex(/^[a-z][a-z0-9_]{0,79}$/, 'an indicator key (snake_case)');
const UnitCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{1,30}$/, 'an org unit code such as 530402')
  .describe('the code of the city or of a county');
/** A year of figures: on the calendar the API accepts (a year still to come has no figures; the service says so). */
export const GoalYear = z.coerce.number().int().min(EARLIEST_YEAR).max(LATEST_YEAR);

const MeasureFields = z.object({
  title: text(100).min(1),
  titleEn: text(150).min(1),
  group: GoalGroup,
  method: GoalMethod,
  indicatorKey: IndicatorKey.nullable().optional().describe('the registry key of an `indicator` measure'),
  unit: text(20).min(1).nullable().optional().describe('what an entered figure is counted in (公顷, 万立方米, 元, %, 起)'),
  expectedSource: text(100).min(1).nullable().optional().describe('where an entered figure usually comes from'),
  targetOp: TargetOp,
  targetValue: z.number().finite().nullable().optional().describe('the value `eq`, `lte`, `lt`, `gte` and `gt` compare with'),
  description: text(1000).nullable().optional(),
  descriptionEn: text(1000).nullable().optional(),
  sortOrder: z.number().int().min(0).max(10_000),
  active: z.boolean(),
});
export type MeasureFields = z.infer<typeof MeasureFields>;

export const CreateMeasureBody = MeasureFields.extend({
  code: MeasureCode,
  sortOrder: z.number().int().min(0).max(10_000).default(0),
  active: z.boolean().default(true),
}).meta({ id: 'CreateGoalMeasure' });
export type CreateMeasureInput = z.infer<typeof CreateMeasureBody>;
export const UpdateMeasureBody = MeasureFields.partial()
  .extend({ version: z.number().int().positive().describe('the version you read; a newer one answers 409') })
  .meta({ id: 'UpdateGoalMeasure' });
export type UpdateMeasureInput = z.infer<typeof UpdateMeasureBody>;
export const MeasureParams = z.object({ code: MeasureCode });
export const DeleteMeasureBody = z.object({ version: z.number().int().positive().optional() });

export const GoalMeasure = z
  .object({
    code: z.string(),
    title: z.string(),
    titleEn: z.string(),
    group: GoalGroup,
    method: GoalMethod,
    indicatorKey: z.string().nullable(),
    unit: z.string().nullable(),
    expectedSource: z.string().nullable(),
    targetOp: TargetOp,
    targetValue: z.number().nullable(),
    description: z.string().nullable(),
    descriptionEn: z.string().nullable(),
    sortOrder: z.number().int(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'GoalMeasure' });
export type GoalMeasure = z.infer<typeof GoalMeasure>;
export const GoalMeasureList = z.object({ items: z.array(GoalMeasure) });

export const PutEntryBody = z
  .object({
    unitCode: UnitCode,
    year: z.number().int().min(EARLIEST_YEAR).max(LATEST_YEAR),
    measureCode: MeasureCode,
    value: z.number().finite().min(0).max(1e12),
    source: text(200).min(1).describe('e.g. 森林资源二类调查/年度监测, 统计年鉴, 问卷调查'),
    sourceDate: CalendarDate.describe('the date of the source (survey, yearbook, report)'),
    fileId: z.string().uuid().nullable().optional().describe('an uploaded document the figure was taken from'),
    note: text(1000).nullable().optional(),
    version: z.number().int().positive().optional().describe('the version you read when replacing a figure; a newer one answers 409'),
  })
  .meta({ id: 'PutGoalEntry' });
export type PutEntryInput = z.infer<typeof PutEntryBody>;

export const GoalEntry = z
  .object({
    id: z.string().uuid(),
    orgUnitId: z.number().int(),
    unitCode: z.string().nullable(),
    unitName: z.string(),
    measureCode: z.string(),
    year: z.number().int(),
    value: z.number(),
    unit: z.string().nullable(),
    source: z.string(),
    sourceDate: z.string(),
    fileId: z.string().uuid().nullable(),
    note: z.string().nullable(),
    enteredBy: z.string(),
    version: z.number().int(),
    updatedAt: z.date(),
  })
  .meta({ id: 'GoalEntry' });
export type GoalEntry = z.infer<typeof GoalEntry>;
export const EntryParams = z.object({ id: z.string().uuid() });

const GoalUnit = z
  .object({ id: z.number().int(), code: z.string().nullable(), name: z.string(), kind: z.string() })
  .meta({ id: 'GoalUnit' });
export type GoalUnit = z.infer<typeof GoalUnit>;

const Basis = z.object({
  records: z.number().int().describe('records the value was computed from'),
  link: z
    .object({ path: z.string(), query: z.record(z.string(), z.string()) })
    .nullable()
    .describe('where in the app those records are listed'),
});

export const GoalItem = z
  .object({
    code: z.string(),
    title: z.string(),
    titleEn: z.string(),
    group: GoalGroup,
    method: GoalMethod,
    /** For an entered measure its unit; for an indicator the indicator's unit (`count`, `ratio` …). */
    unit: z.string().nullable(),
    targetOp: TargetOp,
    targetValue: z.number().nullable(),
    value: z.number().nullable(),
    previousValue: z.number().nullable().describe('the figure of the year before (for targets that compare with it)'),
    met: z.boolean().nullable().describe('null: no figure, no figure of the year before, or no target'),
    available: z.boolean().describe('false: the indicator is not registered in this installation (暂无数据来源)'),
    indicator: IndicatorDefinition.nullable(),
    entry: GoalEntry.nullable(),
    basis: Basis.nullable(),
  })
  .meta({ id: 'GoalItem' });
export type GoalItem = z.infer<typeof GoalItem>;

export const GoalsQuery = z.object({
  year: GoalYear.optional().describe('default: this year'),
  unit: UnitCode.optional().describe('default: the caller’s own city or county'),
});
export const GoalsDashboard = z.object({ year: z.number().int(), unit: GoalUnit, items: z.array(GoalItem) }).meta({ id: 'GoalsDashboard' });

export const GoalsMatrixQuery = z.object({ year: GoalYear.optional().describe('default: this year') });
const MatrixCell = z.object({ code: z.string(), value: z.number().nullable(), met: z.boolean().nullable(), available: z.boolean() });
export const GoalsMatrix = z
  .object({
    year: z.number().int(),
    measures: z.array(
      z.object({
        code: z.string(),
        title: z.string(),
        titleEn: z.string(),
        group: GoalGroup,
        method: GoalMethod,
        unit: z.string().nullable(),
      }),
    ),
    rows: z.array(z.object({ unit: GoalUnit, cells: z.array(MatrixCell) })),
  })
  .meta({ id: 'GoalsMatrix' });

export const TrendQuery = z.object({
  unit: UnitCode.optional().describe('default: the caller’s own city or county'),
  measure: MeasureCode,
  from: GoalYear.optional().describe('first year; default four years before `to`'),
  to: GoalYear.optional().describe('last year; default this year'),
});
export const GoalTrend = z
  .object({
    unit: GoalUnit,
    measure: GoalMeasure,
    points: z.array(z.object({ year: z.number().int(), value: z.number().nullable(), met: z.boolean().nullable() })),
  })
  .meta({ id: 'GoalTrend' });
