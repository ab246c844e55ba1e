/**
 * The goals dashboard (创建目标, notice clauses 一 and 二): for the city or a county and a year,
 * each goal measure's figure, its target and whether it is met. A measure is computed by an
 * indicator of the registry where SafeForest holds the records (major fires, incidents, disputes,
 * rangers on post), or entered per unit and year with its source where it does not (forest area and
 * growing stock — the "双增" — from the forestry inventory, farmers' income from the statistical
 * yearbook, the public's sense of safety from a survey). Growth is judged against the same unit's
 * figure of the year before. An indicator this installation does not register has no figure: the
 * dashboard says so (`available: false`), it never shows a made-up number.
 */
import type { Db, Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { RunChange } from '../../platform/change.js';
import { cstDate, cstYear } from '../../platform/dates.js';
import { AppError, assertVersion, conflict, type FieldProblem, found, notFound, validationFailed } from '../../platform/errors.js';
import type { FilesRepo } from '../../platform/files/files.repo.js';
import { describeIndicator, type IndicatorRegistry, indicatorPeriod } from '../../platform/indicators.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import type { OrgUnit } from '../../platform/org/org.schema.js';
import { coversWholeTree } from '../../platform/scope.js';
import type { EntryWrite, GoalsRepo } from './goals.repo.js';
import {
  type CreateMeasureInput,
  type GoalEntry,
  type GoalItem,
  type GoalMeasure,
  type GoalUnit,
  type MeasureFields,
  type PutEntryInput,
  type TargetOp,
  type UpdateMeasureInput,
  VALUE_OPS,
  YEAR_OVER_YEAR_OPS,
} from './goals.schema.js';

type Deps = {
  db: Db;
  goalsRepo: GoalsRepo;
  orgRepo: Pick<OrgRepo, 'list' | 'findManyByCode'>;
  filesRepo: Pick<FilesRepo, 'attachInScope'>;
  indicators: Pick<IndicatorRegistry, 'get' | 'list'>;
  runChange: RunChange;
};

/** Units the goals are shown and entered for. */
const GOAL_UNIT_KINDS = ['city', 'county'];
/** Years a trend spans at most. */
const MAX_TREND_YEARS = 30;
const STALE_MEASURE = 'The measure was changed by someone else; reload it';
const STALE_ENTRY = 'The figure was changed by someone else; reload it';
const EPSILON = 1e-9;

/** This year in China Standard Time. */
/** Today in China Standard Time, `YYYY-MM-DD`. */

/**
 * Whether a figure meets its target: against the target value, or against the figure of the year
 * before. Null when there is no figure, no figure of the year before, or no target.
 */
export function judge(op: TargetOp, target: number | null, value: number | null, previous: number | null): boolean | null {
  if (value === null || op === 'none') return null;
  if (VALUE_OPS.has(op)) {
    if (target === null) return null;
    if (op === 'eq') return Math.abs(value - target) < EPSILON;
    if (op === 'lte') return value <= target + EPSILON;
    if (op === 'lt') return value < target - EPSILON;
    if (op === 'gte') return value >= target - EPSILON;
    return value > target + EPSILON;
  }
  if (previous === null) return null;
  if (op === 'grow') return value > previous + EPSILON;
  if (op === 'not_decline') return value >= previous - EPSILON;
  if (op === 'decline') return value < previous - EPSILON;
  return value <= previous + EPSILON;
}

/** The problems of a measure's fields taken together, by field. */
export function measureProblems(measure: Omit<MeasureFields, 'sortOrder' | 'active'>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (measure.method === 'indicator' && !measure.indicatorKey)
    problems.push({ path: 'body.indicatorKey', message: 'a measure computed by an indicator names its key' });
  if (measure.method === 'entered' && !measure.unit)
    problems.push({ path: 'body.unit', message: 'an entered figure needs the unit it is counted in' });
  if (VALUE_OPS.has(measure.targetOp) && (measure.targetValue === null || measure.targetValue === undefined))
    problems.push({ path: 'body.targetValue', message: `the target ${measure.targetOp} compares with a value` });
  return problems;
}

const cityOnly = () => new AppError(403, 'forbidden', 'Goal measures are kept by the city office');
const goalUnit = (u: OrgUnit): GoalUnit => ({ id: u.id, code: u.code, name: u.name, kind: u.kind });

/** A figure of a unit, measure and year: its value and where it came from. */
type Figure = { value: number | null; basis: GoalItem['basis']; entry: GoalEntry | null };

export function createGoalsService({ db, goalsRepo, orgRepo, filesRepo, indicators, runChange }: Deps) {
  /** The city and counties of the actor's scope, the top first. */
  const unitsInScope = (tx: Tx, actor: Actor) => orgRepo.list(tx, actor, { kinds: GOAL_UNIT_KINDS });

  /**
   * The unit of a code (or the actor's own city or county): 404 outside the scope, 400 for a unit
   * of the scope that is not the city or a county.
   */
  async function resolveUnit(tx: Tx, actor: Actor, code: string | undefined, field: string): Promise<OrgUnit> {
    const units = await unitsInScope(tx, actor);
    if (code === undefined) {
      const own = units.find((u) => u.path === actor.orgPath) ?? units[0];
      if (!own) throw notFound('City or county of your area');
      return own;
    }
    const unit = units.find((u) => u.code === code);
    if (unit) return unit;
    if ((await orgRepo.findManyByCode(tx, actor, { codes: [code] })).length)
      throw validationFailed([{ path: field, message: 'goals are kept for the city and its counties' }]);
    throw notFound('Org unit');
  }

  function checkYear(year: number, field: string) {
    if (year > cstYear()) throw validationFailed([{ path: field, message: `${year} has not begun: it has no figures yet` }]);
  }

  /** One read-only transaction: every figure sees the same records, and an indicator's shared computation runs once. */
  const readOnly = <T>(work: (tx: Tx) => Promise<T>) => db.transaction(work, { accessMode: 'read only' });

  /**
   * The figures of these measures for these units and years: indicators computed, entered figures
   * read in one query. A measure whose indicator is not registered has no entry in the map.
   */
  async function figures(tx: Tx, actor: Actor, measures: GoalMeasure[], units: OrgUnit[], years: number[]) {
    const entered = measures.filter((m) => m.method === 'entered').map((m) => m.code);
    const entries = entered.length
      ? await goalsRepo.listEntries(tx, actor, {
          unitIds: units.map((u) => u.id),
          from: Math.min(...years),
          to: Math.max(...years),
          measureCodes: entered,
        })
      : [];
    const byKey = new Map(entries.map((entry) => [`${entry.orgUnitId}:${entry.measureCode}:${entry.year}`, entry]));
    const result = new Map<string, Figure>();
    for (const unit of units)
      for (const measure of measures)
        for (const year of years) {
          const key = `${unit.id}:${measure.code}:${year}`;
          if (measure.method === 'entered') {
            const entry = byKey.get(key) ?? null;
            result.set(key, { value: entry?.value ?? null, basis: null, entry });
            continue;
          }
          const indicator = measure.indicatorKey ? indicators.get(measure.indicatorKey) : undefined;
          if (!indicator) continue;
          const computed = await indicator.compute(tx, unit, indicatorPeriod(year));
          result.set(key, {
            value: computed.value,
            basis: { records: computed.basis.records, link: computed.basis.link ?? null },
            entry: null,
          });
        }
    return result;
  }

  /** The years whose figures a measure's judgement of `year` needs: the year before too for growth targets. */
  const yearsFor = (measures: GoalMeasure[], year: number) =>
    measures.some((m) => YEAR_OVER_YEAR_OPS.has(m.targetOp)) ? [year - 1, year] : [year];

  function item(measure: GoalMeasure, unit: OrgUnit, year: number, all: Map<string, Figure>): GoalItem {
    const figure = all.get(`${unit.id}:${measure.code}:${year}`);
    const previous = YEAR_OVER_YEAR_OPS.has(measure.targetOp) ? (all.get(`${unit.id}:${measure.code}:${year - 1}`)?.value ?? null) : null;
    const indicator = measure.method === 'indicator' && measure.indicatorKey ? indicators.get(measure.indicatorKey) : undefined;
    const value = figure?.value ?? null;
    return {
      code: measure.code,
      title: measure.title,
      titleEn: measure.titleEn,
      group: measure.group,
      method: measure.method,
      unit: measure.method === 'indicator' ? (indicator?.unit ?? null) : measure.unit,
      targetOp: measure.targetOp,
      targetValue: measure.targetValue,
      value,
      previousValue: previous,
      met: figure ? judge(measure.targetOp, measure.targetValue, value, previous) : null,
      available: figure !== undefined || measure.method === 'entered',
      indicator: indicator ? describeIndicator(indicator) : null,
      entry: figure?.entry ?? null,
      basis: figure?.basis ?? null,
    };
  }

  async function mustFindMeasure(tx: Tx, code: string) {
    return found(await goalsRepo.findMeasure(tx, code), 'Goal measure');
  }

  return {
    /** The measures in the order the dashboard shows them; switched-off ones too when `all`. */
    listMeasures: async (all: boolean) => ({ items: await goalsRepo.listMeasures(db, { all }) }),

    /** The indicators this installation registers (what a measure may be computed by). */

    /** Every active measure of a unit (the caller's own by default) for a year, with its figure, target and judgement. */
    async dashboard(actor: Actor, query: { year?: number; unit?: string }) {
      const year = query.year ?? cstYear();
      checkYear(year, 'querystring.year');
      const unit = await resolveUnit(db, actor, query.unit, 'querystring.unit');
      const measures = await goalsRepo.listMeasures(db);
      const all = await readOnly((tx) => figures(tx, actor, measures, [unit], yearsFor(measures, year)));
      return { year, unit: goalUnit(unit), items: measures.map((m) => item(m, unit, year, all)) };
    },

    /** The city and every county of the caller's area against every active measure for a year (the heat grid). */
    async matrix(actor: Actor, query: { year?: number }) {
      const year = query.year ?? cstYear();
      checkYear(year, 'querystring.year');
      const units = await unitsInScope(db, actor);
      const measures = await goalsRepo.listMeasures(db);
      const all = await readOnly((tx) => figures(tx, actor, measures, units, yearsFor(measures, year)));
      return {
        year,
        measures: measures.map((m) => ({
          code: m.code,
          title: m.title,
          titleEn: m.titleEn,
          group: m.group,
          method: m.method,
          unit: m.method === 'indicator' ? (indicators.get(m.indicatorKey ?? '')?.unit ?? null) : m.unit,
        })),
        rows: units.map((unit) => ({
          unit: goalUnit(unit),
          cells: measures.map((m) => {
            const { code, value, met, available } = item(m, unit, year, all);
            return { code, value, met, available };
          }),
        })),
      };
    },

    /** One measure of a unit over the years `from`..`to` (default the last five), each year judged. */
    async trend(actor: Actor, query: { unit?: string; measure: string; from?: number; to?: number }) {
      const to = query.to ?? cstYear();
      const from = query.from ?? to - 4;
      checkYear(to, 'querystring.to');
      if (from > to) throw validationFailed([{ path: 'querystring.from', message: 'the first year comes after the last' }]);
      if (to - from + 1 > MAX_TREND_YEARS)
        throw validationFailed([{ path: 'querystring.from', message: `a trend spans at most ${MAX_TREND_YEARS} years` }]);
      const unit = await resolveUnit(db, actor, query.unit, 'querystring.unit');
      const measure = await goalsRepo.findMeasure(db, query.measure);
      if (!measure) throw validationFailed([{ path: 'querystring.measure', message: 'no such goal measure' }]);
      const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
      const all = await readOnly((tx) =>
        figures(tx, actor, [measure], [unit], YEAR_OVER_YEAR_OPS.has(measure.targetOp) ? [from - 1, ...years] : years),
      );
      return {
        unit: goalUnit(unit),
        measure,
        points: years.map((year) => {
          const { value, met } = item(measure, unit, year, all);
          return { year, value, met };
        }),
      };
    },

    /**
     * Enters (or replaces) the figure of an entered measure for a unit of the actor's area and a
     * year, with its source and the date of that source; replacing one needs no version, but a
     * stale version answers 409. Audited with the figure before and after.
     */
    async putEntry(actor: Actor, input: PutEntryInput) {
      const problems: FieldProblem[] = [];
      if (input.year > cstYear()) problems.push({ path: 'body.year', message: `${input.year} has not begun: it has no figures yet` });
      if (input.sourceDate > cstDate()) problems.push({ path: 'body.sourceDate', message: 'the source is dated in the future' });
      return runChange(actor, async (ctx) => {
        const unit = await resolveUnit(ctx.tx, actor, input.unitCode, 'body.unitCode');
        const measure = await goalsRepo.findMeasure(ctx.tx, input.measureCode);
        if (!measure?.active) problems.push({ path: 'body.measureCode', message: 'no such goal measure' });
        else if (measure.method !== 'entered')
          problems.push({ path: 'body.measureCode', message: 'this measure is computed from records; it is not entered' });
        else if (measure.unit === '%' && input.value > 100) problems.push({ path: 'body.value', message: 'a percentage is at most 100' });
        if (input.fileId && !(await filesRepo.attachInScope(ctx.tx, actor, input.fileId, unit.id)))
          problems.push({ path: 'body.fileId', message: 'no such file in your area' });
        if (problems.length) throw validationFailed(problems);
        const key = { orgUnitId: unit.id, measureCode: input.measureCode, year: input.year };
        const write: EntryWrite = {
          value: input.value,
          unit: measure?.unit ?? null,
          source: input.source,
          sourceDate: input.sourceDate,
          fileId: input.fileId ?? null,
          note: input.note ?? null,
          enteredBy: actor.username,
        };
        const before = await goalsRepo.findEntryOf(ctx.tx, actor, key);
        let id: string;
        if (before) {
          assertVersion(STALE_ENTRY, before, input.version);
          if (!(await goalsRepo.updateEntry(ctx.tx, actor, before.id, before.version, write))) throw conflict(STALE_ENTRY);
          id = before.id;
        } else {
          const created = await goalsRepo.insertEntry(ctx.tx, { ...key, ...write });
          if (!created) throw conflict(STALE_ENTRY);
          id = created;
        }
        const after = found(await goalsRepo.findEntryInScope(ctx.tx, actor, id), 'Goal figure');
        ctx.audit({ action: 'goal_entry.put', entity: 'goal_entry', entityId: id, orgUnitId: unit.id, before: before ?? undefined, after });
        return after;
      });
    },

    /** Removes an entered figure of the actor's area (a mistake); the audit log keeps it. */
    async deleteEntry(actor: Actor, id: string) {
      await runChange(actor, async (ctx) => {
        const before = found(await goalsRepo.findEntryInScope(ctx.tx, actor, id), 'Goal figure');
        await goalsRepo.deleteEntry(ctx.tx, actor, id);
        ctx.audit({ action: 'goal_entry.delete', entity: 'goal_entry', entityId: id, orgUnitId: before.orgUnitId, before });
      });
    },

    /** Adds a measure (the city office). */
    async createMeasure(actor: Actor, input: CreateMeasureInput) {
      if (!coversWholeTree(actor)) throw cityOnly();
      const problems = measureProblems(input);
      if (problems.length) throw validationFailed(problems);
      return runChange(actor, async (ctx) => {
        if (!(await goalsRepo.insertMeasure(ctx.tx, normalised(input)))) throw conflict(`A goal measure ${input.code} exists already`);
        const after = await mustFindMeasure(ctx.tx, input.code);
        ctx.audit({ action: 'goal_measure.create', entity: 'goal_measure', entityId: input.code, after });
        return after;
      });
    },

    /** Changes a measure (the city office) if nobody changed it since `version`. */
    async updateMeasure(actor: Actor, code: string, input: UpdateMeasureInput) {
      if (!coversWholeTree(actor)) throw cityOnly();
      return runChange(actor, async (ctx) => {
        const before = await mustFindMeasure(ctx.tx, code);
        assertVersion(STALE_MEASURE, before, input.version);
        const { version, ...changes } = input;
        const merged = normalised({ ...before, ...changes });
        const problems = measureProblems(merged);
        if (problems.length) throw validationFailed(problems);
        const { code: _, version: __, ...fields } = merged as GoalMeasure;
        if (!(await goalsRepo.updateMeasure(ctx.tx, code, version, fields))) throw conflict(STALE_MEASURE);
        const after = await mustFindMeasure(ctx.tx, code);
        ctx.audit({ action: 'goal_measure.update', entity: 'goal_measure', entityId: code, before, after });
        return after;
      });
    },

    /** Deletes a measure nobody entered figures for (the city office); one with figures is switched off instead (409). */
    async deleteMeasure(actor: Actor, code: string, version?: number) {
      if (!coversWholeTree(actor)) throw cityOnly();
      await runChange(actor, async (ctx) => {
        const before = await mustFindMeasure(ctx.tx, code);
        assertVersion(STALE_MEASURE, before, version);
        if ((await goalsRepo.countEntriesOfMeasure(ctx.tx, code)) > 0)
          throw conflict('Figures were entered for this measure: switch it off instead of deleting it');
        await goalsRepo.deleteMeasure(ctx.tx, code);
        ctx.audit({ action: 'goal_measure.delete', entity: 'goal_measure', entityId: code, before });
      });
    },
  };
}
export type GoalsService = ReturnType<typeof createGoalsService>;

/** A measure with the fields its method and target do not use cleared, so a stale key or value never lingers. */
function normalised<T extends Omit<MeasureFields, 'sortOrder' | 'active'>>(measure: T): T {
  return {
    ...measure,
    indicatorKey: measure.method === 'indicator' ? measure.indicatorKey : null,
    expectedSource: measure.method === 'entered' ? (measure.expectedSource ?? null) : null,
    targetValue: VALUE_OPS.has(measure.targetOp) ? measure.targetValue : null,
  };
}
