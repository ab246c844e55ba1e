import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

/** An emergency plan (应急预案) of the city or a county: who is notified and the steps to take. */
export type EmergencyPlan = Schemas['EmergencyPlan'];
export type PlanNotify = EmergencyPlan['notify'];
export type PlanContact = PlanNotify['contacts'][number];
export type PlanActivation = Schemas['PlanActivation'];
export type PlanStep = PlanActivation['steps'][number];
export type PlanQuery = QueryOf<'/api/plans', 'get'>;
export type CreatePlanInput = JsonBody<'/api/plans', 'post'>;
export type UpdatePlanInput = JsonBody<'/api/plans/{id}', 'patch'>;

/** Response levels Ⅰ (most severe) to Ⅳ. */
export const PLAN_LEVELS = [1, 2, 3, 4] as const;
/** The roles a plan may notify by (staff of the chosen units holding them). */
export const NOTIFY_ROLES = ['city_office', 'county_office', 'duty_officer', 'police', 'ranger', 'checkpoint_staff', 'liaison'] as const;

export const listPlans = (query: PlanQuery) => unwrap(api.GET('/api/plans', { params: { query } }));
export const getPlan = (id: string) => unwrap(api.GET('/api/plans/{id}', { params: { path: { id } } }));
export const createPlan = (body: CreatePlanInput) => unwrap(api.POST('/api/plans', { body }));
export const updatePlan = (id: string, body: UpdatePlanInput) => unwrap(api.PATCH('/api/plans/{id}', { params: { path: { id } }, body }));
export const deletePlan = (id: string, version: number) =>
  unwrap(api.DELETE('/api/plans/{id}', { params: { path: { id } }, body: { version } }));

/** Activates a plan on an incident: writes its checklist and queues its notifications. */
export const activatePlan = (planId: string, incidentId: string) =>
  unwrap(api.POST('/api/plans/{id}/activate', { params: { path: { id: planId } }, body: { incidentId } }));
export const listActivations = (incidentId: string) =>
  unwrap(api.GET('/api/incidents/{id}/plan-activations', { params: { path: { id: incidentId } } }));
/** Checks a step off (or on again); `step` counts from 1. */
export const checkPlanStep = (activationId: string, step: number, done: boolean, version: number) =>
  unwrap(api.POST('/api/plan-activations/{id}/steps/{step}', { params: { path: { id: activationId, step } }, body: { done, version } }));
