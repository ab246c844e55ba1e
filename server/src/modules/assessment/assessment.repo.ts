import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { unitOwned } from '../../platform/scope.js';
import {
  assessmentEntries as e,
  assessmentRounds as r,
  assessmentRecommendations as rec,
  assessmentScores as s,
  assessmentStandards as st,
  assessmentTitles as ti,
} from './assessment.tables.js';

/** Rounds using a standard (the table named: a one-table select leaves its columns unqualified). */
const standardRounds = sql<number>`(SELECT count(*)::int FROM assessment_rounds x WHERE x.standard_id = assessment_standards.id)`;

/** A standard's columns as the API answers them, with the number of rounds that use it. */
const standardColumns = {
  id: st.id,
  name: st.name,
  version: st.version,
  description: st.description,
  sample: st.sample,
  basedOnId: st.basedOnId,
  items: st.items,
  vetoItems: st.vetoItems,
  bonusItems: st.bonusItems,
  grades: st.grades,
  rounds: standardRounds,
  createdBy: st.createdBy,
  createdAt: st.createdAt,
  updatedAt: st.updatedAt,
};

/** An org unit as the assessment needs it. */
export type AssessedUnit = { id: number; code: string | null; name: string; kind: string; path: string; parentId: number | null };
const unitColumns = {
  id: orgUnits.id,
  code: orgUnits.code,
  name: orgUnits.name,
  kind: orgUnits.kind,
  path: orgUnits.path,
  parentId: orgUnits.parentId,
};

/** Units of county level (assessed by the city) and of township level (assessed by their county). */
export const COUNTY_LEVEL_KINDS = ['county', 'nature_reserve', 'forest_farm'];
export const TOWNSHIP_LEVEL_KINDS = ['township', 'nature_reserve', 'forest_farm'];

const roundColumns = {
  id: r.id,
  year: r.year,
  level: r.level,
  orgUnitId: r.orgUnitId,
  unitCode: orgUnits.code,
  unitName: orgUnits.name,
  unitPath: orgUnits.path,
  standardId: r.standardId,
  standardName: st.name,
  standardVersion: st.version,
  selfCheckDue: r.selfCheckDue,
  reviewDue: r.reviewDue,
  entries: sql<number>`(SELECT count(*)::int FROM assessment_entries x WHERE x.round_id = ${r.id})`,
  final: sql<number>`(SELECT count(*)::int FROM assessment_entries x WHERE x.round_id = ${r.id} AND x.status = 'final')`,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  version: r.version,
};
export type RoundRow = {
  id: string;
  year: number;
  level: 'county' | 'township';
  orgUnitId: number;
  unitCode: string | null;
  unitName: string;
  unitPath: string;
  standardId: string;
  standardName: string;
  standardVersion: string;
  selfCheckDue: string | null;
  reviewDue: string | null;
  entries: number;
  final: number;
  createdBy: string;
  createdAt: Date;
  version: number;
};

const entryColumns = {
  id: e.id,
  roundId: e.roundId,
  orgUnitId: e.orgUnitId,
  unitCode: orgUnits.code,
  unitName: orgUnits.name,
  unitKind: orgUnits.kind,
  unitPath: orgUnits.path,
  status: e.status,
  selfScore: e.selfScore,
  reviewScore: e.reviewScore,
  finalScore: e.finalScore,
  vetoed: e.vetoed,
  vetoHits: e.vetoHits,
  reviewVetoCodes: e.reviewVetoCodes,
  grade: e.grade,
  inspections: e.inspections,
  submittedAt: e.submittedAt,
  submittedBy: e.submittedBy,
  reviewedAt: e.reviewedAt,
  reviewedBy: e.reviewedBy,
  finalizedAt: e.finalizedAt,
  finalizedBy: e.finalizedBy,
  version: e.version,
};
export type EntryRow = {
  [K in keyof typeof entryColumns]: K extends 'unitCode'
    ? string | null
    : K extends 'unitName' | 'unitKind' | 'unitPath'
      ? string
      : (typeof e.$inferSelect)[K & keyof typeof e.$inferSelect];
};

const titleColumns = {
  id: ti.id,
  orgUnitId: ti.orgUnitId,
  unitCode: orgUnits.code,
  unitName: orgUnits.name,
  level: ti.level,
  year: ti.year,
  documentNumber: ti.documentNumber,
  date: ti.namedOn,
  namedByUnitId: ti.namedByUnitId,
  namedByUnitName: sql<string>`(SELECT n.name FROM org_units n WHERE n.id = ${ti.namedByUnitId})`,
  status: ti.status,
  rechecks: ti.rechecks,
  revokedOn: ti.revokedOn,
  revokeReason: ti.revokeReason,
  revokeDocumentNumber: ti.revokeDocumentNumber,
  createdBy: ti.createdBy,
  createdAt: ti.createdAt,
  version: ti.version,
};

/**
 * The rounds an actor reads: those run by a unit of their subtree (a county's township round), and
 * those assessing a unit of it (the city's round, in which the county has its entry).
 */
function roundReadable(actor: Actor): SQL {
  return sql`(${unitOwned(actor, r.orgUnitId)} OR ${r.id} IN (SELECT x.round_id FROM assessment_entries x WHERE ${unitOwned(actor, sql.raw('x.org_unit_id'))}))`;
}

export function createAssessmentRepo() {
  const selectRounds = (tx: Tx) =>
    tx.select(roundColumns).from(r).innerJoin(orgUnits, eq(orgUnits.id, r.orgUnitId)).innerJoin(st, eq(st.id, r.standardId));
  const selectEntries = (tx: Tx) => tx.select(entryColumns).from(e).innerJoin(orgUnits, eq(orgUnits.id, e.orgUnitId));
  const selectTitles = (tx: Tx) => tx.select(titleColumns).from(ti).innerJoin(orgUnits, eq(orgUnits.id, ti.orgUnitId));

  return {
    // ---- org units ----

    /** The unit whose path is the root of a scope (the actor's own unit, or the division a department works for). */
    async unitAtPath(tx: Tx, path: string) {
      const [row] = await tx.select(unitColumns).from(orgUnits).where(eq(orgUnits.path, path));
      return (row as AssessedUnit | undefined) ?? null;
    },

    async unitByCode(tx: Tx, code: string) {
      const [row] = await tx.select(unitColumns).from(orgUnits).where(eq(orgUnits.code, code)).limit(1);
      return (row as AssessedUnit | undefined) ?? null;
    },

    async unitById(tx: Tx, id: number) {
      const [row] = await tx.select(unitColumns).from(orgUnits).where(eq(orgUnits.id, id));
      return (row as AssessedUnit | undefined) ?? null;
    },

    /** The units of these kinds directly under a unit (the city's counties; a county's townships, reserves and farms). */
    async unitsUnder(tx: Tx, parentId: number, kinds: string[]) {
      const rows = await tx
        .select(unitColumns)
        .from(orgUnits)
        .where(and(eq(orgUnits.parentId, parentId), inArray(orgUnits.kind, kinds)))
        .orderBy(asc(orgUnits.sortOrder), asc(orgUnits.code), asc(orgUnits.id));
      return rows as AssessedUnit[];
    },

    // ---- standards ----

    async listStandards(tx: Tx) {
      return tx.select(standardColumns).from(st).orderBy(desc(st.createdAt), asc(st.name), asc(st.version));
    },

    async findStandard(tx: Tx, id: string) {
      const [row] = await tx.select(standardColumns).from(st).where(eq(st.id, id));
      return row ?? null;
    },

    async standardNamed(tx: Tx, name: string, version: string) {
      const [row] = await tx
        .select({ id: st.id })
        .from(st)
        .where(and(eq(st.name, name), eq(st.version, version)));
      return row?.id ?? null;
    },

    /** Stores a standard; null when its name and version exist already. */
    async insertStandard(tx: Tx, row: Omit<typeof st.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>) {
      const [created] = await tx.insert(st).values(row).onConflictDoNothing().returning({ id: st.id });
      return created?.id ?? null;
    },

    /** Rewrites a standard no round uses (false when a round started using it meanwhile, or the label is taken). */
    async updateUnusedStandard(
      tx: Tx,
      id: string,
      row: Pick<typeof st.$inferInsert, 'name' | 'version' | 'description' | 'items' | 'vetoItems' | 'bonusItems' | 'grades'>,
    ) {
      const updated = await tx
        .update(st)
        .set({ ...row, updatedAt: new Date() })
        .where(and(eq(st.id, id), sql`NOT EXISTS (SELECT 1 FROM assessment_rounds x WHERE x.standard_id = ${st.id})`))
        .returning({ id: st.id });
      return updated.length === 1;
    },

    /** Locks a standard's row until the change commits, so that no edit slips in while a round starts on it. */
    async lockStandard(tx: Tx, id: string) {
      await tx.execute(sql`SELECT id FROM assessment_standards WHERE id = ${id} FOR UPDATE`);
    },

    // ---- rounds ----

    async listRounds(tx: Tx, actor: Actor, filter: { year?: number; level?: 'county' | 'township' }) {
      const conditions: SQL[] = [roundReadable(actor)];
      if (filter.year) conditions.push(eq(r.year, filter.year));
      if (filter.level) conditions.push(eq(r.level, filter.level));
      const rows = await selectRounds(tx)
        .where(and(...conditions))
        .orderBy(desc(r.year), asc(r.level), asc(orgUnits.code), asc(r.id));
      return rows as RoundRow[];
    },

    async findRoundInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectRounds(tx).where(and(eq(r.id, id), roundReadable(actor)));
      return (row as RoundRow | undefined) ?? null;
    },

    async findRound(tx: Tx, id: string) {
      const [row] = await selectRounds(tx).where(eq(r.id, id));
      return (row as RoundRow | undefined) ?? null;
    },

    /** Opens a round; null when the unit runs a round of that level and year already. */
    async insertRound(tx: Tx, row: Omit<typeof r.$inferInsert, 'id' | 'createdAt' | 'version'>) {
      const [created] = await tx.insert(r).values(row).onConflictDoNothing().returning({ id: r.id });
      return created?.id ?? null;
    },

    async updateRound(tx: Tx, id: string, version: number, changes: { selfCheckDue?: string | null; reviewDue?: string | null }) {
      const rows = await tx
        .update(r)
        .set({ ...changes, version: sql`${r.version} + 1` })
        .where(and(eq(r.id, id), eq(r.version, version)))
        .returning({ id: r.id });
      return rows.length === 1;
    },

    /** Of each of these counties, the township round of the year: whether there is one, its entries and how many are final. */
    async townshipRoundsOf(tx: Tx, countyIds: number[], year: number) {
      if (countyIds.length === 0) return new Map<number, { total: number; final: number }>();
      const rows = await tx
        .select({
          orgUnitId: r.orgUnitId,
          total: sql<number>`count(${e.id})::int`,
          final: sql<number>`count(${e.id}) FILTER (WHERE ${e.status} = 'final')::int`,
        })
        .from(r)
        .leftJoin(e, eq(e.roundId, r.id))
        .where(and(inArray(r.orgUnitId, countyIds), eq(r.year, year), eq(r.level, 'township')))
        .groupBy(r.orgUnitId);
      return new Map(rows.map((row) => [row.orgUnitId, { total: row.total, final: row.final }]));
    },

    // ---- entries ----

    async insertEntries(tx: Tx, roundId: string, unitIds: number[]) {
      if (unitIds.length === 0) return;
      await tx.insert(e).values(unitIds.map((orgUnitId) => ({ roundId, orgUnitId })));
    },

    /** The entries of a round the actor may read: their own unit's and those of units under them. */
    async listEntries(tx: Tx, actor: Actor, roundId: string) {
      const rows = await selectEntries(tx)
        .where(and(eq(e.roundId, roundId), unitOwned(actor, e.orgUnitId)))
        .orderBy(asc(orgUnits.sortOrder), asc(orgUnits.code), asc(e.id));
      return rows as EntryRow[];
    },

    async findEntryInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectEntries(tx).where(and(eq(e.id, id), unitOwned(actor, e.orgUnitId)));
      return (row as EntryRow | undefined) ?? null;
    },

    /** Entries of the actor's subtree not yet final, with their round (for reminders). */
    async openEntries(tx: Tx, actor: Actor) {
      return tx
        .select({
          entryId: e.id,
          roundId: r.id,
          year: r.year,
          level: r.level,
          roundUnitId: r.orgUnitId,
          unitCode: orgUnits.code,
          unitName: orgUnits.name,
          unitPath: orgUnits.path,
          status: e.status,
          selfCheckDue: r.selfCheckDue,
          reviewDue: r.reviewDue,
        })
        .from(e)
        .innerJoin(r, eq(r.id, e.roundId))
        .innerJoin(orgUnits, eq(orgUnits.id, e.orgUnitId))
        .where(and(sql`${e.status} <> 'final'`, unitOwned(actor, e.orgUnitId)))
        .orderBy(asc(r.selfCheckDue), asc(orgUnits.code), asc(e.id));
    },

    /** The entry a unit was assessed in for a year (its one round of that year), in the actor's area. */
    async entryOfUnitInYear(tx: Tx, actor: Actor, unitId: number, year: number) {
      const [row] = await selectEntries(tx)
        .innerJoin(r, eq(r.id, e.roundId))
        .where(and(eq(e.orgUnitId, unitId), eq(r.year, year), unitOwned(actor, e.orgUnitId)))
        .orderBy(desc(r.createdAt), asc(e.id))
        .limit(1);
      return (row as EntryRow | undefined) ?? null;
    },

    /** The unit's entry in the round a unit ran for a year and level (naming checks it). */
    async entryOfUnit(tx: Tx, by: { roundUnitId: number; year: number; level: 'county' | 'township'; unitId: number }) {
      const [row] = await tx
        .select({ id: e.id, status: e.status, vetoed: e.vetoed })
        .from(e)
        .innerJoin(r, eq(r.id, e.roundId))
        .where(and(eq(r.orgUnitId, by.roundUnitId), eq(r.year, by.year), eq(r.level, by.level), eq(e.orgUnitId, by.unitId)));
      return row ?? null;
    },

    /** Writes an entry if its version is still the one read; false otherwise. */
    async updateEntry(
      tx: Tx,
      id: string,
      version: number,
      changes: Partial<Omit<typeof e.$inferInsert, 'id' | 'roundId' | 'orgUnitId' | 'version'>>,
    ) {
      const rows = await tx
        .update(e)
        .set({ ...changes, version: sql`${e.version} + 1`, updatedAt: new Date() })
        .where(and(eq(e.id, id), eq(e.version, version)))
        .returning({ id: e.id });
      return rows.length === 1;
    },

    // ---- scores ----

    async listScores(tx: Tx, entryIds: string[]) {
      if (entryIds.length === 0) return [];
      return tx.select().from(s).where(inArray(s.entryId, entryIds)).orderBy(asc(s.entryId), asc(s.stage), asc(s.itemCode));
    },

    async upsertScores(tx: Tx, rows: (typeof s.$inferInsert)[]) {
      if (rows.length === 0) return;
      await tx
        .insert(s)
        .values(rows)
        .onConflictDoUpdate({
          target: [s.entryId, s.stage, s.itemCode],
          set: {
            points: sql`excluded.points`,
            note: sql`excluded.note`,
            reason: sql`excluded.reason`,
            evidenceFileIds: sql`excluded.evidence_file_ids`,
            cases: sql`excluded.cases`,
            computed: sql`excluded.computed`,
            updatedBy: sql`excluded.updated_by`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
    },

    // ---- recommendations ----

    async listRecommendations(tx: Tx, roundId: string) {
      return tx
        .select({
          orgUnitId: rec.orgUnitId,
          unitCode: orgUnits.code,
          unitName: orgUnits.name,
          recommendedBy: rec.recommendedBy,
          recommendedAt: rec.recommendedAt,
        })
        .from(rec)
        .innerJoin(orgUnits, eq(orgUnits.id, rec.orgUnitId))
        .where(eq(rec.roundId, roundId))
        .orderBy(asc(orgUnits.sortOrder), asc(orgUnits.code));
    },

    /** Records recommendations; a unit recommended already stays as it was. Answers the units newly recommended. */
    async insertRecommendations(tx: Tx, roundId: string, unitIds: number[], by: string) {
      if (unitIds.length === 0) return [];
      const rows = await tx
        .insert(rec)
        .values(unitIds.map((orgUnitId) => ({ roundId, orgUnitId, recommendedBy: by })))
        .onConflictDoNothing()
        .returning({ orgUnitId: rec.orgUnitId });
      return rows.map((row) => row.orgUnitId);
    },

    // ---- titles ----

    async listTitles(
      tx: Tx,
      actor: Actor,
      filter: { unitId?: number; year?: number; level?: 'city' | 'county'; status?: 'active' | 'revoked' },
    ) {
      const conditions: SQL[] = [unitOwned(actor, ti.orgUnitId)];
      if (filter.unitId) conditions.push(eq(ti.orgUnitId, filter.unitId));
      if (filter.year) conditions.push(eq(ti.year, filter.year));
      if (filter.level) conditions.push(eq(ti.level, filter.level));
      if (filter.status) conditions.push(eq(ti.status, filter.status));
      return selectTitles(tx)
        .where(and(...conditions))
        .orderBy(asc(orgUnits.code), desc(ti.year), asc(ti.level), asc(ti.id));
    },

    async findTitleInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectTitles(tx).where(and(eq(ti.id, id), unitOwned(actor, ti.orgUnitId)));
      return row ?? null;
    },

    /** Names a unit; null when it holds a title of that level and year already. */
    async insertTitle(tx: Tx, row: Omit<typeof ti.$inferInsert, 'id' | 'createdAt' | 'version' | 'status' | 'rechecks'>) {
      const [created] = await tx.insert(ti).values(row).onConflictDoNothing().returning({ id: ti.id });
      return created?.id ?? null;
    },

    async updateTitle(
      tx: Tx,
      id: string,
      version: number,
      changes: Partial<Pick<typeof ti.$inferInsert, 'status' | 'rechecks' | 'revokedOn' | 'revokeReason' | 'revokeDocumentNumber'>>,
    ) {
      const rows = await tx
        .update(ti)
        .set({ ...changes, version: sql`${ti.version} + 1` })
        .where(and(eq(ti.id, id), eq(ti.version, version)))
        .returning({ id: ti.id });
      return rows.length === 1;
    },
  };
}
export type AssessmentRepo = ReturnType<typeof createAssessmentRepo>;
