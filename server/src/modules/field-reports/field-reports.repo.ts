import { and, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { asGeoJson } from '../../db/spatial.js';
import type { Actor } from '../../platform/actor.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, rangerOwned, type Scope } from '../../platform/scope.js';
import { rangers } from '../rangers/rangers.tables.js';
import type { FieldReport, FieldReportFilter, FieldReportKind, FieldReportStatus } from './field-reports.schema.js';
import { fieldReports } from './field-reports.tables.js';

const reportColumns = {
  id: fieldReports.id,
  kind: sql<FieldReportKind>`${fieldReports.kind}`,
  rangerId: fieldReports.rangerId,
  rangerName: rangers.name,
  orgUnitId: fieldReports.orgUnitId,
  orgUnitName: orgUnits.name,
  orgPath: orgUnits.path,
  location: asGeoJson(fieldReports.location),
  reportedAt: fieldReports.reportedAt,
  note: fieldReports.note,
  photoFileId: fieldReports.photoFileId,
  status: sql<FieldReportStatus>`${fieldReports.status}`,
  createdAt: fieldReports.createdAt,
};
export type FieldReportRow = FieldReport & { orgPath: string };

/** A report of the scope: its grid is in it, or its ranger is (platform/scope.ts). */
const reportOfScope = (scope: Scope): SQL => rangerOwned(scope, fieldReports.orgUnitId, fieldReports.rangerId);

export function createFieldReportsRepo() {
  const selectReports = (tx: Tx) =>
    tx
      .select(reportColumns)
      .from(fieldReports)
      .innerJoin(orgUnits, eq(orgUnits.id, fieldReports.orgUnitId))
      .leftJoin(rangers, eq(rangers.id, fieldReports.rangerId));

  function where(actor: Actor, filter: FieldReportFilter & { subtreePath?: string }): SQL {
    const conditions: SQL[] = [reportOfScope(narrowed(actor, filter.subtreePath))];
    if (filter.kind?.length) conditions.push(inArray(fieldReports.kind, filter.kind));
    if (filter.status?.length) conditions.push(inArray(fieldReports.status, filter.status));
    if (filter.rangerId) conditions.push(eq(fieldReports.rangerId, filter.rangerId));
    if (filter.from) conditions.push(gte(fieldReports.reportedAt, filter.from));
    if (filter.to) conditions.push(lt(fieldReports.reportedAt, filter.to));
    if (filter.bbox) {
      const [w, s, e, n] = filter.bbox;
      conditions.push(sql`${fieldReports.location} && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
    }
    return and(...conditions) as SQL;
  }

  return {
    /**
     * The grid holding a position, searched only within the county of the given unit (a ranger's
     * report belongs to the grid where the thing is, as long as it is in the ranger's county).
     */
    async gridInCountyOf(tx: Tx, unitPath: string, lon: number, lat: number) {
      const result = await tx.execute<{ id: number; path: string }>(sql`
        SELECT g.id, g.path
        FROM org_units county
        JOIN org_units g ON g.kind = 'grid' AND g.path LIKE county.path || '%'
        WHERE county.kind = 'county' AND ${unitPath} LIKE county.path || '%'
          AND ST_Covers(g.area, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))
        ORDER BY g.id
        LIMIT 1`);
      return result.rows[0] ?? null;
    },

    async insert(tx: Tx, report: Omit<typeof fieldReports.$inferInsert, 'location'> & { lon: number; lat: number }) {
      const { lon, lat, ...rest } = report;
      const [row] = await tx
        .insert(fieldReports)
        .values({ ...rest, location: sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)` as unknown as string })
        .returning({ id: fieldReports.id });
      return row.id;
    },

    async findById(tx: Tx, id: string) {
      const [row] = await selectReports(tx).where(eq(fieldReports.id, id));
      return (row as FieldReportRow | undefined) ?? null;
    },

    /** A report whose unit is in the actor's subtree, or null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectReports(tx).where(and(eq(fieldReports.id, id), reportOfScope(actor)));
      return (row as FieldReportRow | undefined) ?? null;
    },

    async list(tx: Tx, actor: Actor, filter: FieldReportFilter & { subtreePath?: string }, page: { limit: number; offset: number }) {
      const condition = where(actor, filter);
      const [items, [{ total }]] = await Promise.all([
        selectReports(tx)
          .where(condition)
          .orderBy(desc(fieldReports.reportedAt), desc(fieldReports.id))
          .limit(page.limit)
          .offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(fieldReports).where(condition),
      ]);
      return { items: items as FieldReportRow[], total };
    },

    async setStatus(tx: Tx, actor: Actor, id: string, status: FieldReportStatus) {
      await tx
        .update(fieldReports)
        .set({ status })
        .where(and(eq(fieldReports.id, id), reportOfScope(actor)));
    },
  };
}
export type FieldReportsRepo = ReturnType<typeof createFieldReportsRepo>;
