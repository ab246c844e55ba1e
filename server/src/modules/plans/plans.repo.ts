import { and, asc, eq, ilike, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { roles, userRoles, users } from '../../platform/auth/auth.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { unitOwned } from '../../platform/scope.js';
import type { Activation, CreatePlanInput, Plan, PlanFilter } from './plans.schema.js';
import { type ActivationStep, emergencyPlans as p, planActivations as pa } from './plans.tables.js';

const planColumns = {
  id: p.id,
  name: p.name,
  orgUnitId: p.orgUnitId,
  orgUnitName: orgUnits.name,
  category: p.category,
  level: p.level,
  description: p.description,
  notify: p.notify,
  steps: p.steps,
  active: p.active,
  version: p.version,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
};

const activationColumns = {
  id: pa.id,
  planId: pa.planId,
  incidentId: pa.incidentId,
  orgUnitId: pa.orgUnitId,
  planName: pa.planName,
  level: pa.level,
  steps: pa.steps,
  deliveries: pa.deliveries,
  activatedBy: pa.activatedBy,
  activatedAt: pa.activatedAt,
  version: pa.version,
};

/** A plan with the path of the unit it belongs to (the area it may be activated in). */
export type PlanRow = Plan & { orgPath: string };

/**
 * The plans an actor may read and activate: those of their subtree, and those of the units above
 * it (a county uses the city's plans); another county's are not among them.
 */
function readable(actor: Actor): SQL {
  return sql`(${unitOwned(actor, p.orgUnitId)} OR ${p.orgUnitId} IN (SELECT id FROM org_units WHERE ${actor.orgPath} LIKE path || '%'))`;
}

export function createPlansRepo() {
  const selectPlans = (tx: Tx) =>
    tx
      .select({ ...planColumns, orgPath: orgUnits.path })
      .from(p)
      .innerJoin(orgUnits, eq(orgUnits.id, p.orgUnitId));

  return {
    async listPlans(tx: Tx, actor: Actor, filter: PlanFilter, page: { limit: number; offset: number }) {
      const conditions: SQL[] = [isNull(p.deletedAt), readable(actor)];
      if (filter.category) conditions.push(eq(p.category, filter.category));
      if (filter.level) conditions.push(eq(p.level, filter.level));
      if (filter.q) conditions.push(ilike(p.name, `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
      const where = and(...conditions);
      const [items, [{ total }]] = await Promise.all([
        selectPlans(tx).where(where).orderBy(asc(p.category), asc(p.level), asc(p.name), asc(p.id)).limit(page.limit).offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(p).where(where),
      ]);
      return { items: items as PlanRow[], total };
    },

    /** A plan the actor may read (theirs or from above), not deleted, or null. */
    async findPlanInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectPlans(tx).where(and(eq(p.id, id), isNull(p.deletedAt), readable(actor)));
      return (row as PlanRow | undefined) ?? null;
    },

    async insertPlan(tx: Tx, input: CreatePlanInput) {
      const [row] = await tx
        .insert(p)
        .values({ ...input, description: input.description ?? null })
        .returning({ id: p.id });
      return row.id;
    },

    /** Changes a plan of the actor's own subtree if the version is still the one read; false otherwise. */
    async updatePlan(tx: Tx, actor: Actor, id: string, version: number, changes: Partial<CreatePlanInput>) {
      const rows = await tx
        .update(p)
        .set({ ...changes, version: sql`${p.version} + 1`, updatedAt: new Date() })
        .where(and(eq(p.id, id), eq(p.version, version), isNull(p.deletedAt), unitOwned(actor, p.orgUnitId)))
        .returning({ id: p.id });
      return rows.length === 1;
    },

    /** Hides a plan of the actor's own subtree; its activations stay. */
    async softDeletePlan(tx: Tx, actor: Actor, id: string) {
      await tx
        .update(p)
        .set({ deletedAt: new Date(), version: sql`${p.version} + 1`, updatedAt: new Date() })
        .where(and(eq(p.id, id), isNull(p.deletedAt), unitOwned(actor, p.orgUnitId)));
    },

    /** The phone numbers of the active staff of these units, holding one of these roles when roles are given. */
    async staffPhones(tx: Tx, orgUnitIds: number[], roleIds: string[]) {
      if (orgUnitIds.length === 0) return [];
      const conditions: SQL[] = [inArray(users.orgUnitId, orgUnitIds), eq(users.active, true), sql`${users.phone} IS NOT NULL`];
      if (roleIds.length)
        conditions.push(sql`${users.id} IN (SELECT ${userRoles.userId} FROM ${userRoles} WHERE ${inArray(userRoles.roleId, roleIds)})`);
      const rows = await tx
        .selectDistinct({ phone: users.phone })
        .from(users)
        .where(and(...conditions));
      return rows.map((r) => r.phone as string);
    },

    /** Which of these role ids exist. */
    async existingRoles(tx: Tx, ids: string[]) {
      if (ids.length === 0) return [];
      return (await tx.select({ id: roles.id }).from(roles).where(inArray(roles.id, ids))).map((r) => r.id);
    },

    /** Records an activation; null when the plan is already active on the incident. */
    async insertActivation(tx: Tx, row: Omit<typeof pa.$inferInsert, 'id' | 'version' | 'activatedAt'>) {
      const [created] = await tx.insert(pa).values(row).onConflictDoNothing().returning({ id: pa.id });
      return created?.id ?? null;
    },

    /** The plans activated on an incident of the actor's scope, oldest first. */
    async listActivations(tx: Tx, actor: Actor, incidentId: string) {
      const rows = await tx
        .select(activationColumns)
        .from(pa)
        .where(and(eq(pa.incidentId, incidentId), unitOwned(actor, pa.orgUnitId)))
        .orderBy(asc(pa.activatedAt), asc(pa.id));
      return rows as Activation[];
    },

    async findActivationInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await tx
        .select(activationColumns)
        .from(pa)
        .where(and(eq(pa.id, id), unitOwned(actor, pa.orgUnitId)));
      return (row as Activation | undefined) ?? null;
    },

    /** Writes the checklist if the version is still the one read; false otherwise. */
    async setSteps(tx: Tx, actor: Actor, id: string, version: number, steps: ActivationStep[]) {
      const rows = await tx
        .update(pa)
        .set({ steps, version: sql`${pa.version} + 1` })
        .where(and(eq(pa.id, id), eq(pa.version, version), unitOwned(actor, pa.orgUnitId)))
        .returning({ id: pa.id });
      return rows.length === 1;
    },
  };
}
export type PlansRepo = ReturnType<typeof createPlansRepo>;
