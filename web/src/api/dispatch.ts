import { api, type JsonBody, unwrap } from './client';

/** Units suggested for an incident, nearest first, as the client receives them. */
export type Suggestion = Awaited<ReturnType<typeof getSuggestions>>['items'][number];
export type Assignment = Awaited<ReturnType<typeof listAssignments>>['items'][number];
export type MyAssignment = Awaited<ReturnType<typeof listMyAssignments>>['items'][number];
export type AssignmentStatus = Assignment['status'];
export type ReportedStatus = JsonBody<'/api/me/assignments/{id}/status', 'post'>['status'];

export const ASSIGNMENT_STATUSES: AssignmentStatus[] = ['assigned', 'accepted', 'en_route', 'on_scene', 'done', 'declined'];
/** Which status a unit may report next (the server's rule, for the buttons shown). */
export const NEXT_ASSIGNMENT_STATUSES: Record<AssignmentStatus, ReportedStatus[]> = {
  assigned: ['accepted', 'declined', 'en_route', 'on_scene'],
  accepted: ['en_route', 'on_scene', 'declined'],
  en_route: ['on_scene', 'declined'],
  on_scene: ['done'],
  done: [],
  declined: [],
};

export const getSuggestions = (id: string, limit = 10) =>
  unwrap(api.GET('/api/incidents/{id}/suggestions', { params: { path: { id }, query: { limit } } }));
export const listAssignments = (id: string) => unwrap(api.GET('/api/incidents/{id}/assignments', { params: { path: { id } } }));
export const dispatchUnits = (id: string, units: { kind: Suggestion['kind']; id: string }[], note?: string) =>
  unwrap(api.POST('/api/incidents/{id}/dispatch', { params: { path: { id } }, body: { units, note } }));
export const listMyAssignments = () => unwrap(api.GET('/api/me/assignments'));
export const setMyAssignmentStatus = (id: string, status: ReportedStatus, reason?: string, version?: number) =>
  unwrap(api.POST('/api/me/assignments/{id}/status', { params: { path: { id } }, body: { status, reason, version } }));
