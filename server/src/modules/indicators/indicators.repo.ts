import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { IndicatorUnit } from '../../platform/indicators.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { unitPathInScope } from '../../platform/scope.js';

export function createIndicatorsRepo() {
  return {
    /** The unit of the actor's subtree with this code (the shallowest, should two share it), or null. */
    async findUnitByCode(tx: Tx, actor: Actor, code: string): Promise<IndicatorUnit | null> {
      const [row] = await tx
        .select({ id: orgUnits.id, code: orgUnits.code, name: orgUnits.name, kind: orgUnits.kind, path: orgUnits.path })
        .from(orgUnits)
        .where(and(eq(orgUnits.code, code), unitPathInScope(actor, orgUnits.path)))
        .orderBy(asc(orgUnits.depth), asc(orgUnits.id))
        .limit(1);
      return row ?? null;
    },
  };
}
export type IndicatorsRepo = ReturnType<typeof createIndicatorsRepo>;
