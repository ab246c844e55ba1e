import { api, type JsonBody, type Schemas, unwrap } from './client';

/** The goals dashboard (创建目标, notice clauses 一, 二): measures, their figures and judgements. */
export type GoalsDashboard = Schemas['GoalsDashboard'];
export type GoalItem = Schemas['GoalItem'];
export type GoalsMatrix = Schemas['GoalsMatrix'];
export type GoalTrend = Schemas['GoalTrend'];
export type GoalMeasure = Schemas['GoalMeasure'];
export type GoalEntry = Schemas['GoalEntry'];
export type GoalGroup = GoalMeasure['group'];
export type TargetOp = GoalMeasure['targetOp'];
export type PutGoalEntryInput = JsonBody<'/api/goals/entries', 'put'>;
export type CreateGoalMeasureInput = JsonBody<'/api/goals/measures', 'post'>;
export type UpdateGoalMeasureInput = JsonBody<'/api/goals/measures/{code}', 'patch'>;

export const GOAL_GROUPS: GoalGroup[] = ['ensure', 'goal', 'public'];
export const TARGET_OPS: TargetOp[] = ['eq', 'lte', 'lt', 'gte', 'gt', 'grow', 'not_decline', 'decline', 'not_grow', 'none'];
/** Targets that compare with a value (the others compare with the year before, or judge nothing). */
export const VALUE_OPS: TargetOp[] = ['eq', 'lte', 'lt', 'gte', 'gt'];

export const getGoals = (year: number, unit?: string) => unwrap(api.GET('/api/goals', { params: { query: { year, unit } } }));
export const getGoalsMatrix = (year: number) => unwrap(api.GET('/api/goals/matrix', { params: { query: { year } } }));
export const getGoalTrend = (measure: string, from: number, to: number, unit?: string) =>
  unwrap(api.GET('/api/goals/trend', { params: { query: { measure, from, to, unit } } }));
export const putGoalEntry = (body: PutGoalEntryInput) => unwrap(api.PUT('/api/goals/entries', { body }));
export const deleteGoalEntry = (id: string) => unwrap(api.DELETE('/api/goals/entries/{id}', { params: { path: { id } } }));

export const listGoalMeasures = () => unwrap(api.GET('/api/goals/measures', { params: { query: { all: 'true' } } }));
export const createGoalMeasure = (body: CreateGoalMeasureInput) => unwrap(api.POST('/api/goals/measures', { body }));
export const updateGoalMeasure = (code: string, body: UpdateGoalMeasureInput) =>
  unwrap(api.PATCH('/api/goals/measures/{code}', { params: { path: { code } }, body }));
export const deleteGoalMeasure = (code: string, version: number) =>
  unwrap(api.DELETE('/api/goals/measures/{code}', { params: { path: { code } }, body: { version } }));
