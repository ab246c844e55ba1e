/**
 * The indicators computed from operations (notice clause 五: scores come from what the operations
 * recorded): every indicator the modules registered, for one org unit of the caller's subtree and
 * one year or month, with what each value was counted from.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';
import { describeIndicator, type IndicatorRegistry, indicatorPeriod } from '../../platform/indicators.js';
import type { IndicatorsRepo } from './indicators.repo.js';
import type { IndicatorValue, IndicatorValuesQuery } from './indicators.schema.js';

type Deps = { db: Db; indicatorsRepo: IndicatorsRepo; registry: Pick<IndicatorRegistry, 'list'> };

export function createIndicatorsService({ db, indicatorsRepo, registry }: Deps) {
  return {
    /** Every registered indicator with its definition, in the order the modules registered them. */
    definitions() {
      return { items: registry.list().map(describeIndicator) };
    },

    /** Every indicator's value for the unit (code, in the actor's subtree) and period; a unit outside the subtree is unknown. */
    async values(actor: Actor, query: IndicatorValuesQuery) {
      const unit = await indicatorsRepo.findUnitByCode(db, actor, query.unit);
      if (!unit) throw notFound('Org unit');
      const period = indicatorPeriod(query.year, query.month);
      // One read-only transaction: every value sees the same records, and shared computations run once.
      const items = await db.transaction(
        async (tx) => {
          const values: IndicatorValue[] = [];
          for (const definition of registry.list()) {
            const { value, basis } = await definition.compute(tx, unit, period);
            values.push({ ...describeIndicator(definition), value, basis });
          }
          return values;
        },
        { accessMode: 'read only' },
      );
      return {
        orgUnit: { id: unit.id, code: unit.code, name: unit.name, kind: unit.kind },
        period: { year: period.year, ...(period.month === undefined ? {} : { month: period.month }), from: period.from, to: period.to },
        items,
      };
    },
  };
}
export type IndicatorsService = ReturnType<typeof createIndicatorsService>;
