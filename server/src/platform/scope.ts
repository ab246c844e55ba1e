import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from './actor.js';

/**
 * The one place that turns an actor into the SQL condition on the org tree: the record's org
 * unit must lie in the actor's subtree. Every repo query over org-owned records uses it.
 */
export function inActorScope(actor: Actor, orgUnitId: AnyPgColumn | SQL): SQL {
  return sql`${orgUnitId} IN (SELECT id FROM org_units WHERE path LIKE ${`${actor.orgPath}%`})`;
}

/** The same rule for a unit whose path is already known (no query needed). */
export function pathInActorScope(actor: Actor, unitPath: string): boolean {
  return unitPath.startsWith(actor.orgPath);
}

/** The condition for a subtree filter the user chose (within their scope, applied on top). */
export function inSubtree(rootPath: string, orgUnitId: AnyPgColumn | SQL): SQL {
  return sql`${orgUnitId} IN (SELECT id FROM org_units WHERE path LIKE ${`${rootPath}%`})`;
}
