import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { narrowed, unitOwned } from '../../platform/scope.js';
import type { PatrolPlan, PutPatrolPlanInput } from './patrols.schema.js';
import { patrolPlans } from './patrols.tables.js';

type PlanRow = {
  id: string;
  org_unit_id: number;
  org_unit_name: string;
  township_name: string | null;
  patrols_per_week: number;
  min_hours_per_patrol: number;
  note: string | null;
  updated_at: Date;
};

const presentPlan = (r: PlanRow): PatrolPlan => ({
  id: r.id,
  orgUnitId: r.org_unit_id,
  orgUnitName: r.org_unit_name,
  townshipName: r.township_name,
  patrolsPerWeek: Number(r.patrols_per_week),
  minHoursPerPatrol: Number(r.min_hours_per_patrol),
  note: r.note,
  updatedAt: new Date(r.updated_at),
});

/** Patrol plans (巡护计划): how often each grid is to be patrolled. */
export function createPlansRepo() {
  /** The current plan of each grid of the actor's subtree (the latest, should a grid have several rows). */
  const currentPlans = (actor: Actor, subtreePath?: string) => {
    const conditions: SQL[] = [unitOwned(narrowed(actor, subtreePath), sql`pl.org_unit_id`)];
    return sql`
      SELECT DISTINCT ON (pl.org_unit_id)
        pl.id, pl.org_unit_id, g.name AS org_unit_name, t.name AS township_name, pl.patrols_per_week,
        pl.min_hours_per_patrol, pl.note, pl.updated_at, g.path AS grid_path, g.code AS grid_code
      FROM patrol_plans pl
      JOIN org_units g ON g.id = pl.org_unit_id
      LEFT JOIN org_units t ON t.id = g.parent_id
      WHERE ${sql.join(conditions, sql` AND `)}
      ORDER BY pl.org_unit_id, pl.updated_at DESC, pl.id`;
  };

  return {
    async list(tx: Tx, actor: Actor, subtreePath?: string) {
      const result = await tx.execute<PlanRow>(sql`
        SELECT * FROM (${currentPlans(actor, subtreePath)}) cur ORDER BY grid_path, grid_code`);
      return result.rows.map(presentPlan);
    },

    /** The current plan of one grid of the actor's subtree, or null. */
    async findForUnit(tx: Tx, actor: Actor, orgUnitId: number) {
      const result = await tx.execute<PlanRow>(sql`
        SELECT * FROM (${currentPlans(actor)}) cur WHERE org_unit_id = ${orgUnitId}`);
      return result.rows[0] ? presentPlan(result.rows[0]) : null;
    },

    async insert(tx: Tx, input: PutPatrolPlanInput) {
      const [row] = await tx
        .insert(patrolPlans)
        .values({
          orgUnitId: input.orgUnitId,
          patrolsPerWeek: input.patrolsPerWeek,
          minHoursPerPatrol: input.minHoursPerPatrol,
          note: input.note ?? null,
        })
        .returning({ id: patrolPlans.id });
      return row.id;
    },

    async update(tx: Tx, actor: Actor, id: string, input: PutPatrolPlanInput) {
      await tx
        .update(patrolPlans)
        .set({
          patrolsPerWeek: input.patrolsPerWeek,
          minHoursPerPatrol: input.minHoursPerPatrol,
          note: input.note ?? null,
          updatedAt: new Date(),
        })
        .where(and(eq(patrolPlans.id, id), unitOwned(actor, patrolPlans.orgUnitId)));
    },

    /** Serialises writers of one grid's plan (the table has no unique key per grid). */
    async lockUnit(tx: Tx, orgUnitId: number) {
      await tx.execute(sql`SELECT id FROM org_units WHERE id = ${orgUnitId} FOR UPDATE`);
    },

    /**
     * Each planned grid of the actor's subtree with the patrols that count towards its plan:
     * patrols of the grid (the grid was the ranger's assigned area at the start) that ended
     * within [from, to) and lasted at least the plan's minimum.
     */
    async compliance(tx: Tx, actor: Actor, from: Date, to: Date, subtreePath?: string) {
      const result = await tx.execute<PlanRow & { done: number }>(sql`
        SELECT cur.*,
          (SELECT count(*)::int FROM patrols p
           WHERE p.org_unit_id = cur.org_unit_id
             AND p.ended_at >= ${from} AND p.ended_at < ${to}
             AND p.duration_s >= cur.min_hours_per_patrol * 3600) AS done
        FROM (${currentPlans(actor, subtreePath)}) cur
        ORDER BY cur.grid_path, cur.grid_code`);
      return result.rows.map((r) => ({ ...presentPlan(r), done: Number(r.done) }));
    },
  };
}
export type PlansRepo = ReturnType<typeof createPlansRepo>;
