import { z } from 'zod';
import { yearInRange } from '../../platform/dates.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR = /^\d{4}$/;

export const PERFORMANCE_LEVELS = ['grid', 'township', 'county'] as const;
export const PerformanceLevel = z.enum(PERFORMANCE_LEVELS);
export type PerformanceLevel = z.infer<typeof PerformanceLevel>;

/** The query's fields; `month` or `year`, exactly one of them (see `onePeriod`). */
const PerformanceQueryFields = z.object({
  month: z
    .string()
    .regex(MONTH, { error: 'expected YYYY-MM, e.g. 2026-03', abort: true })
    .refine((month) => yearInRange(Number(month.slice(0, 4))), 'the year is outside 1900–2200')
    .optional()
    .describe('a calendar month in China Standard Time; give it or `year`'),
  year: z
    .string()
    .regex(YEAR, { error: 'expected YYYY, e.g. 2026', abort: true })
    .refine((year) => yearInRange(Number(year)), 'the year is outside 1900–2200')
    .optional()
    .describe('a whole calendar year in China Standard Time, instead of `month`'),
  orgUnitId: z.coerce.number().int().positive().optional().describe('only rangers assigned to, or commanded by, this unit’s subtree'),
});

/** A month or a year, never both and never neither. */
function onePeriod(query: { month?: string; year?: string }, ctx: z.RefinementCtx) {
  if (query.month !== undefined && query.year !== undefined)
    ctx.addIssue({ code: 'custom', path: ['year'], message: 'give either month or year, not both' });
  else if (query.month === undefined && query.year === undefined)
    ctx.addIssue({ code: 'custom', path: ['month'], message: 'required: a month YYYY-MM (or a year YYYY)' });
}

export const PerformanceQuery = PerformanceQueryFields.superRefine(onePeriod);
export type PerformanceQuery = z.infer<typeof PerformanceQuery>;

export const PerformanceSummaryQuery = PerformanceQueryFields.extend({ level: PerformanceLevel.default('county') }).superRefine(onePeriod);

const rate = (what: string) => z.number().nullable().describe(`${what}; 0..1, null when no day of the period has begun`);

export const RangerPerformance = z
  .object({
    rangerId: z.string().uuid(),
    rangerName: z.string(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    countyId: z.number().int().nullable(),
    countyName: z.string().nullable(),
    patrolDays: z.number().int().describe('days (China Standard Time) on which the ranger was on patrol at any moment'),
    patrolHours: z.number().describe('hours on patrol within the month (a patrol across the month’s edge counts its part)'),
    patrolKm: z.number().describe('km along the valid fixes of the ranger’s patrols within the month'),
    onlineDays: z.number().int().describe('days with at least one fix received from the ranger’s devices'),
    onPostRate: rate('上岗率: patrol days / days counted'),
    onlineRate: rate('上线率: online days / days counted'),
    coverage: z
      .number()
      .nullable()
      .describe(
        'share of the ~500 m cells of the assigned area holding at least one valid fix of the month; null when the unit has no area',
      ),
    visitedCells: z.number().int(),
    areaCells: z.number().int().nullable(),
    checkins: z.number().int(),
    reports: z.number().int().describe('field reports made in the month'),
  })
  .meta({ id: 'RangerPerformance' });
export type RangerPerformance = z.infer<typeof RangerPerformance>;

const PeriodWindow = {
  month: z.string().optional().describe('the month asked for (absent when a year was asked for)'),
  year: z.number().int().describe('the year asked for, or the month’s year'),
  from: z.date(),
  to: z.date(),
  daysCounted: z
    .number()
    .int()
    .describe('days of the period up to and including today (China Standard Time): the denominator of the rates'),
};

export const RangerPerformanceList = z.object({ ...PeriodWindow, items: z.array(RangerPerformance) }).meta({ id: 'RangerPerformanceList' });

export const UnitPerformance = z
  .object({
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    orgUnitKind: z.string().describe('the level asked for, or the rangers’ own unit when it lies above that level'),
    countyName: z.string().nullable(),
    rangers: z.number().int(),
    patrolDays: z.number().int().describe('sum over the rangers'),
    patrolHours: z.number().describe('sum over the rangers'),
    patrolKm: z.number().describe('sum over the rangers'),
    onlineDays: z.number().int().describe('sum over the rangers'),
    onPostRate: z.number().nullable().describe('mean of the rangers’ rates'),
    onlineRate: z.number().nullable().describe('mean of the rangers’ rates'),
    coverage: z.number().nullable().describe('mean of the rangers’ coverage (rangers whose unit has an area)'),
    checkins: z.number().int().describe('sum over the rangers'),
    reports: z.number().int().describe('sum over the rangers'),
  })
  .meta({ id: 'UnitPerformance' });
export type UnitPerformance = z.infer<typeof UnitPerformance>;

export const UnitPerformanceList = z
  .object({ ...PeriodWindow, level: PerformanceLevel, items: z.array(UnitPerformance) })
  .meta({ id: 'UnitPerformanceList' });

/** The workbook of GET /api/performance/rangers/export: Chinese headers as offices read them. */
export const PERFORMANCE_SHEET_COLUMNS: { header: string; width?: number; value: (r: RangerPerformance) => string | number | null }[] = [
  { header: '护林员', width: 12, value: (r) => r.rangerName },
  { header: '县区', width: 12, value: (r) => r.countyName },
  { header: '责任区域', width: 24, value: (r) => r.orgUnitName },
  { header: '巡护天数', value: (r) => r.patrolDays },
  { header: '巡护时长(小时)', value: (r) => r.patrolHours },
  { header: '巡护里程(公里)', value: (r) => r.patrolKm },
  { header: '在线天数', value: (r) => r.onlineDays },
  { header: '上岗率(%)', value: (r) => percent(r.onPostRate) },
  { header: '上线率(%)', value: (r) => percent(r.onlineRate) },
  { header: '区域覆盖率(%)', value: (r) => percent(r.coverage) },
  { header: '打卡次数', value: (r) => r.checkins },
  { header: '上报事件数', value: (r) => r.reports },
];

function percent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}
