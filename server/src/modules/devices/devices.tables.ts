import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../../platform/org/org.tables.js';
import { rangers } from '../rangers/rangers.tables.js';

/**
 * Positioning devices: a phone running Traccar Client or OwnTracks, a GPS tracker, or the ranger
 * page of SafeForest itself. `unique_id` is what the device sends as its identity; the optional
 * key is stored as its SHA-256 only.
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
    model: text('model'),
    phone: text('phone'),
    status: text('status').notNull().default('active'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('devices_unique_id_idx').on(t.uniqueId), index('devices_org_unit_idx').on(t.orgUnitId)],
);

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
