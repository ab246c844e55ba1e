import { api, type QueryOf, type Schemas, unwrap } from './client';

export type AuditEntry = Schemas['AuditEntry'];
export type AuditQuery = QueryOf<'/api/audit', 'get'>;

export const listAudit = (query: AuditQuery) => unwrap(api.GET('/api/audit', { params: { query } }));
