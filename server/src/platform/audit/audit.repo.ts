import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../actor.js';
import { unitOwnedOrUnowned } from '../scope.js';
import { auditLog } from './audit.tables.js';

export type AuditEntry = {
  action: string;
  entity: string;
  entityId?: string | number | null;
  orgUnitId?: number | null;
  before?: unknown;
  after?: unknown;
};

export type AuditQuery = {
  entity?: string;
  entityId?: string;
  action?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
};

const SYSTEM_USER = '00000000-0000-0000-0000-000000000000';

export function createAuditRepo() {
  return {
    async insert(tx: Tx, actor: { userId: string | null; username: string; address: string | null } | null, entries: AuditEntry[]) {
      if (entries.length === 0) return;
      await tx.insert(auditLog).values(
        entries.map((e) => ({
          actorId: actor && actor.userId !== SYSTEM_USER ? actor.userId : null,
          actorName: actor?.username ?? null,
          action: e.action,
          entity: e.entity,
          entityId: e.entityId == null ? null : String(e.entityId),
          orgUnitId: e.orgUnitId ?? null,
          before: e.before ?? null,
          after: e.after ?? null,
          address: actor?.address ?? null,
        })),
      );
    },

    /** Audit rows about records in the actor's subtree (and rows with no org unit, for the whole-tree admin). */
    async list(tx: Tx, actor: Actor, q: AuditQuery) {
      const conditions: SQL[] = [unitOwnedOrUnowned(actor, auditLog.orgUnitId)];
      if (q.entity) conditions.push(eq(auditLog.entity, q.entity));
      if (q.entityId) conditions.push(eq(auditLog.entityId, q.entityId));
      if (q.action) conditions.push(eq(auditLog.action, q.action));
      if (q.actor) conditions.push(eq(auditLog.actorName, q.actor));
      if (q.from) conditions.push(gte(auditLog.at, q.from));
      if (q.to) conditions.push(lte(auditLog.at, q.to));
      const where = and(...conditions);
      const [items, [{ total }]] = await Promise.all([
        tx.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(q.limit).offset(q.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(auditLog).where(where),
      ]);
      return { items, total };
    },
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;
