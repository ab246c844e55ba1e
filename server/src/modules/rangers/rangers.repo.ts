import { and, asc, desc, eq, ilike, inArray, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { users } from '../../platform/auth/auth.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, rangerInScope, type Scope, unitOwned } from '../../platform/scope.js';
import { deviceBindings, devices } from '../devices/devices.tables.js';
import type { CreateRangerInput, RANGER_SORTS, Ranger, RangerFilter } from './rangers.schema.js';
import { rangers } from './rangers.tables.js';

const commandingUnits = alias(orgUnits, 'commanding_unit');

/** The devices bound to the ranger now (an open binding), as a JSON array. */
const currentDevices = sql<Ranger['devices']>`COALESCE((
    SELECT json_agg(json_build_object('id', d.id, 'uniqueId', d.unique_id, 'name', d.name, 'kind', d.kind, 'hasKey', d.key_hash IS NOT NULL) ORDER BY d.unique_id)
    FROM ${deviceBindings} b
    JOIN ${devices} d ON d.id = b.device_id AND d.deleted_at IS NULL
    WHERE b.ranger_id = ${rangers.id} AND b.valid_to IS NULL
  ), '[]'::json)`;

const rangerColumns = {
  id: rangers.id,
  name: rangers.name,
  kind: rangers.kind,
  orgUnitId: rangers.orgUnitId,
  orgUnitName: orgUnits.name,
  commandingUnitId: rangers.commandingUnitId,
  commandingUnitName: commandingUnits.name,
  userId: rangers.userId,
  username: users.username,
  phone: rangers.phone,
  status: rangers.status,
  notes: rangers.notes,
  version: rangers.version,
  createdAt: rangers.createdAt,
  updatedAt: rangers.updatedAt,
  devices: currentDevices,
};

const sortColumns = {
  name: rangers.name,
  kind: rangers.kind,
  status: rangers.status,
  updatedAt: rangers.updatedAt,
  createdAt: rangers.createdAt,
} as const;

/** A ranger of the scope: assigned to it, or commanded by a station in it (platform/scope.ts). */
const inScope = (scope: Scope): SQL => rangerInScope(scope, { orgUnitId: rangers.orgUnitId, commandingUnitId: rangers.commandingUnitId });

export function createRangersRepo() {
  /** The conditions every query shares: not deleted, in the actor's scope, and the user's filter. */
  function where(actor: Actor, filter: RangerFilter & { subtreePath?: string }): SQL | undefined {
    const conditions: SQL[] = [isNull(rangers.deletedAt), inScope(narrowed(actor, filter.subtreePath))];
    if (filter.kind?.length) conditions.push(inArray(rangers.kind, filter.kind));
    if (filter.status?.length) conditions.push(inArray(rangers.status, filter.status));
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(or(ilike(rangers.name, like), ilike(rangers.phone, like)) as SQL);
    }
    return and(...conditions);
  }

  const selectRangers = (tx: Tx) =>
    tx
      .select(rangerColumns)
      .from(rangers)
      .innerJoin(orgUnits, eq(orgUnits.id, rangers.orgUnitId))
      .leftJoin(commandingUnits, eq(commandingUnits.id, rangers.commandingUnitId))
      .leftJoin(users, eq(users.id, rangers.userId));

  return {
    async list(
      tx: Tx,
      actor: Actor,
      filter: RangerFilter & { subtreePath?: string },
      page: { limit: number; offset: number; sort: (typeof RANGER_SORTS)[number] },
    ) {
      const descending = page.sort.startsWith('-');
      const column = sortColumns[page.sort.replace('-', '') as keyof typeof sortColumns];
      const condition = where(actor, filter);
      const [items, [{ total }]] = await Promise.all([
        selectRangers(tx)
          .where(condition)
          .orderBy(descending ? desc(column) : asc(column), asc(rangers.id))
          .limit(page.limit)
          .offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(rangers).where(condition),
      ]);
      return { items: items as Ranger[], total };
    },

    /** A ranger of the actor's scope that is not deleted, or null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectRangers(tx).where(and(eq(rangers.id, id), isNull(rangers.deletedAt), inScope(actor)));
      return (row as Ranger | undefined) ?? null;
    },

    /**
     * The ranger linked to a sign-in account. Not limited by org scope on purpose: the link itself
     * is the authority, and a ranger whose account sits in one grid may be assigned to the next.
     */
    async findByUser(tx: Tx, userId: string) {
      const [row] = await selectRangers(tx).where(and(eq(rangers.userId, userId), isNull(rangers.deletedAt)));
      return (row as Ranger | undefined) ?? null;
    },

    /**
     * The unit a ranger is assigned to. Only for a ranger already found in the actor's scope: a
     * station's officers see rangers whose grids lie outside their own subtree.
     */
    async areaOf(tx: Tx, rangerId: string) {
      const [row] = await tx
        .select({ id: orgUnits.id, path: orgUnits.path, name: orgUnits.name })
        .from(rangers)
        .innerJoin(orgUnits, eq(orgUnits.id, rangers.orgUnitId))
        .where(eq(rangers.id, rangerId));
      return row;
    },

    /**
     * Whether `stationId` is a forest police station in the actor's scope whose county holds the
     * unit at `areaPath`: only such a station may command a ranger of that area.
     */
    async stationCommandsArea(tx: Tx, actor: Actor, stationId: number, areaPath: string) {
      const result = await tx.execute<{ ok: boolean }>(sql`
        SELECT EXISTS (
          SELECT 1
          FROM org_units s
          JOIN org_units c ON c.kind = 'county' AND s.path LIKE c.path || '%'
          WHERE s.id = ${stationId} AND s.kind = 'police_station'
            AND ${unitOwned(actor, sql`s.id`)}
            AND ${areaPath} LIKE c.path || '%'
        ) AS ok`);
      return result.rows[0]?.ok === true;
    },

    /**
     * A user account of the actor's scope, locked until the transaction ends, so two requests
     * cannot link the same account to two rangers at once.
     */
    async lockUserInScope(tx: Tx, actor: Actor, userId: string) {
      const [row] = await tx
        .select({ id: users.id, username: users.username })
        .from(users)
        .where(and(eq(users.id, userId), unitOwned(actor, users.orgUnitId)))
        .for('update');
      return row ?? null;
    },

    /** Another ranger (not deleted) already linked to the account, or null. */
    async rangerLinkedTo(tx: Tx, userId: string, exceptRangerId?: string) {
      const conditions: SQL[] = [eq(rangers.userId, userId), isNull(rangers.deletedAt)];
      if (exceptRangerId) conditions.push(ne(rangers.id, exceptRangerId));
      const [row] = await tx
        .select({ id: rangers.id })
        .from(rangers)
        .where(and(...conditions))
        .limit(1);
      return row?.id ?? null;
    },

    async insert(tx: Tx, input: CreateRangerInput) {
      const [row] = await tx.insert(rangers).values(input).returning({ id: rangers.id });
      return row.id;
    },

    /** Applies the change only if the version is still the one read; returns false when it is not. */
    async update(tx: Tx, actor: Actor, id: string, version: number, changes: Partial<CreateRangerInput>) {
      const rows = await tx
        .update(rangers)
        .set({ ...changes, version: sql`${rangers.version} + 1`, updatedAt: new Date() })
        .where(and(eq(rangers.id, id), eq(rangers.version, version), isNull(rangers.deletedAt), inScope(actor)))
        .returning({ id: rangers.id });
      return rows.length === 1;
    },

    /** Hides a ranger (the row stays for patrol history); the reason goes to the audit log. */
    async softDelete(tx: Tx, actor: Actor, id: string) {
      await tx
        .update(rangers)
        .set({ deletedAt: new Date(), version: sql`${rangers.version} + 1`, updatedAt: new Date() })
        .where(and(eq(rangers.id, id), inScope(actor)));
    },

    /** Moves the devices the ranger carries now to the ranger's new unit (a device belongs to its ranger's unit); answers their identities. */
    async moveDevices(tx: Tx, rangerId: string, orgUnitId: number) {
      const result = await tx.execute<{ unique_id: string }>(sql`
        UPDATE devices d SET org_unit_id = ${orgUnitId}, version = d.version + 1, updated_at = now()
        FROM device_bindings b
        WHERE b.device_id = d.id AND b.ranger_id = ${rangerId} AND b.valid_to IS NULL AND d.deleted_at IS NULL
        RETURNING d.unique_id`);
      return result.rows.map((r) => r.unique_id);
    },

    /**
     * Ends the ranger's open device bindings now, so their devices are free to bind to someone
     * else; answers the device ids released.
     */
    async endBindings(tx: Tx, rangerId: string) {
      const result = await tx.execute<{ device_id: string }>(sql`
        UPDATE device_bindings
        SET valid_to = GREATEST(now(), valid_from)
        WHERE ranger_id = ${rangerId} AND valid_to IS NULL
        RETURNING device_id`);
      return result.rows.map((r) => r.device_id);
    },
  };
}
export type RangersRepo = ReturnType<typeof createRangersRepo>;
