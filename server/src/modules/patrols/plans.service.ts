/** Patrol plans per grid (e.g. three patrols a week of at least two hours) and how each week measured up. */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { RunChange } from '../../platform/change.js';
import { validationFailed } from '../../platform/errors.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import { subtreeFilter } from '../../platform/scope.js';
import { type Compliance, isoWeekStart, type PatrolPlan, type PutPatrolPlanInput } from './patrols.schema.js';
import type { PlansRepo } from './plans.repo.js';

type Deps = { db: Db; plansRepo: PlansRepo; orgRepo: Pick<OrgRepo, 'findInScope'>; runChange: RunChange };

const WEEK_MS = 7 * 86_400_000;

export function createPlansService({ db, plansRepo, orgRepo, runChange }: Deps) {
  return {
    /** The plans of the grids in the actor's subtree (or the chosen unit's). */
    async list(actor: Actor, orgUnitId?: number) {
      const items = await plansRepo.list(db, actor, await subtreeFilter(db, actor, orgUnitId));
      return { items, total: items.length };
    },

    /** Sets a grid's plan, replacing the one it had. */
    async put(actor: Actor, input: PutPatrolPlanInput): Promise<PatrolPlan> {
      return runChange(actor, async (ctx) => {
        const unit = await orgRepo.findInScope(ctx.tx, actor, input.orgUnitId);
        if (!unit) throw validationFailed([{ path: 'body.orgUnitId', message: 'no such org unit in your area' }]);
        if (unit.kind !== 'grid') throw validationFailed([{ path: 'body.orgUnitId', message: 'patrol plans are set per grid' }]);
        await plansRepo.lockUnit(ctx.tx, unit.id);
        const before = await plansRepo.findForUnit(ctx.tx, actor, unit.id);
        if (before) await plansRepo.update(ctx.tx, actor, before.id, input);
        else await plansRepo.insert(ctx.tx, input);
        const after = (await plansRepo.findForUnit(ctx.tx, actor, unit.id)) as PatrolPlan;
        ctx.audit({ action: 'patrol_plan.put', entity: 'patrol_plan', entityId: after.id, orgUnitId: unit.id, before, after });
        return after;
      });
    },

    /** Per planned grid, patrols planned against patrols done in an ISO week (Monday to Sunday, China Standard Time). */
    async compliance(actor: Actor, week: string, orgUnitId?: number): Promise<Compliance> {
      const from = isoWeekStart(week);
      if (!from) throw validationFailed([{ path: 'querystring.week', message: 'no such ISO week' }]);
      const to = new Date(from.getTime() + WEEK_MS);
      const rows = await plansRepo.compliance(db, actor, from, to, await subtreeFilter(db, actor, orgUnitId));
      return {
        week,
        from,
        to,
        items: rows.map((r) => ({
          orgUnitId: r.orgUnitId,
          orgUnitName: r.orgUnitName,
          townshipName: r.townshipName,
          planned: r.patrolsPerWeek,
          minHoursPerPatrol: r.minHoursPerPatrol,
          done: r.done,
          met: r.done >= r.patrolsPerWeek,
        })),
      };
    },
  };
}
export type PlansService = ReturnType<typeof createPlansService>;
