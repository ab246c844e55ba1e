/**
 * Org scope, the one place it is written. An actor sees and changes the records of one subtree of
 * the org tree, their effective scope (`effectiveScopePath`). Records belong to the tree through an
 * org unit (`unitOwned`); a ranger also belongs to the tree through the forest police station that
 * commands them, and so does every record of that ranger (`rangerOwned`, `rangerInScope`). An
 * optional `orgUnitId` filter narrows the scope to a subtree inside it (`subtreeFilter`), to which
 * the same predicates apply. The live socket and other in-memory checks use `pathInScope`, the same
 * prefix rule. See docs/decisions.md, "Org scope of rangers and what hangs off them".
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/connection.js';
import type { Actor } from './actor.js';
import { notFound } from './errors.js';
import { orgUnits } from './org/org.tables.js';

/** What a predicate needs: the path of the subtree's root (an actor's effective scope, or a chosen unit inside it). */
export type Scope = Pick<Actor, 'orgPath'>;

type Column = AnyPgColumn | SQL;

/** Kinds of unit whose staff work for the division the unit belongs to: their scope is the parent's subtree. */
const WIDENED_KINDS: ReadonlySet<string> = new Set(['department', 'police_station']);

/**
 * The effective scope of a user of this unit. Staff of a department or police station work for the
 * division it belongs to (市森林公安局 watches the whole city, a county's stations the county), so
 * their scope is the parent's subtree; everyone else's is their unit's subtree.
 */
export function effectiveScopePath(unit: { kind: string; path: string; parentPath: string | null }): string {
  return WIDENED_KINDS.has(unit.kind) && unit.parentPath ? unit.parentPath : unit.path;
}

/** Whether the unit at `unitPath` lies in the scope (in-memory form of `unitOwned`, for the live socket). */
export function pathInScope(scope: Scope, unitPath: string): boolean {
  return unitPath.startsWith(scope.orgPath);
}

/** Whether the scope is the whole tree (the city): only that scope also sees records of no unit. */
export function coversWholeTree(scope: Scope): boolean {
  return scope.orgPath.split('/').filter(Boolean).length <= 1;
}

/** The condition on an org unit's own path column (the org tree itself). */
export function unitPathInScope(scope: Scope, pathColumn: Column): SQL {
  return sql`${pathColumn} LIKE ${`${scope.orgPath}%`}`;
}

/** A record owned by the org unit in `orgUnitColumn`: that unit lies in the scope. */
export function unitOwned(scope: Scope, orgUnitColumn: Column): SQL {
  return sql`${orgUnitColumn} IN (SELECT id FROM org_units WHERE ${unitPathInScope(scope, sql.raw('path'))})`;
}

/**
 * A record that may belong to no unit (an audit row of a sign-in): owned by its unit like any
 * other, and the rows of no unit are seen by the whole-tree scope only.
 */
export function unitOwnedOrUnowned(scope: Scope, orgUnitColumn: Column): SQL {
  return coversWholeTree(scope) ? sql`(${orgUnitColumn} IS NULL OR ${unitOwned(scope, orgUnitColumn)})` : unitOwned(scope, orgUnitColumn);
}

/**
 * A ranger row: assigned to a unit of the scope (their grid or township), or commanded by a forest
 * police station in it (notice clause 七).
 */
export function rangerInScope(scope: Scope, ranger: { orgUnitId: Column; commandingUnitId: Column }): SQL {
  return sql`(${unitOwned(scope, ranger.orgUnitId)} OR ${unitOwned(scope, ranger.commandingUnitId)})`;
}

/**
 * A record of a ranger (a device bound to them, a position, an alert, a field report, a patrol): its
 * own unit lies in the scope, or its ranger is in scope by `rangerInScope`. So whoever sees a
 * ranger sees the ranger's devices, positions, alerts, reports and patrols.
 */
export function rangerOwned(scope: Scope, orgUnitColumn: Column, rangerIdColumn: Column): SQL {
  return sql`(${unitOwned(scope, orgUnitColumn)} OR ${rangerIdColumn} IN (
    SELECT sr.id FROM rangers sr WHERE ${unitOwned(scope, sql.raw('sr.commanding_unit_id'))}))`;
}

/**
 * The scope narrowed by a subtree filter that `subtreeFilter` resolved (inside the actor's scope),
 * or the actor's own scope when there is none. Predicates given the narrowed scope hold only inside
 * the actor's scope, so a repo adds one condition, not two.
 */
export function narrowed(actor: Scope, subtreePath?: string): Scope {
  if (subtreePath === undefined) return actor;
  if (!pathInScope(actor, subtreePath)) throw new Error(`subtree ${subtreePath} lies outside the scope ${actor.orgPath}`);
  return { orgPath: subtreePath };
}

/**
 * An optional `orgUnitId` filter as the path of a subtree inside the actor's scope (undefined when
 * none was given); a unit outside the scope is unknown: 404.
 */
export async function subtreeFilter(tx: Tx, actor: Scope, orgUnitId: number | undefined): Promise<string | undefined> {
  if (!orgUnitId) return undefined;
  const [unit] = await tx
    .select({ path: orgUnits.path })
    .from(orgUnits)
    .where(and(eq(orgUnits.id, orgUnitId), unitPathInScope(actor, orgUnits.path)));
  if (!unit) throw notFound('Org unit');
  return unit.path;
}
