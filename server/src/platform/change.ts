import type { Db, Tx } from '../db/connection.js';
import type { Actor } from './actor.js';
import type { AuditEntry, AuditRepo } from './audit/audit.repo.js';
import type { EventBus, LiveEvent } from './events.js';

export type ChangeContext = {
  tx: Tx;
  /** Records what changed; written in the same transaction as the change. */
  audit(entry: AuditEntry): void;
  /** Queues a live event; published only after the transaction commits. */
  emit(event: LiveEvent): void;
};

export type RunChange = <T>(actor: Actor, work: (change: ChangeContext) => Promise<T>) => Promise<T>;

/**
 * Every change goes through here: one transaction holding the change and its audit rows,
 * then the live events once committed. A change that audits nothing is a programming error.
 */
export function createChangeRunner(deps: { db: Db; auditRepo: Pick<AuditRepo, 'insert'>; events: EventBus }): RunChange {
  return async (actor, work) => {
    const events: LiveEvent[] = [];
    const result = await deps.db.transaction(async (tx) => {
      const entries: AuditEntry[] = [];
      const value = await work({ tx, audit: (e) => entries.push(e), emit: (e) => events.push(e) });
      if (entries.length === 0) throw new Error('A change must write at least one audit entry');
      await deps.auditRepo.insert(tx, actor, entries);
      return value;
    });
    for (const event of events) deps.events.publish(event);
    return result;
  };
}
