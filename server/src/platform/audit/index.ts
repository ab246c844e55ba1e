import type { Db } from '../../db/connection.js';
import type { App } from '../http.js';
import { createAuditRepo } from './audit.repo.js';
import { registerAuditRoutes } from './audit.routes.js';

/** The audit log: `runChange` writes through its repo; its route lists the log of the caller's subtree. */
export function createAuditModule({ db }: { db: Db }) {
  const auditRepo = createAuditRepo();
  return { name: 'audit', auditRepo, registerRoutes: (app: App) => registerAuditRoutes(app, { db, auditRepo }) };
}
