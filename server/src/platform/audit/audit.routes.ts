import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { DateTime } from '../dates.js';
import { type App, actorOf, errorResponses } from '../http.js';
import { pageWindow, pagingQuery } from '../paging.js';
import type { AuditRepo } from './audit.repo.js';

const AuditQuery = z.object({
  entity: z.string().max(64).optional(),
  entityId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  actor: z.string().max(64).optional(),
  from: DateTime.optional(),
  to: DateTime.optional(),
  ...pagingQuery(50),
});

const AuditRow = z
  .object({
    id: z.number(),
    at: z.date(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    orgUnitId: z.number().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    address: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

export function registerAuditRoutes(app: App, { db, auditRepo }: { db: Db; auditRepo: AuditRepo }) {
  app.get('/api/audit', {
    config: { access: 'audit:read' },
    schema: {
      operationId: 'listAudit',
      tags: ['audit'],
      summary: 'The audit log of the caller’s subtree, newest first',
      querystring: AuditQuery,
      response: { 200: z.object({ items: z.array(AuditRow), total: z.number() }), ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return auditRepo.list(db, actorOf(request), { ...filter, ...pageWindow({ page, pageSize }) });
    },
  });
}
