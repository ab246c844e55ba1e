import { and, asc, desc, eq, gte, ilike, inArray, isNotNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { asGeoJson, type Point, pointFromGeoJson } from '../../db/spatial.js';
import type { Actor } from '../../platform/actor.js';
import { files } from '../../platform/files/files.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, type Scope, unitOwned } from '../../platform/scope.js';
import type { IncidentSource } from './incident-sources.js';
import {
  type Incident,
  type IncidentCategory,
  type IncidentFilter,
  type IncidentReport,
  type IncidentStatus,
  type IncidentTimelineEntry,
  OPEN_STATUSES,
} from './incidents.schema.js';
import {
  incidentCategories,
  incidentCodeCounters,
  incidentPhotos,
  incidentReports,
  incidents,
  incidentTimeline,
} from './incidents.tables.js';

/** An incident as the service works with it: the public fields, the reporter's contact and the org path that scopes it. */
export type IncidentRow = Incident & { orgPath: string; reporterName: string | null; reporterPhone: string | null };

const incidentColumns = {
  id: incidents.id,
  code: incidents.code,
  category: incidents.category,
  categoryName: incidentCategories.name,
  priority: incidents.priority,
  title: incidents.title,
  description: incidents.description,
  location: asGeoJson(incidents.location),
  placeText: incidents.placeText,
  source: incidents.source,
  sourceRef: incidents.sourceRef,
  status: incidents.status,
  mergedInto: incidents.mergedInto,
  orgUnitId: incidents.orgUnitId,
  orgUnitName: orgUnits.name,
  orgPath: orgUnits.path,
  countyCode: incidents.countyCode,
  townshipId: incidents.townshipId,
  gridId: incidents.gridId,
  stationId: incidents.stationId,
  reporterName: incidents.reporterName,
  reporterPhone: incidents.reporterPhone,
  reportedAt: incidents.reportedAt,
  dispatchedAt: incidents.dispatchedAt,
  firstOnSceneAt: incidents.firstOnSceneAt,
  resolvedAt: incidents.resolvedAt,
  closedAt: incidents.closedAt,
  responseSeconds: sql<number | null>`(EXTRACT(EPOCH FROM (${incidents.firstOnSceneAt} - ${incidents.reportedAt})))::int`,
  reportCount: sql<number>`(SELECT count(*)::int FROM incident_reports r WHERE r.incident_id = ${incidents.id})`,
  createdAt: incidents.createdAt,
  updatedAt: incidents.updatedAt,
  version: incidents.version,
};

const categoryColumns = {
  code: incidentCategories.code,
  name: incidentCategories.name,
  nameEn: incidentCategories.nameEn,
  defaultPriority: incidentCategories.defaultPriority,
  sortOrder: incidentCategories.sortOrder,
  active: incidentCategories.active,
  version: incidentCategories.version,
};

const reportColumns = {
  id: incidentReports.id,
  primary: incidentReports.primary,
  source: incidentReports.source,
  sourceRef: incidentReports.sourceRef,
  category: incidentReports.category,
  priority: incidentReports.priority,
  title: incidentReports.title,
  description: incidentReports.description,
  location: asGeoJson(incidentReports.location),
  placeText: incidentReports.placeText,
  reporterName: incidentReports.reporterName,
  reporterPhone: incidentReports.reporterPhone,
  reportedAt: incidentReports.reportedAt,
};

const isOpen = inArray(incidents.status, [...OPEN_STATUSES]);

/** The columns an incident is written with. */
export type IncidentValues = {
  code: string;
  category: string;
  priority: number;
  title: string;
  description: string | null;
  location: Point;
  placeText: string | null;
  source: IncidentSource;
  sourceRef: string | null;
  orgUnitId: number;
  countyCode: string | null;
  townshipId: number | null;
  gridId: number | null;
  stationId: number | null;
  reporterName: string | null;
  reporterPhone: string | null;
  reportedAt: Date;
};

/** What a change may set on an incident (status and its times included). */
export type IncidentChanges = Partial<Omit<IncidentValues, 'code' | 'source' | 'sourceRef'>> & {
  status?: IncidentStatus;
  mergedInto?: string | null;
  dispatchedAt?: Date | null;
  firstOnSceneAt?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
};

export type ReportValues = {
  incidentId: string;
  primary: boolean;
  source: IncidentSource;
  sourceRef: string | null;
  category: string;
  priority: number | null;
  title: string;
  description: string | null;
  location: Point;
  placeText: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  reportedAt: Date;
};

function setOf(changes: IncidentChanges) {
  const { location, ...rest } = changes;
  return {
    ...rest,
    ...(location ? { location: pointFromGeoJson(location) as unknown as string } : {}),
    version: sql`${incidents.version} + 1`,
    updatedAt: new Date(),
  } as unknown as Partial<typeof incidents.$inferInsert>;
}

export function createIncidentsRepo() {
  const selectIncidents = (tx: Tx) =>
    tx
      .select(incidentColumns)
      .from(incidents)
      .innerJoin(orgUnits, eq(orgUnits.id, incidents.orgUnitId))
      .innerJoin(incidentCategories, eq(incidentCategories.code, incidents.category));

  function where(scope: Scope, filter: IncidentFilter): SQL {
    const conditions: SQL[] = [unitOwned(scope, incidents.orgUnitId)];
    if (filter.status?.length) conditions.push(inArray(incidents.status, filter.status));
    if (filter.category?.length) conditions.push(inArray(incidents.category, filter.category));
    if (filter.source?.length) conditions.push(inArray(incidents.source, filter.source));
    if (filter.priority?.length) conditions.push(inArray(incidents.priority, filter.priority.map(Number)));
    if (filter.from) conditions.push(gte(incidents.reportedAt, filter.from));
    if (filter.to) conditions.push(lt(incidents.reportedAt, filter.to));
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(or(ilike(incidents.code, like), ilike(incidents.title, like), ilike(incidents.placeText, like)) as SQL);
    }
    return and(...conditions) as SQL;
  }

  return {
    // ---- the category dictionary (city-wide: no org unit) ----

    listCategories: (tx: Tx) =>
      tx
        .select(categoryColumns)
        .from(incidentCategories)
        .orderBy(asc(incidentCategories.sortOrder), asc(incidentCategories.code)) as Promise<IncidentCategory[]>,

    async findCategory(tx: Tx, code: string) {
      const [row] = await tx.select(categoryColumns).from(incidentCategories).where(eq(incidentCategories.code, code));
      return (row as IncidentCategory | undefined) ?? null;
    },

    /** Adds a category, or changes it when `version` is still the one read; false on a stale version. */
    async putCategory(
      tx: Tx,
      code: string,
      value: Omit<IncidentCategory, 'code' | 'version'>,
      version: number | undefined,
      exists: boolean,
    ): Promise<boolean> {
      if (!exists) {
        await tx.insert(incidentCategories).values({ code, ...value });
        return true;
      }
      const rows = await tx
        .update(incidentCategories)
        .set({ ...value, version: sql`${incidentCategories.version} + 1`, updatedAt: new Date() })
        .where(and(eq(incidentCategories.code, code), version === undefined ? undefined : eq(incidentCategories.version, version)))
        .returning({ code: incidentCategories.code });
      return rows.length === 1;
    },

    /** Adds the categories missing from the dictionary; leaves those present as an office changed them. */
    async ensureCategories(tx: Tx, categories: readonly Omit<IncidentCategory, 'version' | 'active'>[]) {
      if (categories.length === 0) return;
      await tx
        .insert(incidentCategories)
        .values(categories.map((c) => ({ ...c })))
        .onConflictDoNothing();
    },

    // ---- codes ----

    /** The next sequence number of the day; the counter row is locked until the change commits. */
    async nextSequence(tx: Tx, day: string): Promise<number> {
      const [row] = await tx
        .insert(incidentCodeCounters)
        .values({ day, last: 1 })
        .onConflictDoUpdate({ target: incidentCodeCounters.day, set: { last: sql`${incidentCodeCounters.last} + 1` } })
        .returning({ last: incidentCodeCounters.last });
      return row.last;
    },

    // ---- incidents ----

    async list(tx: Tx, actor: Actor, filter: IncidentFilter & { subtreePath?: string }, page: { limit: number; offset: number }) {
      const condition = where(narrowed(actor, filter.subtreePath), filter);
      const [items, [{ total }]] = await Promise.all([
        selectIncidents(tx).where(condition).orderBy(desc(incidents.reportedAt), desc(incidents.id)).limit(page.limit).offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(incidents).where(condition),
      ]);
      return { items: items as IncidentRow[], total };
    },

    /**
     * The incidents of a subtree matching a list filter (the indicators' records, which the list
     * page shows with the same filter), counted per category and priority, and the median minutes
     * from report to the first unit on scene among those that have one.
     */
    async indicatorFigures(tx: Tx, subtree: Scope, filter: IncidentFilter) {
      const condition = where(subtree, filter);
      const groups = await tx
        .select({ category: incidents.category, priority: incidents.priority, count: sql<number>`count(*)::int` })
        .from(incidents)
        .where(condition)
        .groupBy(incidents.category, incidents.priority);
      const [response] = await tx
        .select({
          responded: sql<number>`count(*)::int`,
          medianMinutes: sql<number | null>`percentile_cont(0.5) WITHIN GROUP (
            ORDER BY GREATEST(extract(epoch FROM ${incidents.firstOnSceneAt} - ${incidents.reportedAt}), 0) / 60.0)::float8`,
        })
        .from(incidents)
        .where(and(condition, isNotNull(incidents.firstOnSceneAt)));
      return {
        groups: groups.map((g) => ({ ...g, count: Number(g.count) })),
        responded: Number(response.responded),
        medianMinutes: response.medianMinutes === null ? null : Number(response.medianMinutes),
      };
    },

    /** An incident of the actor's subtree, or null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectIncidents(tx).where(and(eq(incidents.id, id), unitOwned(actor, incidents.orgUnitId)));
      return (row as IncidentRow | undefined) ?? null;
    },

    /** An incident by id whatever the scope (callers that checked scope themselves, SafeForest's own changes). */
    async get(tx: Tx, id: string) {
      const [row] = await selectIncidents(tx).where(eq(incidents.id, id));
      return (row as IncidentRow | undefined) ?? null;
    },

    /** Locks the incident's row until the change commits (status changes, links and merges wait for each other). */
    async lock(tx: Tx, id: string) {
      await tx.execute(sql`SELECT 1 FROM incidents WHERE id = ${id} FOR UPDATE`);
    },

    /**
     * Serialises the openings that could repeat each other (the same source reference, the same
     * category nearby) until the change commits, so two at once cannot both open an incident.
     */
    async lockKey(tx: Tx, key: string) {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`incident:${key}`}))`);
    },

    async insert(tx: Tx, values: IncidentValues) {
      const [row] = await tx
        .insert(incidents)
        .values({ ...values, location: pointFromGeoJson(values.location) as unknown as string })
        .returning({ id: incidents.id });
      return row.id;
    },

    /** Applies the changes when the version is still the one read and the incident is in the actor's subtree. */
    async update(tx: Tx, actor: Actor, id: string, version: number, changes: IncidentChanges) {
      const rows = await tx
        .update(incidents)
        .set(setOf(changes))
        .where(and(eq(incidents.id, id), eq(incidents.version, version), unitOwned(actor, incidents.orgUnitId)))
        .returning({ id: incidents.id });
      return rows.length === 1;
    },

    /** Applies the changes SafeForest makes by itself (an arrival, a resolved SOS), whatever the scope. */
    async updateUnscoped(tx: Tx, id: string, changes: IncidentChanges) {
      await tx.update(incidents).set(setOf(changes)).where(eq(incidents.id, id));
    },

    /** The open incident a report with this source reference repeats (its reports moved with a merge). */
    async findOpenBySourceRef(tx: Tx, source: IncidentSource, sourceRef: string) {
      const [row] = await tx
        .select({ id: incidents.id })
        .from(incidentReports)
        .innerJoin(incidents, eq(incidents.id, incidentReports.incidentId))
        .where(and(eq(incidentReports.source, source), eq(incidentReports.sourceRef, sourceRef), isOpen))
        .orderBy(asc(incidents.reportedAt))
        .limit(1);
      return row?.id ?? null;
    },

    /** The incident, whatever its status, that last took a report of this source and reference. */
    async findLatestBySourceRef(tx: Tx, source: IncidentSource, sourceRef: string) {
      const [row] = await tx
        .select({ id: incidentReports.incidentId })
        .from(incidentReports)
        .where(and(eq(incidentReports.source, source), eq(incidentReports.sourceRef, sourceRef)))
        .orderBy(desc(incidentReports.createdAt))
        .limit(1);
      return row?.id ?? null;
    },

    /**
     * The nearest open incident of the category within `metres` of the point and `hours` of the
     * time (measured from the incident's own place and report time, not from each linked report,
     * so a chain of reports does not stretch an incident across the map).
     */
    async findOpenNear(tx: Tx, category: string, point: Point, at: Date, metres: number, hours: number) {
      const here = pointFromGeoJson(point);
      const [row] = await tx
        .select({ id: incidents.id })
        .from(incidents)
        .where(
          and(
            isOpen,
            eq(incidents.category, category),
            sql`${incidents.reportedAt} BETWEEN ${new Date(at.getTime() - hours * 3_600_000)} AND ${new Date(at.getTime() + hours * 3_600_000)}`,
            // The box first (about 1 km each way, an index scan), then the distance on the ellipsoid.
            sql`${incidents.location} && ST_Expand(${here}, 0.01)`,
            sql`ST_DWithin(${incidents.location}::geography, ${here}::geography, ${metres})`,
          ),
        )
        .orderBy(sql`ST_Distance(${incidents.location}::geography, ${here}::geography)`, asc(incidents.reportedAt))
        .limit(1);
      return row?.id ?? null;
    },

    // ---- reports, timeline, photos ----

    async insertReport(tx: Tx, values: ReportValues) {
      const [row] = await tx
        .insert(incidentReports)
        .values({ ...values, location: pointFromGeoJson(values.location) as unknown as string })
        .returning({ id: incidentReports.id });
      return row.id;
    },

    reports: (tx: Tx, incidentId: string) =>
      tx
        .select(reportColumns)
        .from(incidentReports)
        .where(eq(incidentReports.incidentId, incidentId))
        .orderBy(asc(incidentReports.reportedAt), asc(incidentReports.createdAt)) as Promise<
        (IncidentReport & { priority: number | null; reporterName: string | null; reporterPhone: string | null })[]
      >,

    /** Moves every report of one incident to another (a merge); none stays the primary one. */
    async moveReports(tx: Tx, fromId: string, toId: string) {
      await tx.update(incidentReports).set({ incidentId: toId, primary: false }).where(eq(incidentReports.incidentId, fromId));
    },

    /** Moves one report to another incident, as its primary report (a split). */
    async moveReport(tx: Tx, reportId: string, toId: string) {
      await tx.update(incidentReports).set({ incidentId: toId, primary: true }).where(eq(incidentReports.id, reportId));
    },

    async addTimeline(tx: Tx, entry: { incidentId: string; by: string; kind: string; text?: string | null; data?: unknown; at?: Date }) {
      const [row] = await tx
        .insert(incidentTimeline)
        .values({
          incidentId: entry.incidentId,
          by: entry.by,
          kind: entry.kind,
          text: entry.text ?? null,
          data: entry.data ?? null,
          ...(entry.at ? { at: entry.at } : {}),
        })
        .returning({ id: incidentTimeline.id });
      return row.id;
    },

    timeline: (tx: Tx, incidentId: string) =>
      tx
        .select({
          id: incidentTimeline.id,
          at: incidentTimeline.at,
          by: incidentTimeline.by,
          kind: incidentTimeline.kind,
          text: incidentTimeline.text,
          data: incidentTimeline.data,
        })
        .from(incidentTimeline)
        .where(eq(incidentTimeline.incidentId, incidentId))
        .orderBy(asc(incidentTimeline.at), asc(incidentTimeline.id)) as Promise<IncidentTimelineEntry[]>,

    /** Attaches files as photos; a file attached already is skipped. Answers the ids added. */
    async addPhotos(tx: Tx, incidentId: string, fileIds: readonly string[], by: string) {
      if (fileIds.length === 0) return [];
      const rows = await tx
        .insert(incidentPhotos)
        .values(fileIds.map((fileId) => ({ incidentId, fileId, addedBy: by })))
        .onConflictDoNothing()
        .returning({ fileId: incidentPhotos.fileId });
      return rows.map((r) => r.fileId);
    },

    photos: (tx: Tx, incidentId: string) =>
      tx
        .select({
          fileId: incidentPhotos.fileId,
          name: files.name,
          contentType: files.contentType,
          addedBy: incidentPhotos.addedBy,
          addedAt: incidentPhotos.addedAt,
        })
        .from(incidentPhotos)
        .innerJoin(files, eq(files.id, incidentPhotos.fileId))
        .where(eq(incidentPhotos.incidentId, incidentId))
        .orderBy(asc(incidentPhotos.addedAt), asc(incidentPhotos.fileId)),

    /** Photos of one incident copied to another (a merge), keeping who added them. */
    async copyPhotos(tx: Tx, fromId: string, toId: string) {
      await tx.execute(sql`
        INSERT INTO incident_photos (incident_id, file_id, added_by, added_at)
        SELECT ${toId}, file_id, added_by, added_at FROM incident_photos WHERE incident_id = ${fromId}
        ON CONFLICT DO NOTHING`);
    },
  };
}
export type IncidentsRepo = ReturnType<typeof createIncidentsRepo>;
