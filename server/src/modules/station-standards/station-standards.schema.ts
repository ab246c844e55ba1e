import { z } from 'zod';
import { EARLIEST_YEAR, LATEST_YEAR } from '../../platform/dates.js';
import { GeoPoint } from '../../platform/geojson.schema.js';
import { oneOrMany, Paging } from '../../platform/paging.js';

const text = (max: number) => z.string().trim().max(max);

/** The five dimensions of the "五化" standard (notice clause 八), in the notice's order. */
export const DIMENSIONS = ['premises', 'greening', 'management', 'informatization', 'law_enforcement'] as const;
export const Dimension = z.enum(DIMENSIONS);
export type Dimension = z.infer<typeof Dimension>;
/** The dimensions as the notice words them. */
export const DIMENSION_NAMES: Record<Dimension, string> = {
  premises: '办公场所标准化',
  greening: '办公环境园林化',
  management: '队伍管理制度化',
  informatization: '基础工作信息化',
  law_enforcement: '执法办案规范化',
};

/** A station's level: 未达标, 达标, 示范. */
export const LEVELS = ['unqualified', 'standard', 'model'] as const;
export const Level = z.enum(LEVELS);
export type Level = z.infer<typeof Level>;

/** An item's result: pass, fail, or not applicable to this station (left out of the rates). */
export const RESULTS = ['pass', 'fail', 'na'] as const;
export const ItemResult = z.enum(RESULTS);
export type ItemResult = z.infer<typeof ItemResult>;

export const RATING_STATUSES = ['draft', 'submitted', 'returned', 'confirmed'] as const;
export const RatingStatus = z.enum(RATING_STATUSES);
export type RatingStatus = z.infer<typeof RatingStatus>;
/** A station's progress for a year, `not_started` when it has no rating yet. */
export const StationProgress = z.enum(['not_started', ...RATING_STATUSES]);

export const RatingYear = z.coerce.number().int().min(EARLIEST_YEAR).max(LATEST_YEAR);

// ---- the checklist ----

export const CheckItemInput = z.object({
  dimension: Dimension,
  code: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z][0-9A-Za-z.\-_]{0,19}$/, 'a short code such as 1.2 (letters, digits, . - _; at most 20)'),
  title: text(300).min(1),
  guidance: text(2000).nullable().optional().describe('how to judge the item'),
  evidence: text(500).nullable().optional().describe('the evidence to attach; an item naming evidence needs a file to pass'),
  key: z.boolean().default(false).describe('关键项: failing it keeps the station 未达标'),
});
export type CheckItemInput = z.infer<typeof CheckItemInput>;

export const CheckItem = z
  .object({
    id: z.string().uuid(),
    dimension: Dimension,
    code: z.string(),
    title: z.string(),
    guidance: z.string().nullable(),
    evidence: z.string().nullable(),
    key: z.boolean(),
    sortOrder: z.number().int(),
  })
  .meta({ id: 'StationCheckItem' });
export type CheckItem = z.infer<typeof CheckItem>;

export const Checklist = z
  .object({
    year: z.number().int(),
    sample: z.boolean(),
    standardRate: z.number().int(),
    modelRate: z.number().int(),
    notes: z.string().nullable(),
    version: z.number().int(),
    updatedBy: z.string(),
    updatedAt: z.date(),
    frozen: z.boolean().describe('a station of this year has submitted: the items can no longer change'),
    items: z.array(CheckItem),
  })
  .meta({ id: 'StationChecklist' });
export type Checklist = z.infer<typeof Checklist>;

export const ChecklistSummary = z
  .object({ year: z.number().int(), sample: z.boolean(), items: z.number().int(), frozen: z.boolean(), updatedAt: z.date() })
  .meta({ id: 'StationChecklistSummary' });
export const ChecklistList = z.object({ items: z.array(ChecklistSummary) });

export const SaveChecklistBody = z.object({
  standardRate: z.number().int().min(1).max(100),
  modelRate: z.number().int().min(1).max(100),
  notes: text(2000).nullable().optional(),
  items: z.array(CheckItemInput).min(1).max(300),
  version: z.number().int().optional().describe('the version read; absent when the year has no checklist yet'),
});
export type SaveChecklistBody = z.infer<typeof SaveChecklistBody>;

/** Problems of a checklist the schema cannot see: codes used twice, a 示范 rate below the 达标 rate. */
export function checklistProblems(body: Pick<SaveChecklistBody, 'standardRate' | 'modelRate' | 'items'>) {
  const problems: { path: string; message: string }[] = [];
  if (body.modelRate < body.standardRate) problems.push({ path: 'body.modelRate', message: 'the 示范 rate cannot be below the 达标 rate' });
  const seen = new Set<string>();
  body.items.forEach((item, i) => {
    if (seen.has(item.code)) problems.push({ path: `body.items.${i}.code`, message: `code ${item.code} is used twice` });
    seen.add(item.code);
  });
  for (const dimension of DIMENSIONS)
    if (!body.items.some((i) => i.dimension === dimension))
      problems.push({ path: 'body.items', message: `the dimension ${dimension} (${DIMENSION_NAMES[dimension]}) has no item` });
  return problems;
}

export const YearParams = z.object({ year: RatingYear });

// ---- ratings ----

export const RatingParams = z.object({ siteId: z.string().uuid(), year: RatingYear });

/** How many of a dimension's applicable items pass. */
export const DimensionScore = z
  .object({ dimension: Dimension, passed: z.number().int(), applicable: z.number().int(), rate: z.number().nullable() })
  .meta({ id: 'StationDimensionScore' });
export type DimensionScore = z.infer<typeof DimensionScore>;

export const RatingItem = z
  .object({
    item: CheckItem,
    selfResult: ItemResult.nullable(),
    selfNote: z.string().nullable(),
    evidenceFileIds: z.array(z.string().uuid()),
    reviewResult: ItemResult.nullable(),
    reviewComment: z.string().nullable(),
  })
  .meta({ id: 'StationRatingItem' });

export const Station = z
  .object({
    siteId: z.string().uuid(),
    name: z.string(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    countyId: z.number().int().nullable(),
    countyName: z.string().nullable(),
    location: GeoPoint,
  })
  .meta({ id: 'StandardStation' });

export const Rating = z
  .object({
    id: z.string().uuid().nullable().describe('null: the station has not started this year’s rating'),
    station: Station,
    year: z.number().int(),
    status: StationProgress,
    computedLevel: Level.nullable().describe('the level the results give (the review’s once reviewed, else the self-rating’s)'),
    level: Level.nullable().describe('the level the county confirmed'),
    levelComment: z.string().nullable(),
    reviewComment: z.string().nullable(),
    submittedAt: z.date().nullable(),
    submittedBy: z.string().nullable(),
    reviewedAt: z.date().nullable(),
    reviewedBy: z.string().nullable(),
    confirmedAt: z.date().nullable(),
    confirmedBy: z.string().nullable(),
    demo: z.boolean(),
    version: z.number().int(),
    checklist: z.object({ year: z.number().int(), sample: z.boolean(), standardRate: z.number().int(), modelRate: z.number().int() }),
    dimensions: z.array(DimensionScore),
    items: z.array(RatingItem),
  })
  .meta({ id: 'StationRating' });
export type Rating = z.infer<typeof Rating>;

export const SaveSelfRatingBody = z.object({
  version: z.number().int().optional().describe('the version read; absent when the rating is not started'),
  items: z
    .array(
      z.object({
        code: z.string().trim().min(1).max(20).describe('the check item’s code'),
        result: ItemResult.nullable(),
        note: text(2000).nullable().optional(),
        evidenceFileIds: z.array(z.string().uuid()).max(20).default([]),
      }),
    )
    .max(300),
});
export type SaveSelfRatingBody = z.infer<typeof SaveSelfRatingBody>;

export const VersionBody = z.object({ version: z.number().int() });

export const SaveReviewBody = z.object({
  version: z.number().int(),
  comment: text(2000).nullable().optional(),
  items: z
    .array(
      z.object({
        code: z.string().trim().min(1).max(20).describe('the check item’s code'),
        result: ItemResult.nullable(),
        comment: text(2000).nullable().optional(),
      }),
    )
    .max(300),
});
export type SaveReviewBody = z.infer<typeof SaveReviewBody>;

export const ReturnBody = z.object({ version: z.number().int(), comment: text(2000).min(1).describe('what the station must change') });

export const ReopenBody = z.object({
  version: z.number().int(),
  reason: text(2000).min(1).describe('why the confirmed level is reviewed again (a wrong result found, a re-check)'),
});
export type ReopenBody = z.infer<typeof ReopenBody>;

export const ConfirmBody = z.object({
  version: z.number().int(),
  level: Level.describe('the computed level or a lower one'),
  comment: text(2000).nullable().optional().describe('required when the level is lower than the computed one'),
});
export type ConfirmBody = z.infer<typeof ConfirmBody>;

// ---- the station list and the dashboard ----

export const StationFilterQuery = z.object({
  year: RatingYear.optional().describe('default: last year'),
  orgUnitId: z.coerce.number().int().positive().optional().describe('the subtree of this unit (a county)'),
  level: oneOrMany(z.enum([...LEVELS, 'none']))
    .optional()
    .describe('confirmed level; `none` for stations not confirmed yet'),
  status: oneOrMany(StationProgress).optional(),
  q: text(100).optional().describe('part of the station’s name'),
});
export type StationFilter = z.infer<typeof StationFilterQuery>;
export const ListStationsQuery = StationFilterQuery.extend({ ...Paging });

export const StationRow = z
  .object({
    station: Station,
    ratingId: z.string().uuid().nullable(),
    status: StationProgress,
    computedLevel: Level.nullable(),
    level: Level.nullable(),
    dimensions: z.array(DimensionScore),
    submittedAt: z.date().nullable(),
    confirmedAt: z.date().nullable(),
  })
  .meta({ id: 'StandardStationRow' });
export type StationRow = z.infer<typeof StationRow>;
export const StationList = z.object({ year: z.number().int(), items: z.array(StationRow), total: z.number().int() });

export const DashboardQuery = StationFilterQuery.pick({ year: true, orgUnitId: true });
export const LevelCounts = z.object({
  none: z.number().int().describe('stations without a confirmed level'),
  unqualified: z.number().int(),
  standard: z.number().int(),
  model: z.number().int(),
});
export const StandardsDashboard = z
  .object({
    year: z.number().int(),
    totals: LevelCounts.extend({ stations: z.number().int() }),
    byCounty: z.array(z.object({ orgUnitId: z.number().int(), name: z.string(), levels: LevelCounts })),
    byDimension: z.array(DimensionScore.extend({ stations: z.number().int().describe('confirmed stations counted') })),
  })
  .meta({ id: 'StationStandardsDashboard' });
export type StandardsDashboard = z.infer<typeof StandardsDashboard>;
