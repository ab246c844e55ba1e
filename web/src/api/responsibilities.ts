import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

/** A unit's responsibility register (责任体系) of a year: leaders, work plan, target tasks. */
export type Register = Schemas['ResponsibilityRegister'];
export type Leader = Schemas['ResponsibleLeader'];
export type ResponsibilityTask = Schemas['ResponsibilityTask'];
export type TaskDetail = Schemas['ResponsibilityTaskDetail'];
export type TaskProgress = Schemas['ResponsibilityProgress'];
export type TaskCheck = Schemas['ResponsibilityCheck'];
export type FiveSame = Schemas['ResponsibilityFiveSame'];
export type RegisterQuery = QueryOf<'/api/responsibilities', 'get'>;
export type CreateRegisterInput = JsonBody<'/api/responsibilities', 'post'>;
export type UpdateRegisterInput = JsonBody<'/api/responsibilities/{id}', 'patch'>;
export type TaskInput = JsonBody<'/api/responsibilities/{id}/tasks', 'post'>;
export type UpdateTaskInput = JsonBody<'/api/responsibilities/tasks/{taskId}', 'patch'>;
export type ProgressInput = JsonBody<'/api/responsibilities/tasks/{taskId}/progress', 'post'>;
export type CheckInput = JsonBody<'/api/responsibilities/tasks/{taskId}/checks', 'post'>;

export const MEASURE_KINDS = ['assessment_item', 'indicator', 'evidence'] as const;
export const CHECK_RESULTS = ['pass', 'basic_pass', 'fail'] as const;

export const listRegisters = (query: RegisterQuery) => unwrap(api.GET('/api/responsibilities', { params: { query } }));
export const getRegister = (id: string) => unwrap(api.GET('/api/responsibilities/{id}', { params: { path: { id } } }));
export const createRegister = (body: CreateRegisterInput) => unwrap(api.POST('/api/responsibilities', { body }));
export const updateRegister = (id: string, body: UpdateRegisterInput) =>
  unwrap(api.PATCH('/api/responsibilities/{id}', { params: { path: { id } }, body }));
export const getFiveSame = (id: string) => unwrap(api.GET('/api/responsibilities/{id}/five-same', { params: { path: { id } } }));

export const createTask = (registerId: string, body: TaskInput) =>
  unwrap(api.POST('/api/responsibilities/{id}/tasks', { params: { path: { id: registerId } }, body }));
export const getTask = (taskId: string) => unwrap(api.GET('/api/responsibilities/tasks/{taskId}', { params: { path: { taskId } } }));
export const updateTask = (taskId: string, body: UpdateTaskInput) =>
  unwrap(api.PATCH('/api/responsibilities/tasks/{taskId}', { params: { path: { taskId } }, body }));
export const deleteTask = (taskId: string, version: number) =>
  unwrap(api.DELETE('/api/responsibilities/tasks/{taskId}', { params: { path: { taskId } }, body: { version } }));
export const reportProgress = (taskId: string, body: ProgressInput) =>
  unwrap(api.POST('/api/responsibilities/tasks/{taskId}/progress', { params: { path: { taskId } }, body }));
export const checkTask = (taskId: string, body: CheckInput) =>
  unwrap(api.POST('/api/responsibilities/tasks/{taskId}/checks', { params: { path: { taskId } }, body }));

export const getDeadline = (year: number) => unwrap(api.GET('/api/responsibilities/deadline', { params: { query: { year } } }));
export const setDeadline = (year: number, planDeadline: string) =>
  unwrap(api.PUT('/api/responsibilities/deadline/{year}', { params: { path: { year } }, body: { planDeadline } }));
