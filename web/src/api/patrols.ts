import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

export type Patrol = Schemas['Patrol'];
/** A patrol with its track and check-ins, as the client receives it (openapi-fetch's view of the schema). */
export type PatrolDetail = Awaited<ReturnType<typeof startPatrol>>;
export type DayTrack = Awaited<ReturnType<typeof getDayTrack>>;
export type CheckinPoint = Awaited<ReturnType<typeof listCheckinPoints>>['items'][number];
export type Checkin = Schemas['Checkin'];
export type PatrolQuery = QueryOf<'/api/patrols', 'get'>;
export type CheckinInput = JsonBody<'/api/patrols/{id}/checkins', 'post'>;

export const startPatrol = (note?: string) => unwrap(api.POST('/api/patrols/start', { body: note ? { note } : {} }));
export const endPatrol = (id: string, note?: string) =>
  unwrap(api.POST('/api/patrols/{id}/end', { params: { path: { id } }, body: note ? { note } : {} }));
/** The signed-in ranger's active patrol with its track so far (`patrol` is null when none). */
export const getCurrentPatrol = () => unwrap(api.GET('/api/patrols/current'));
export const listPatrols = (query: PatrolQuery) => unwrap(api.GET('/api/patrols', { params: { query } }));
export const checkIn = (patrolId: string, body: CheckinInput) =>
  unwrap(api.POST('/api/patrols/{id}/checkins', { params: { path: { id: patrolId } }, body }));
export const listCheckinPoints = (query: QueryOf<'/api/checkin-points', 'get'> = {}) =>
  unwrap(api.GET('/api/checkin-points', { params: { query } }));
/** A ranger's fixes of one day (China Standard Time, `YYYY-MM-DD`) with the time and speed of each. */
export const getDayTrack = (rangerId: string, date: string) =>
  unwrap(api.GET('/api/rangers/{id}/track', { params: { path: { id: rangerId }, query: { date } } }));
