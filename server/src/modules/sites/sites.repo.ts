import { and, asc, desc, eq, ilike, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { asGeoJson, pointFromGeoJson } from '../../db/spatial.js';
import type { Actor } from '../../platform/actor.js';
import { countyCodeAt } from '../../platform/org/org.sql.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, type Scope, unitOwned } from '../../platform/scope.js';
import { type CreateSiteInput, type SITE_SORTS, type Site, type SiteFilter, type SiteKind, STAFFED_SITE_KINDS } from './sites.schema.js';
import { sites } from './sites.tables.js';

/** A site is active when in service and, if it has an active period, inside it now. */
const activeNow = sql<boolean>`(${sites.status} = 'in_service'
  AND (${sites.activeFrom} IS NULL OR ${sites.activeFrom} <= now())
  AND (${sites.activeTo} IS NULL OR ${sites.activeTo} >= now()))`;

const siteColumns = {
  id: sites.id,
  name: sites.name,
  kind: sites.kind,
  grade: sites.grade,
  orgUnitId: sites.orgUnitId,
  orgUnitName: orgUnits.name,
  location: asGeoJson(sites.location),
  address: sites.address,
  phone: sites.phone,
  personInCharge: sites.personInCharge,
  staffCount: sites.staffCount,
  dutyHours: sites.dutyHours,
  status: sites.status,
  activeFrom: sites.activeFrom,
  activeTo: sites.activeTo,
  active: activeNow,
  notes: sites.notes,
  version: sites.version,
  createdAt: sites.createdAt,
  updatedAt: sites.updatedAt,
};

const sortColumns = {
  name: sites.name,
  kind: sites.kind,
  updatedAt: sites.updatedAt,
  createdAt: sites.createdAt,
  status: sites.status,
} as const;

/** Values of the table's columns, from the API's input (geometry as SQL). */
function columnsOf(input: Partial<CreateSiteInput>) {
  const { location, ...rest } = input;
  return { ...rest, ...(location ? { location: pointFromGeoJson(location) as unknown as string } : {}) };
}

export function createSitesRepo() {
  /** The conditions every query shares: not deleted, inside the actor's subtree, and the user's filter. */
  function where(actor: Actor, filter: SiteFilter & { subtreePath?: string }): SQL | undefined {
    const conditions: SQL[] = [isNull(sites.deletedAt), unitOwned(narrowed(actor, filter.subtreePath), sites.orgUnitId)];
    if (filter.kind?.length) conditions.push(inArray(sites.kind, filter.kind));
    if (filter.status?.length) conditions.push(inArray(sites.status, filter.status));
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(or(ilike(sites.name, like), ilike(sites.address, like), ilike(sites.personInCharge, like)) as SQL);
    }
    if (filter.bbox) {
      const [w, s, e, n] = filter.bbox;
      conditions.push(sql`${sites.location} && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
    }
    return and(...conditions);
  }

  const selectSites = (tx: Tx) => tx.select(siteColumns).from(sites).innerJoin(orgUnits, eq(orgUnits.id, sites.orgUnitId));

  return {
    /**
     * The sites of a subtree in the register (not deleted) and registered before `before`, and how
     * many of them have every required field filled (see `SITE_REQUIRED_FIELDS`).
     */
    async registerCompleteness(tx: Tx, subtree: Scope, before: Date) {
      const filled = (column: SQL) => sql`NULLIF(btrim(${column}), '') IS NOT NULL`;
      const complete = sql`(${filled(sql`${sites.address}`)} AND ${filled(sql`${sites.phone}`)} AND ${filled(sql`${sites.personInCharge}`)}
        AND (${sites.kind} NOT IN (${sql.join(
          STAFFED_SITE_KINDS.map((k) => sql`${k}`),
          sql`, `,
        )}) OR (${sites.staffCount} IS NOT NULL AND ${filled(sql`${sites.dutyHours}`)}))
        AND (${sites.kind} <> 'timber_checkpoint' OR ${sites.grade} IS NOT NULL)
        AND (${sites.kind} <> 'mobile_checkpoint' OR (${sites.activeFrom} IS NOT NULL AND ${sites.activeTo} IS NOT NULL)))`;
      const [row] = await tx
        .select({ total: sql<number>`count(*)::int`, complete: sql<number>`count(*) FILTER (WHERE ${complete})::int` })
        .from(sites)
        .where(and(isNull(sites.deletedAt), unitOwned(subtree, sites.orgUnitId), lt(sites.createdAt, before)));
      return { total: Number(row.total), complete: Number(row.complete) };
    },

    async list(
      tx: Tx,
      actor: Actor,
      filter: SiteFilter & { subtreePath?: string },
      page: { limit: number; offset: number; sort: (typeof SITE_SORTS)[number] },
    ) {
      const descending = page.sort.startsWith('-');
      const column = sortColumns[page.sort.replace('-', '') as keyof typeof sortColumns];
      const condition = where(actor, filter);
      const [items, [{ total }]] = await Promise.all([
        selectSites(tx)
          .where(condition)
          .orderBy(descending ? desc(column) : asc(column), asc(sites.id))
          .limit(page.limit)
          .offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(sites).where(condition),
      ]);
      return { items: items as Site[], total };
    },

    /** A site of the actor's subtree that is not deleted, or null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectSites(tx).where(and(eq(sites.id, id), isNull(sites.deletedAt), unitOwned(actor, sites.orgUnitId)));
      return (row as Site | undefined) ?? null;
    },

    /**
     * The sites of these ids that are not deleted, whichever unit they belong to: for a record the
     * actor may see that names sites of other units (a county sees the city circle's checkpoints).
     * The caller decides who may see them.
     */
    async findMany(tx: Tx, ids: readonly string[]) {
      if (ids.length === 0) return [];
      const rows = await selectSites(tx).where(and(inArray(sites.id, [...ids]), isNull(sites.deletedAt)));
      return rows as Site[];
    },

    /** The sites of the actor's subtree (not deleted) named one of `names`, with their unit's path. */
    async findByNames(tx: Tx, actor: Actor, names: readonly string[]) {
      if (names.length === 0) return [];
      return tx
        .select({ id: sites.id, name: sites.name, unitPath: orgUnits.path })
        .from(sites)
        .innerJoin(orgUnits, eq(orgUnits.id, sites.orgUnitId))
        .where(and(inArray(sites.name, [...names]), isNull(sites.deletedAt), unitOwned(actor, sites.orgUnitId)));
    },

    async insert(tx: Tx, input: CreateSiteInput) {
      const [row] = await tx
        .insert(sites)
        .values(columnsOf(input) as typeof sites.$inferInsert)
        .returning({ id: sites.id });
      return row.id;
    },

    async insertMany(tx: Tx, inputs: CreateSiteInput[]) {
      if (inputs.length === 0) return [];
      const rows = await tx
        .insert(sites)
        .values(inputs.map((i) => columnsOf(i) as typeof sites.$inferInsert))
        .returning({ id: sites.id });
      return rows.map((r) => r.id);
    },

    /** Applies the change only if the version is still the one read; returns false when it is not. */
    async update(tx: Tx, actor: Actor, id: string, version: number, changes: Partial<CreateSiteInput>) {
      const rows = await tx
        .update(sites)
        .set({ ...(columnsOf(changes) as Partial<typeof sites.$inferInsert>), version: sql`${sites.version} + 1`, updatedAt: new Date() })
        .where(and(eq(sites.id, id), eq(sites.version, version), isNull(sites.deletedAt), unitOwned(actor, sites.orgUnitId)))
        .returning({ id: sites.id });
      return rows.length === 1;
    },

    /** Hides a site; the row stays, with the reason, for the record. */
    async softDelete(tx: Tx, actor: Actor, id: string, reason: string) {
      await tx
        .update(sites)
        .set({ deletedAt: new Date(), deletedReason: reason, version: sql`${sites.version} + 1`, updatedAt: new Date() })
        .where(and(eq(sites.id, id), unitOwned(actor, sites.orgUnitId)));
    },

    /**
     * The active sites of these kinds in the actor's scope nearest to a point, nearest first, with
     * the distance in metres on the sphere. Nearest-neighbour search on the KNN index
     * `sites_location_geog_gist` (`ORDER BY location::geography <-> $p LIMIT n`).
     */
    async nearest(tx: Tx, actor: Actor, at: readonly [number, number], kinds: readonly SiteKind[], limit: number) {
      const point = sql`ST_SetSRID(ST_MakePoint(${at[0]}, ${at[1]}), 4326)::geography`;
      const distance = sql`(${sites.location}::geography) <-> ${point}`;
      // No join: the planner then walks the KNN index and filters each site it meets.
      const rows = await tx
        .select({
          id: sites.id,
          name: sites.name,
          kind: sites.kind,
          phone: sites.phone,
          orgUnitId: sites.orgUnitId,
          lon: sql<number>`ST_X(${sites.location})`,
          lat: sql<number>`ST_Y(${sites.location})`,
          distanceM: sql<number>`${distance}`.mapWith(Number),
        })
        .from(sites)
        .where(and(isNull(sites.deletedAt), activeNow, inArray(sites.kind, [...kinds]), unitOwned(actor, sites.orgUnitId)))
        .orderBy(distance)
        .limit(limit);
      return rows as (Omit<(typeof rows)[number], 'kind'> & { kind: SiteKind })[];
    },

    /**
     * The sites of these kinds among `ids` in the actor's scope (not deleted), with their unit's
     * path, the code of the county they lie in (the unit's own code above the counties) and their
     * point: what a record placed at a site (a checkpoint's capture) carries.
     */
    async placesInScope(tx: Tx, actor: Actor, ids: readonly string[], kinds: readonly SiteKind[]) {
      if (ids.length === 0) return [];
      const rows = await tx
        .select({
          id: sites.id,
          name: sites.name,
          kind: sites.kind,
          orgUnitId: sites.orgUnitId,
          orgPath: orgUnits.path,
          countyCode: sql<string | null>`COALESCE(${countyCodeAt(orgUnits.path)}, ${orgUnits.code})`,
          lon: sql<number>`ST_X(${sites.location})`,
          lat: sql<number>`ST_Y(${sites.location})`,
        })
        .from(sites)
        .innerJoin(orgUnits, eq(orgUnits.id, sites.orgUnitId))
        .where(
          and(inArray(sites.id, [...ids]), isNull(sites.deletedAt), inArray(sites.kind, [...kinds]), unitOwned(actor, sites.orgUnitId)),
        );
      return rows as (Omit<(typeof rows)[number], 'kind'> & { kind: SiteKind })[];
    },

    /** Every site of these kinds active now, with its place (SafeForest's own read, no actor: the demo road traffic). */
    activePlaces: (tx: Tx, kinds: readonly SiteKind[]) =>
      tx
        .select({ id: sites.id, lon: sql<number>`ST_X(${sites.location})`, lat: sql<number>`ST_Y(${sites.location})` })
        .from(sites)
        .where(and(isNull(sites.deletedAt), inArray(sites.kind, [...kinds]), activeNow))
        .orderBy(asc(sites.id)),

    /** Points for the map: few columns, no paging. */
    async features(tx: Tx, actor: Actor, filter: SiteFilter & { subtreePath?: string }) {
      return tx
        .select({
          id: sites.id,
          name: sites.name,
          kind: sites.kind,
          grade: sites.grade,
          status: sites.status,
          active: activeNow,
          orgUnitId: sites.orgUnitId,
          orgUnitName: orgUnits.name,
          lon: sql<number>`ST_X(${sites.location})`,
          lat: sql<number>`ST_Y(${sites.location})`,
        })
        .from(sites)
        .innerJoin(orgUnits, eq(orgUnits.id, sites.orgUnitId))
        .where(where(actor, filter))
        .orderBy(asc(sites.kind), asc(sites.name));
    },
  };
}
export type SitesRepo = ReturnType<typeof createSitesRepo>;
