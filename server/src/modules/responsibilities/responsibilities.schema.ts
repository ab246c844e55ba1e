import { z } from 'zod';
import { CalendarDate } from '../../platform/dates.js';
import { StoredFile } from '../../platform/files/files.schema.js';
import { Paging } from '../../platform/paging.js';
import { UnitResult } from '../assessment/assessment.schema.js';

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) =>
  text(max)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));

/** Years a register may be kept for. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;
const Year = z.number().int().min(FIRST_YEAR).max(LAST_YEAR);
const QueryYear = z.coerce.number().int().min(FIRST_YEAR).max(LAST_YEAR);

/** Kinds of org unit that keep a register: the levels the notice makes responsible and assesses (clause 五). */
export const REGISTER_UNIT_KINDS = ['city', 'county', 'township', 'nature_reserve', 'forest_farm'] as const;

/** How a target task is measured: an assessment item, a computed indicator, or evidence to upload. */
export const MEASURE_KINDS = ['assessment_item', 'indicator', 'evidence'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/** The results of a check by the level above: 合格, 基本合格, 不合格. */
export const CHECK_RESULTS = ['pass', 'basic_pass', 'fail'] as const;

/** A work plan's or a task's state against its date, computed in SQL against today in China. */
export const PLAN_STATUSES = ['on_time', 'late', 'pending', 'missing'] as const;

const Phone = text(30).regex(/^\+?[0-9][0-9 -]{4,28}$/, 'a phone number: digits, spaces and dashes');

const LeaderInput = z.object({
  name: text(50).nullable().optional(),
  post: text(100).nullable().optional(),
  phone: Phone.or(z.literal('')).nullable().optional(),
});
const Leader = z
  .object({ name: z.string().nullable(), post: z.string().nullable(), phone: z.string().nullable() })
  .meta({ id: 'ResponsibleLeader' });

const WorkPlanInput = z.object({
  title: text(200).nullable().optional(),
  date: CalendarDate.nullable().optional().describe('the date of the document (YYYY-MM-DD)'),
  fileId: z.string().uuid().nullable().optional().describe('an uploaded file (POST /api/files) of your area'),
});

const RegisterFields = {
  leader: LeaderInput.optional().describe('主要领导: the leader in overall charge'),
  leaderInCharge: LeaderInput.optional().describe('分管领导: the leader in charge'),
  workPlan: WorkPlanInput.optional().describe('专题研究/工作方案: the year’s work plan'),
};

export const CreateRegisterBody = z
  .object({
    orgUnitId: z.number().int().positive().describe('the city, a county, township, nature reserve or forest farm of your area'),
    year: Year,
    ...RegisterFields,
  })
  .meta({ id: 'CreateResponsibilityRegister' });
export type CreateRegisterInput = z.infer<typeof CreateRegisterBody>;

export const UpdateRegisterBody = z
  .object({ ...RegisterFields, version: z.number().int().positive().describe('the version you read; a newer one answers 409') })
  .meta({ id: 'UpdateResponsibilityRegister' });
export type UpdateRegisterInput = z.infer<typeof UpdateRegisterBody>;

export const CheckSummary = z
  .object({
    id: z.string().uuid(),
    result: z.enum(CHECK_RESULTS),
    comments: z.string().nullable(),
    checkedBy: z.string(),
    checkedByName: z.string(),
    checkerOrgUnitName: z.string(),
    checkedAt: z.date(),
  })
  .meta({ id: 'ResponsibilityCheck' });
export type CheckSummary = z.infer<typeof CheckSummary>;

export const Task = z
  .object({
    id: z.string().uuid(),
    registerId: z.string().uuid(),
    orgUnitId: z.number().int(),
    title: z.string(),
    description: z.string().nullable(),
    ownerName: z.string().nullable(),
    ownerUnit: z.string().nullable(),
    deadline: z.string().describe('YYYY-MM-DD'),
    measureKind: z.enum(MEASURE_KINDS),
    measureRef: z.string().nullable().describe('the assessment item code or the indicator key'),
    measureNote: z.string().nullable(),
    percent: z.number().int().describe('the latest progress report’s percent (0 when none)'),
    lastProgressAt: z.date().nullable(),
    overdue: z.boolean().describe('the deadline has passed (China Standard Time) and the task is not at 100 %'),
    latestCheck: CheckSummary.nullable(),
    version: z.number().int(),
    createdAt: z.date(),
  })
  .meta({ id: 'ResponsibilityTask' });
export type Task = z.infer<typeof Task>;

export const Register = z
  .object({
    id: z.string().uuid(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    orgUnitKind: z.string(),
    orgUnitCode: z.string().nullable(),
    year: z.number().int(),
    leader: Leader,
    leaderInCharge: Leader,
    workPlan: z.object({
      title: z.string().nullable(),
      date: z.string().nullable(),
      file: StoredFile.nullable(),
      deadline: z.string().describe('the year’s deadline for the work plan'),
      status: z.enum(PLAN_STATUSES).describe('on_time / late against the deadline; pending before it, missing after it'),
    }),
    tasks: z.array(Task),
    taskCount: z.number().int(),
    completedCount: z.number().int(),
    overdueCount: z.number().int(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'ResponsibilityRegister' });
export type Register = z.infer<typeof Register>;

export const ListRegistersQuery = z.object({
  year: QueryYear.optional(),
  orgUnitId: z.coerce.number().int().positive().optional().describe('the registers of this unit’s subtree'),
  ...Paging,
});
export type RegisterFilter = { year?: number; orgUnitId?: number };
export const RegisterList = z.object({ items: z.array(Register), total: z.number().int() });
export const RegisterIdParams = z.object({ id: z.string().uuid() });
export const TaskIdParams = z.object({ taskId: z.string().uuid() });

const TaskFields = z.object({
  title: text(200).min(1),
  description: optionalText(2000),
  ownerName: optionalText(50).describe('the person responsible'),
  ownerUnit: optionalText(100).describe('the unit or department responsible'),
  deadline: CalendarDate,
  measureKind: z.enum(MEASURE_KINDS),
  measureRef: optionalText(60).describe('an assessment item code (assessment_item) or an indicator key (indicator)'),
  measureNote: optionalText(500),
});
export const CreateTaskBody = TaskFields.meta({ id: 'CreateResponsibilityTask' });
export type CreateTaskInput = z.infer<typeof CreateTaskBody>;
export const UpdateTaskBody = TaskFields.partial()
  .extend({ version: z.number().int().positive().describe('the version you read; a newer one answers 409') })
  .meta({ id: 'UpdateResponsibilityTask' });
export type UpdateTaskInput = z.infer<typeof UpdateTaskBody>;
export const DeleteTaskBody = z.object({ version: z.number().int().positive().optional() });

export const Progress = z
  .object({
    id: z.string().uuid(),
    taskId: z.string().uuid(),
    percent: z.number().int(),
    text: z.string(),
    files: z.array(StoredFile),
    reportedBy: z.string(),
    reportedByName: z.string(),
    reportedAt: z.date(),
  })
  .meta({ id: 'ResponsibilityProgress' });
export type Progress = z.infer<typeof Progress>;

export const CreateProgressBody = z
  .object({
    percent: z.number().int().min(0).max(100),
    text: text(2000).min(1),
    fileIds: z.array(z.string().uuid()).max(20).default([]).describe('uploaded files (POST /api/files) of your area'),
  })
  .meta({ id: 'CreateResponsibilityProgress' });
export type CreateProgressInput = z.infer<typeof CreateProgressBody>;

export const CreateCheckBody = z
  .object({ result: z.enum(CHECK_RESULTS), comments: optionalText(2000) })
  .meta({ id: 'CreateResponsibilityCheck' });
export type CreateCheckInput = z.infer<typeof CreateCheckBody>;

export const TaskDetail = Task.extend({ progress: z.array(Progress), checks: z.array(CheckSummary) }).meta({
  id: 'ResponsibilityTaskDetail',
});

export const DeadlineQuery = z.object({ year: QueryYear.optional().describe('default: this year in China') });
export const DeadlineParams = z.object({ year: QueryYear });
export const Deadline = z
  .object({ year: z.number().int(), planDeadline: z.string(), isDefault: z.boolean().describe('no deadline was set: 31 March') })
  .meta({ id: 'ResponsibilityDeadline' });
export const SetDeadlineBody = z.object({ planDeadline: CalendarDate });

/** One task in the five "同" (同部署、同落实、同检查、同考核、同奖惩). */
export const FiveSameRow = z
  .object({
    taskId: z.string().uuid(),
    title: z.string(),
    deployed: z.object({ deadline: z.string(), ownerName: z.string().nullable(), ownerUnit: z.string().nullable(), at: z.date() }),
    implemented: z.object({ percent: z.number().int(), at: z.date().nullable(), overdue: z.boolean() }),
    checked: CheckSummary.nullable(),
    assessed: z
      .object({ kind: z.enum(MEASURE_KINDS), ref: z.string().nullable() })
      .describe('what the task feeds in the assessment: an item code, an indicator key, or evidence'),
    rewarded: z
      .object({
        itemPoints: z
          .number()
          .nullable()
          .describe('the final points of the item the task feeds; null until final, or when it feeds no item'),
      })
      .nullable()
      .describe("同奖惩; null when the unit was not assessed this year (the result itself is the view's `result`)"),
  })
  .meta({ id: 'FiveSameRow' });
export const FiveSame = z
  .object({
    registerId: z.string().uuid(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    year: z.number().int(),
    result: UnitResult.nullable().describe("the unit's assessment result of the year; null when it was not assessed"),
    rows: z.array(FiveSameRow),
  })
  .meta({ id: 'ResponsibilityFiveSame' });
export type FiveSame = z.infer<typeof FiveSame>;
