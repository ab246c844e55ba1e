import type { Db, Tx } from '../db/connection.js';
import type { Actor } from './actor.js';
import type { AuditEntry, AuditRepo } from './audit/audit.repo.js';
import type { EventBus, LiveEvent } from './events.js';

/**
 * The parts of SafeForest that change records by themselves, each audited under its own name
 * (the audit log words them: `system` — the seed and the command line —, `analyzer` — the alerts
 * the position pipeline and the timed analyzers raise and clear, `satellite_feed` — the satellite
 * hotspots polled from a folder or URL, `notifier` — the delivery worker recording how each linkage
 * notification ended, `camera_feed` — the cameras' heartbeats and alarms).
 */
export const SYSTEM_PRINCIPALS = ['system', 'analyzer', 'satellite_feed', 'notifier', 'camera_feed'] as const;
export type SystemPrincipalName = (typeof SYSTEM_PRINCIPALS)[number];

/** A named part of SafeForest acting by itself: audited under its name, with no user and no address. */
export type SystemPrincipal = { kind: 'system'; name: SystemPrincipalName };

/** The system principal of a name. */
export const systemPrincipal = (name: SystemPrincipalName): SystemPrincipal => ({ kind: 'system', name });

/**
 * Someone not signed in yet (a sign-in attempt): audited under the username they typed and the
 * account it names when there is one, from their address.
 */
export type Visitor = { kind: 'visitor'; userId: string | null; username: string; address: string | null };

/** Whom a change is written as: a signed-in user, a visitor signing in, or a part of the system. */
export type Principal = Actor | SystemPrincipal | Visitor;

/** The audit row's who: user id, login name and address of a principal. */
export function auditedAs(principal: Principal): { userId: string | null; username: string; address: string | null } {
  if ('kind' in principal) {
    if (principal.kind === 'system') return { userId: null, username: principal.name, address: null };
    return { userId: principal.userId, username: principal.username, address: principal.address };
  }
  return principal;
}

export type ChangeContext = {
  tx: Tx;
  /** Records what changed; written in the same transaction as the change. */
  audit(entry: AuditEntry): void;
  /** Queues a live event; published only after the transaction commits. */
  emit(event: LiveEvent): void;
};

export type ChangeOptions = {
  /**
   * The change may audit nothing: for work SafeForest does by itself that may find nothing to
   * change — the position pipeline's commits (fixes are data arriving, not anyone's decision; the
   * alerts they raise are audited) and an analyzer pass whose alerts are all open already.
   */
  auditOptional?: true;
};

export type RunChange = <T>(principal: Principal, work: (change: ChangeContext) => Promise<T>, options?: ChangeOptions) => Promise<T>;

/**
 * Every change goes through here: one transaction holding the change and its audit rows,
 * then the live events once committed. A change that audits nothing is a programming error.
 */
export function createChangeRunner(deps: { db: Db; auditRepo: Pick<AuditRepo, 'insert'>; events: EventBus }): RunChange {
  return async (principal, work, options) => {
    const events: LiveEvent[] = [];
    const result = await deps.db.transaction(async (tx) => {
      const entries: AuditEntry[] = [];
      const value = await work({ tx, audit: (e) => entries.push(e), emit: (e) => events.push(e) });
      if (entries.length === 0 && !options?.auditOptional) throw new Error('A change must write at least one audit entry');
      await deps.auditRepo.insert(tx, auditedAs(principal), entries);
      return value;
    });
    for (const event of events) deps.events.publish(event);
    return result;
  };
}
