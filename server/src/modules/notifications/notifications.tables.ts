import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../../platform/org/org.tables.js';

/**
 * Receivers of signed webhooks: a URL and the events it subscribes to. The signing secret is
 * kept encrypted (`secret-box.ts`): HMAC needs the secret itself, so it cannot be stored as a hash.
 */
export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  events: text('events').array().notNull(),
  secretEncrypted: text('secret_encrypted').notNull(),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

/**
 * The durable outbox: one row per message to one receiver, written in the transaction of the
 * change that caused it and sent by the delivery worker, retried with back-off until delivered or
 * out of attempts. `org_unit_id` is the unit of what it is about (an incident's county), which
 * scopes the delivery log; a test message has none.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').notNull(),
    /** The webhook id, the e-mail address or the phone number. */
    target: text('target').notNull(),
    webhookId: uuid('webhook_id').references(() => webhooks.id),
    event: text('event').notNull(),
    payload: jsonb('payload').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** What the delivery belongs to, for whoever follows its outcome (`incident:<id>`). */
    ref: text('ref'),
    orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
    status: text('status').notNull().default('pending'),
    attempts: smallint('attempts').notNull().default(0),
    maxAttempts: smallint('max_attempts').notNull(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** When a worker took it for sending; a claim older than the lease is taken again (a worker that died). */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    lastError: text('last_error'),
    responseCode: integer('response_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('notification_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status IN ('pending', 'sending')`),
    index('notification_deliveries_created_idx').on(t.createdAt),
    index('notification_deliveries_ref_idx').on(t.ref),
  ],
);
