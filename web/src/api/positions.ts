import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

/** Where a device last was and the colour it is drawn in (the initial picture of the command map). */
export type LiveDevice = Schemas['LiveDevice'];
export type DeviceState = LiveDevice['state'];
export type Position = Schemas['Position'];
export type PositionsQuery = QueryOf<'/api/positions', 'get'>;
/** A fix the ranger page sends (the schema takes any date form for `fixTime`; the page sends ISO strings). */
export type BrowserFix = Omit<JsonBody<'/api/me/positions', 'post'>['fixes'][number], 'fixTime'> & { fixTime: string };
export type SosInput = JsonBody<'/api/me/sos', 'post'>;

/** The states the map colours by, in the order the header strip counts them. */
export const DEVICE_STATES: DeviceState[] = ['sos', 'patrolling', 'idle', 'silent'];

export const listLivePositions = (bbox?: string) => unwrap(api.GET('/api/positions/live', { params: { query: { bbox } } }));
export const listPositions = (query: PositionsQuery) => unwrap(api.GET('/api/positions', { params: { query } }));
/** The ranger page's own fixes (at most 1,000 a call). */
export const reportMyPositions = (fixes: BrowserFix[]) => unwrap(api.POST('/api/me/positions', { body: { fixes } }));
export const sendSos = (body: SosInput) => unwrap(api.POST('/api/me/sos', { body }));
