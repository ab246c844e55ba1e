import { and, asc, desc, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, rangerOwned, type Scope, unitOwned } from '../../platform/scope.js';
import { deviceStates } from '../positions/positions.tables.js';
import { rangers } from '../rangers/rangers.tables.js';
import type { Device } from './devices.schema.js';
import { deviceBindings, deviceKeyPolicies, devices } from './devices.tables.js';

const currentBinding = sql`(SELECT b.ranger_id FROM device_bindings b WHERE b.device_id = ${devices.id} AND b.valid_to IS NULL LIMIT 1)`;

/** A device of the scope: its unit is in it, or the ranger carrying it now is (platform/scope.ts). */
const deviceOfScope = (scope: Scope): SQL => rangerOwned(scope, devices.orgUnitId, currentBinding);

const deviceColumns = {
  id: devices.id,
  uniqueId: devices.uniqueId,
  name: devices.name,
  kind: sql<'phone' | 'tracker'>`${devices.kind}`,
  orgUnitId: devices.orgUnitId,
  orgUnitName: orgUnits.name,
  model: devices.model,
  phone: devices.phone,
  status: devices.status,
  hasKey: sql<boolean>`${devices.keyHash} IS NOT NULL`,
  rangerId: sql<string | null>`${currentBinding}`,
  rangerName: sql<string | null>`(SELECT r.name FROM rangers r WHERE r.id = ${currentBinding})`,
  lastFixTime:
    sql<Date | null>`(SELECT ${deviceStates.fixTime} FROM ${deviceStates} WHERE ${deviceStates.deviceId} = ${devices.id})`.mapWith((v) =>
      v ? new Date(v) : null,
    ),
  version: devices.version,
  createdAt: devices.createdAt,
  updatedAt: devices.updatedAt,
};

/** Whether a unit's county (or any unit above it) requires device keys: `path` is the unit's path. */
const keysRequiredFor = (path: SQL) => sql`EXISTS (
  SELECT 1 FROM device_key_policies kp JOIN org_units kc ON kc.id = kp.org_unit_id
  WHERE kp.require_keys AND ${path} LIKE kc.path || '%')`;

/** A device as the ingest pipeline needs it: identity, key, owner and every binding. */
export type DirectoryRow = {
  deviceId: string;
  uniqueId: string;
  keyHash: string | null;
  /** Its county requires keys: without one, its fixes are refused. */
  keyRequired: boolean;
  status: string;
  orgUnitId: number;
  orgPath: string;
  bindings: { rangerId: string; orgUnitId: number; orgPath: string; from: string; to: string | null }[];
};

/** The columns of a device being registered. */
export type NewDevice = typeof devices.$inferInsert;

export function createDevicesRepo() {
  const selectDevices = (tx: Tx) => tx.select(deviceColumns).from(devices).innerJoin(orgUnits, eq(orgUnits.id, devices.orgUnitId));

  return {
    async list(
      tx: Tx,
      actor: Actor,
      f: { subtreePath?: string; rangerId?: string; q?: string; status?: string; limit: number; offset: number },
    ) {
      const conditions: SQL[] = [isNull(devices.deletedAt), deviceOfScope(narrowed(actor, f.subtreePath))];
      if (f.rangerId) conditions.push(sql`${currentBinding} = ${f.rangerId}`);
      if (f.status) conditions.push(eq(devices.status, f.status));
      if (f.q) conditions.push(or(ilike(devices.uniqueId, `%${f.q}%`), ilike(devices.name, `%${f.q}%`)) as SQL);
      const where = and(...conditions);
      const [items, [{ total }]] = await Promise.all([
        selectDevices(tx).where(where).orderBy(asc(devices.uniqueId)).limit(f.limit).offset(f.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(devices).where(where),
      ]);
      return { items: items as Device[], total };
    },

    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectDevices(tx).where(and(eq(devices.id, id), isNull(devices.deletedAt), deviceOfScope(actor)));
      return (row as Device | undefined) ?? null;
    },

    /** A device just written by a change, whatever the scope, with its unit's path (for its audit row and event). */
    async findWritten(tx: Tx, id: string) {
      const [row] = await tx
        .select({ ...deviceColumns, orgPath: orgUnits.path })
        .from(devices)
        .innerJoin(orgUnits, eq(orgUnits.id, devices.orgUnitId))
        .where(eq(devices.id, id));
      return (row as (Device & { orgPath: string }) | undefined) ?? null;
    },

    /** Whether any device, deleted or not, already uses this identity (identities are never reused). */
    uniqueIdTaken: async (tx: Tx, uniqueId: string) =>
      (await tx.select({ id: devices.id }).from(devices).where(eq(devices.uniqueId, uniqueId)).limit(1)).length > 0,

    async insert(tx: Tx, values: NewDevice) {
      const [row] = await tx.insert(devices).values(values).returning({ id: devices.id });
      return row.id;
    },

    async update(tx: Tx, actor: Actor, id: string, version: number, values: Partial<typeof devices.$inferInsert>) {
      const rows = await tx
        .update(devices)
        .set({ ...values, version: sql`${devices.version} + 1`, updatedAt: new Date() })
        .where(and(eq(devices.id, id), eq(devices.version, version), deviceOfScope(actor)))
        .returning({ id: devices.id });
      return rows.length === 1;
    },

    softDelete: (tx: Tx, actor: Actor, id: string) =>
      tx
        .update(devices)
        .set({ deletedAt: new Date(), status: 'disabled', version: sql`${devices.version} + 1` })
        .where(and(eq(devices.id, id), deviceOfScope(actor))),

    /** Ends the device's current binding at `at` (a device is carried by one ranger at a time). */
    endBinding: (tx: Tx, deviceId: string, at: Date) =>
      tx
        .update(deviceBindings)
        .set({ validTo: at })
        .where(and(eq(deviceBindings.deviceId, deviceId), isNull(deviceBindings.validTo))),

    startBinding: (tx: Tx, deviceId: string, rangerId: string, at: Date) =>
      tx.insert(deviceBindings).values({ deviceId, rangerId, validFrom: at }),

    bindings: (tx: Tx, deviceId: string) =>
      tx
        .select({
          rangerId: deviceBindings.rangerId,
          rangerName: rangers.name,
          validFrom: deviceBindings.validFrom,
          validTo: deviceBindings.validTo,
        })
        .from(deviceBindings)
        .innerJoin(rangers, eq(rangers.id, deviceBindings.rangerId))
        .where(eq(deviceBindings.deviceId, deviceId))
        .orderBy(desc(deviceBindings.validFrom)),

    /**
     * A ranger assigned to the actor's subtree (to bind a device to), or null. Binding moves the
     * device into the ranger's unit, so a ranger seen only through its commanding station is not one.
     */
    async rangerInScope(tx: Tx, actor: Actor, rangerId: string) {
      const [row] = await tx
        .select({ id: rangers.id, name: rangers.name, orgUnitId: rangers.orgUnitId })
        .from(rangers)
        .where(and(eq(rangers.id, rangerId), isNull(rangers.deletedAt), unitOwned(actor, rangers.orgUnitId)));
      return row ?? null;
    },

    /** The ranger linked to a user account (the ranger page acts for it), or null. */
    async rangerOfUser(tx: Tx, userId: string) {
      const [row] = await tx
        .select({ id: rangers.id, name: rangers.name, orgUnitId: rangers.orgUnitId })
        .from(rangers)
        .where(and(eq(rangers.userId, userId), isNull(rangers.deletedAt)));
      return row ?? null;
    },

    /**
     * The phone the ranger page reports through: the ranger's active phone bound now (the most
     * recently bound first), or null.
     */
    async currentPhoneOf(tx: Tx, rangerId: string) {
      const result = await tx.execute<{ unique_id: string }>(sql`
        SELECT d.unique_id FROM devices d JOIN device_bindings b ON b.device_id = d.id AND b.valid_to IS NULL
        WHERE b.ranger_id = ${rangerId} AND d.kind = 'phone' AND d.status = 'active' AND d.deleted_at IS NULL
        ORDER BY b.valid_from DESC, d.created_at DESC, d.id
        LIMIT 1`);
      return result.rows[0]?.unique_id ?? null;
    },

    /** Whether devices of this unit must have a key (its county, or a unit above it, requires keys). */
    async keysRequiredAt(tx: Tx, unitId: number) {
      const result = await tx.execute<{ required: boolean }>(
        sql`SELECT ${keysRequiredFor(sql`u.path`)} AS required FROM org_units u WHERE u.id = ${unitId}`,
      );
      return result.rows[0]?.required === true;
    },

    /** The key policy of every county in the actor's subtree, with its active keyless devices. */
    async keyPolicies(tx: Tx, actor: Actor, countyId?: number) {
      const only = countyId ? sql`AND c.id = ${countyId}` : sql``;
      const result = await tx.execute<KeyPolicyRow>(sql`
        SELECT c.id AS "orgUnitId", c.name AS "orgUnitName", c.path AS "orgPath", COALESCE(kp.require_keys, false) AS "requireKeys",
          (SELECT count(*)::int FROM devices d JOIN org_units du ON du.id = d.org_unit_id
           WHERE du.path LIKE c.path || '%' AND d.key_hash IS NULL AND d.status = 'active' AND d.deleted_at IS NULL) AS "keylessDevices"
        FROM org_units c
        LEFT JOIN device_key_policies kp ON kp.org_unit_id = c.id
        WHERE c.kind = 'county' AND ${unitOwned(actor, sql`c.id`)} ${only}
        ORDER BY c.code, c.id`);
      return result.rows;
    },

    setKeyPolicy: (tx: Tx, orgUnitId: number, requireKeys: boolean, by: string) =>
      tx
        .insert(deviceKeyPolicies)
        .values({ orgUnitId, requireKeys, updatedBy: by })
        .onConflictDoUpdate({ target: deviceKeyPolicies.orgUnitId, set: { requireKeys, updatedBy: by, updatedAt: new Date() } }),

    /** A device by identity (deleted or not), with its current ranger. */
    async byUniqueId(tx: Tx, uniqueId: string) {
      const [row] = await tx
        .select({ id: devices.id, deletedAt: devices.deletedAt, rangerId: sql<string | null>`${currentBinding}` })
        .from(devices)
        .where(eq(devices.uniqueId, uniqueId));
      return row ?? null;
    },

    /**
     * Devices with their owner's path and all their bindings, for the ingest pipeline's in-memory
     * directory: all devices, or those with the given identities.
     */
    async directory(tx: Tx, uniqueIds?: string[]): Promise<DirectoryRow[]> {
      const filter = uniqueIds ? sql`AND d.unique_id = ANY(${sql.param(uniqueIds)}::text[])` : sql``;
      const result = await tx.execute<DirectoryRow>(sql`
        SELECT d.id AS "deviceId", d.unique_id AS "uniqueId", d.key_hash AS "keyHash", ${keysRequiredFor(sql`u.path`)} AS "keyRequired",
          d.status, d.org_unit_id AS "orgUnitId", u.path AS "orgPath",
          COALESCE((
            SELECT json_agg(json_build_object('rangerId', b.ranger_id, 'orgUnitId', r.org_unit_id, 'orgPath', ru.path,
                                              'from', b.valid_from, 'to', b.valid_to) ORDER BY b.valid_from)
            FROM device_bindings b JOIN rangers r ON r.id = b.ranger_id JOIN org_units ru ON ru.id = r.org_unit_id
            WHERE b.device_id = d.id), '[]'::json) AS bindings
        FROM devices d JOIN org_units u ON u.id = d.org_unit_id
        WHERE d.deleted_at IS NULL ${filter}`);
      return result.rows;
    },
  };
}
export type DevicesRepo = ReturnType<typeof createDevicesRepo>;

export type KeyPolicyRow = { orgUnitId: number; orgUnitName: string; orgPath: string; requireKeys: boolean; keylessDevices: number };

/** The identity of the device that stands for a ranger's own phone browser (the ranger page). */
export const webDeviceId = (rangerId: string) => `web-${rangerId}`;
