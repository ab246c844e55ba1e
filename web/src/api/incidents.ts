import { saveDownload } from '@/utils/download';
import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

/** Incidents as the client receives them (openapi-fetch's view of the schemas). */
export type Incident = Awaited<ReturnType<typeof listIncidents>>['items'][number];
export type IncidentDetail = Awaited<ReturnType<typeof getIncident>>;
export type IncidentCategory = Schemas['IncidentCategory'];
export type IncidentTimelineEntry = IncidentDetail['timeline'][number];
export type IncidentReport = IncidentDetail['reports'][number];
export type IncidentStatus = Incident['status'];
export type IncidentSource = Incident['source'];
export type IncidentQuery = QueryOf<'/api/incidents', 'get'>;
export type CreateIncidentInput = JsonBody<'/api/incidents', 'post'>;
export type IncidentStatusChange = JsonBody<'/api/incidents/{id}/status', 'post'>;
/** An `incident` message of the live socket (topic `incidents`): sent when one opens and on every change. */
export type IncidentMessage = { type: 'incident'; incident: Incident };

export const INCIDENT_STATUSES: IncidentStatus[] = ['new', 'dispatched', 'on_scene', 'resolved', 'closed', 'merged', 'false_alarm'];
export const INCIDENT_SOURCES: IncidentSource[] = ['phone', 'tipoff', 'sos', 'hotspot', 'field_report', 'camera', 'watchlist', 'manual'];
export const INCIDENT_PRIORITIES = [1, 2, 3, 4] as const;
/** Statuses in which an incident is still being handled. */
export const OPEN_STATUSES: IncidentStatus[] = ['new', 'dispatched', 'on_scene'];

/**
 * The status changes an officer may make next, as the server allows them
 * (`POST /api/incidents/:id/status`; `merged` is reached only by merging).
 */
export const NEXT_STATUSES: Record<IncidentStatus, IncidentStatusChange['status'][]> = {
  new: ['dispatched', 'on_scene', 'resolved', 'false_alarm'],
  dispatched: ['on_scene', 'resolved', 'false_alarm'],
  on_scene: ['resolved', 'false_alarm'],
  resolved: ['closed'],
  closed: [],
  merged: [],
  false_alarm: [],
};

export const listIncidentCategories = () => unwrap(api.GET('/api/incident-categories'));
export const listIncidents = (query: IncidentQuery) => unwrap(api.GET('/api/incidents', { params: { query } }));
export const getIncident = (id: string) => unwrap(api.GET('/api/incidents/{id}', { params: { path: { id } } }));
export const createIncident = (body: CreateIncidentInput) => unwrap(api.POST('/api/incidents', { body }));
export const setIncidentStatus = (id: string, body: IncidentStatusChange) =>
  unwrap(api.POST('/api/incidents/{id}/status', { params: { path: { id } }, body }));
export const addIncidentNote = (id: string, text: string) =>
  unwrap(api.POST('/api/incidents/{id}/notes', { params: { path: { id } }, body: { text } }));
export const addIncidentPhoto = (id: string, fileId: string) =>
  unwrap(api.POST('/api/incidents/{id}/photos', { params: { path: { id } }, body: { fileId } }));
export const mergeIncident = (id: string, intoId: string, note?: string) =>
  unwrap(api.POST('/api/incidents/{id}/merge', { params: { path: { id } }, body: { intoId, note } }));
export const splitIncident = (id: string, reportId: string, note?: string) =>
  unwrap(api.POST('/api/incidents/{id}/split', { params: { path: { id } }, body: { reportId, note } }));

/** The address a stored file (a photo) is shown from. */
export const fileUrl = (fileId: string) => `/api/files/${encodeURIComponent(fileId)}`;

export type PublishIncidentInput = JsonBody<'/api/incidents/{id}/publish', 'post'>;
/** Publishes the incident as a public CAP 1.2 warning (again: an Update of it). */
export const publishIncident = (id: string, body: PublishIncidentInput) =>
  unwrap(api.POST('/api/incidents/{id}/publish', { params: { path: { id } }, body }));
/** Withdraws the public warning (a CAP Cancel). */
export const unpublishIncident = (id: string) => unwrap(api.POST('/api/incidents/{id}/unpublish', { params: { path: { id } } }));

/** Whether the incident's public warning is out: its newest CAP entry in the timeline is a publication. */
export function isPublished(timeline: IncidentTimelineEntry[]): boolean {
  const last = [...timeline].reverse().find((e) => e.kind === 'cap_published' || e.kind === 'cap_cancelled');
  return last?.kind === 'cap_published';
}

/** Downloads the duty report of a day (值班日报, China Standard Time) of the user's area as an xlsx workbook. */
export async function exportDutyReport(date: string) {
  saveDownload(await api.GET('/api/duty-report', { params: { query: { date } }, parseAs: 'blob' }), `duty-report-${date}.xlsx`);
}
