import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../../platform/org/org.tables.js';
import { rangers } from '../rangers/rangers.tables.js';

/**
 * Positioning devices: a phone running Traccar Client or OwnTracks, a GPS tracker, or the ranger
 * page of SafeForest itself. `unique_id` is what the device sends as its identity; the optional
 * key is stored as its SHA-256 only. `kind` says whether the ranger carries it as their phone (the
 * ranger page reports through it, and it is the preferred source of their track) or as a tracker.
 * A device bound to a ranger belongs to the ranger's unit.
 */
export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    uniqueId: text('unique_id').notNull(),
    name: text('name').notNull(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    keyHash: text('key_hash'),
    kind: text('kind').notNull().default('phone'),
    model: text('model'),
    phone: text('phone'),
    status: text('status').notNull().default('active'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('devices_unique_id_idx').on(t.uniqueId),
    index('devices_org_unit_idx').on(t.orgUnitId),
    check('devices_kind_check', sql`${t.kind} IN ('phone', 'tracker')`),
  ],
);

/**
 * Whether an office requires keys of the devices of its county: then fixes of a keyless device of
 * the county are refused like a wrong key, and no keyless device may be registered there. A row
 * per county that has ever set it.
 */
export const deviceKeyPolicies = pgTable('device_key_policies', {
  orgUnitId: integer('org_unit_id')
    .primaryKey()
    .references(() => orgUnits.id),
  requireKeys: boolean('require_keys').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

/**
 * Which ranger carried a device when: a phone that changes hands gets a new binding, so the
 * history of each ranger stays right. `valid_to` null means the binding is current.
 */
export const deviceBindings = pgTable(
  'device_bindings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    rangerId: uuid('ranger_id')
      .notNull()
      .references(() => rangers.id),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }),
  },
  (t) => [index('device_bindings_device_idx').on(t.deviceId, t.validFrom), index('device_bindings_ranger_idx').on(t.rangerId, t.validFrom)],
);
