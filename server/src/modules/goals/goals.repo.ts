import { and, asc, between, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { unitOwned } from '../../platform/scope.js';
import type { CreateMeasureInput, GoalEntry, GoalMeasure, MeasureFields } from './goals.schema.js';
import { goalEntries as e, goalMeasures as m } from './goals.tables.js';

const measureColumns = {
  code: m.code,
  title: m.title,
  titleEn: m.titleEn,
  group: m.groupCode,
  method: m.method,
  indicatorKey: m.indicatorKey,
  unit: m.unit,
  expectedSource: m.expectedSource,
  targetOp: m.targetOp,
  targetValue: m.targetValue,
  description: m.description,
  descriptionEn: m.descriptionEn,
  sortOrder: m.sortOrder,
  active: m.active,
  version: m.version,
};

const entryColumns = {
  id: e.id,
  orgUnitId: e.orgUnitId,
  unitCode: orgUnits.code,
  unitName: orgUnits.name,
  measureCode: e.measureCode,
  year: e.year,
  value: e.value,
  unit: e.unit,
  source: e.source,
  sourceDate: e.sourceDate,
  fileId: e.fileId,
  note: e.note,
  enteredBy: e.enteredBy,
  version: e.version,
  updatedAt: e.updatedAt,
};

/** A measure as stored, in the columns' names of the API. */
const measureRow = (input: Partial<MeasureFields>) => {
  const { group, ...rest } = input;
  return { ...rest, ...(group === undefined ? {} : { groupCode: group }) };
};

/** A new measure as a row. */
const newMeasureRow = (input: CreateMeasureInput): typeof m.$inferInsert => ({
  code: input.code,
  title: input.title,
  titleEn: input.titleEn,
  groupCode: input.group,
  method: input.method,
  indicatorKey: input.indicatorKey ?? null,
  unit: input.unit ?? null,
  expectedSource: input.expectedSource ?? null,
  targetOp: input.targetOp,
  targetValue: input.targetValue ?? null,
  description: input.description ?? null,
  descriptionEn: input.descriptionEn ?? null,
  sortOrder: input.sortOrder,
  active: input.active,
});

/** The figure fields of an entry as they are written. */
export type EntryWrite = Pick<typeof e.$inferInsert, 'value' | 'unit' | 'source' | 'sourceDate' | 'fileId' | 'note' | 'enteredBy'>;

export function createGoalsRepo() {
  const selectEntries = (tx: Tx) => tx.select(entryColumns).from(e).innerJoin(orgUnits, eq(orgUnits.id, e.orgUnitId));

  return {
    // ---- measures: reference data of the whole campaign, kept by the city office ----

    /** Every measure (switched-off ones too when `all`), in the order the dashboard shows them. */
    async listMeasures(tx: Tx, options: { all?: boolean } = {}) {
      const rows = await tx
        .select(measureColumns)
        .from(m)
        .where(options.all ? undefined : eq(m.active, true))
        .orderBy(asc(m.sortOrder), asc(m.code));
      return rows as GoalMeasure[];
    },

    async findMeasure(tx: Tx, code: string) {
      const [row] = await tx.select(measureColumns).from(m).where(eq(m.code, code));
      return (row as GoalMeasure | undefined) ?? null;
    },

    /** Adds a measure; false when its code is taken. */
    async insertMeasure(tx: Tx, input: CreateMeasureInput) {
      const rows = await tx.insert(m).values(newMeasureRow(input)).onConflictDoNothing().returning({ code: m.code });
      return rows.length === 1;
    },

    /** Adds the measures that are missing (the default set on every start); an office's changes are kept. */
    async ensureMeasures(tx: Tx, measures: readonly CreateMeasureInput[]) {
      if (measures.length === 0) return;
      await tx.insert(m).values(measures.map(newMeasureRow)).onConflictDoNothing();
    },

    /** Changes a measure if its version is still the one read; false otherwise. */
    async updateMeasure(tx: Tx, code: string, version: number, changes: Partial<MeasureFields>) {
      const rows = await tx
        .update(m)
        .set({ ...measureRow(changes), version: sql`${m.version} + 1`, updatedAt: new Date() })
        .where(and(eq(m.code, code), eq(m.version, version)))
        .returning({ code: m.code });
      return rows.length === 1;
    },

    async deleteMeasure(tx: Tx, code: string) {
      await tx.delete(m).where(eq(m.code, code));
    },

    /** How many figures were entered for a measure, in any unit (a measure with figures is switched off, not deleted). */
    async countEntriesOfMeasure(tx: Tx, code: string) {
      const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(e).where(eq(e.measureCode, code));
      return row.n;
    },

    // ---- entered figures: each belongs to a unit, and so to the scope ----

    /** The figures of these units (in the actor's scope) for the years from..to, of these measures if given. */
    async listEntries(tx: Tx, actor: Actor, filter: { unitIds: number[]; from: number; to: number; measureCodes?: string[] }) {
      const conditions: SQL[] = [
        unitOwned(actor, e.orgUnitId),
        inArray(e.orgUnitId, filter.unitIds.length ? filter.unitIds : [0]),
        between(e.year, filter.from, filter.to),
      ];
      if (filter.measureCodes) conditions.push(inArray(e.measureCode, filter.measureCodes.length ? filter.measureCodes : ['']));
      const rows = await selectEntries(tx)
        .where(and(...conditions))
        .orderBy(asc(e.year), asc(e.measureCode));
      return rows as GoalEntry[];
    },

    async findEntryInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectEntries(tx).where(and(eq(e.id, id), unitOwned(actor, e.orgUnitId)));
      return (row as GoalEntry | undefined) ?? null;
    },

    /** The figure of a unit in the actor's scope for a measure and a year, or null. */
    async findEntryOf(tx: Tx, actor: Actor, key: { orgUnitId: number; measureCode: string; year: number }) {
      const [row] = await selectEntries(tx).where(
        and(eq(e.orgUnitId, key.orgUnitId), eq(e.measureCode, key.measureCode), eq(e.year, key.year), unitOwned(actor, e.orgUnitId)),
      );
      return (row as GoalEntry | undefined) ?? null;
    },

    /** Records a figure (the unit was checked against the scope by the caller); null when one exists already. */
    async insertEntry(tx: Tx, row: EntryWrite & { orgUnitId: number; measureCode: string; year: number }) {
      const [created] = await tx.insert(e).values(row).onConflictDoNothing().returning({ id: e.id });
      return created?.id ?? null;
    },

    /** Records many figures at once (the demonstration data), skipping those that exist. */
    async insertEntries(tx: Tx, rows: (EntryWrite & { orgUnitId: number; measureCode: string; year: number })[]) {
      if (rows.length === 0) return [];
      return (await tx.insert(e).values(rows).onConflictDoNothing().returning({ id: e.id, orgUnitId: e.orgUnitId })).map((r) => r);
    },

    /** Replaces a figure of the actor's scope if its version is still the one read; false otherwise. */
    async updateEntry(tx: Tx, actor: Actor, id: string, version: number, changes: EntryWrite) {
      const rows = await tx
        .update(e)
        .set({ ...changes, version: sql`${e.version} + 1`, updatedAt: new Date() })
        .where(and(eq(e.id, id), eq(e.version, version), unitOwned(actor, e.orgUnitId)))
        .returning({ id: e.id });
      return rows.length === 1;
    },

    async deleteEntry(tx: Tx, actor: Actor, id: string) {
      await tx.delete(e).where(and(eq(e.id, id), unitOwned(actor, e.orgUnitId)));
    },
  };
}
export type GoalsRepo = ReturnType<typeof createGoalsRepo>;
