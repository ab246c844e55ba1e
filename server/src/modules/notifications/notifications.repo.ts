import { and, arrayContains, desc, eq, gte, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { unitOwnedOrUnowned } from '../../platform/scope.js';
import type { Delivery, DeliveryFilter, Webhook } from './notifications.schema.js';
import { notificationDeliveries as d, webhooks } from './notifications.tables.js';

const webhookColumns = {
  id: webhooks.id,
  name: webhooks.name,
  url: webhooks.url,
  events: webhooks.events,
  active: webhooks.active,
  version: webhooks.version,
  createdAt: webhooks.createdAt,
  updatedAt: webhooks.updatedAt,
};

const deliveryColumns = {
  id: d.id,
  channel: d.channel,
  target: d.target,
  webhookId: d.webhookId,
  event: d.event,
  subject: d.subject,
  ref: d.ref,
  orgUnitId: d.orgUnitId,
  status: d.status,
  attempts: d.attempts,
  maxAttempts: d.maxAttempts,
  nextAttemptAt: d.nextAttemptAt,
  lastError: d.lastError,
  responseCode: d.responseCode,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  deliveredAt: d.deliveredAt,
};

/** A webhook as the sender needs it: with its sealed secret. */
export type WebhookRow = Webhook & { secretEncrypted: string };
/** A delivery as the sender needs it: with what it sends. */
export type DueDelivery = Delivery & { payload: Record<string, unknown>; body: string };

export type NewDelivery = Pick<
  typeof d.$inferInsert,
  | 'id'
  | 'channel'
  | 'target'
  | 'webhookId'
  | 'event'
  | 'payload'
  | 'subject'
  | 'body'
  | 'ref'
  | 'orgUnitId'
  | 'maxAttempts'
  | 'attempts'
  | 'claimedAt'
> & { status?: 'pending' | 'sending' };

export function createNotificationsRepo() {
  const liveWebhooks = isNull(webhooks.deletedAt);
  return {
    async listWebhooks(tx: Tx, page: { limit: number; offset: number }) {
      const [items, [{ total }]] = await Promise.all([
        tx
          .select(webhookColumns)
          .from(webhooks)
          .where(liveWebhooks)
          .orderBy(webhooks.createdAt, webhooks.id)
          .limit(page.limit)
          .offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(webhooks).where(liveWebhooks),
      ]);
      return { items: items as Webhook[], total };
    },

    /** A webhook that is not deleted, with its sealed secret, or null. */
    async findWebhook(tx: Tx, id: string) {
      const [row] = await tx
        .select({ ...webhookColumns, secretEncrypted: webhooks.secretEncrypted })
        .from(webhooks)
        .where(and(eq(webhooks.id, id), liveWebhooks));
      return (row as WebhookRow | undefined) ?? null;
    },

    /** The ids of the active webhooks subscribed to an event. */
    async subscribers(tx: Tx, event: string) {
      const rows = await tx
        .select({ id: webhooks.id })
        .from(webhooks)
        .where(and(liveWebhooks, eq(webhooks.active, true), arrayContains(webhooks.events, [event])));
      return rows.map((r) => r.id);
    },

    /** Which of these ids are webhooks that exist (deleted ones do not). */
    async existingWebhooks(tx: Tx, ids: readonly string[]) {
      if (ids.length === 0) return [];
      const rows = await tx
        .select({ id: webhooks.id })
        .from(webhooks)
        .where(and(inArray(webhooks.id, [...ids]), liveWebhooks));
      return rows.map((r) => r.id);
    },

    async insertWebhook(
      tx: Tx,
      row: { id: string; name: string; url: string; events: string[]; secretEncrypted: string; active: boolean },
    ) {
      const [created] = await tx.insert(webhooks).values(row).returning({ id: webhooks.id });
      return created.id;
    },

    /** Applies the change only if the version is still the one read; false when it is not. */
    async updateWebhook(
      tx: Tx,
      id: string,
      version: number,
      changes: Partial<{ name: string; url: string; events: string[]; secretEncrypted: string; active: boolean }>,
    ) {
      const rows = await tx
        .update(webhooks)
        .set({ ...changes, version: sql`${webhooks.version} + 1`, updatedAt: new Date() })
        .where(and(eq(webhooks.id, id), eq(webhooks.version, version), liveWebhooks))
        .returning({ id: webhooks.id });
      return rows.length === 1;
    },

    /** Hides a webhook; its deliveries keep pointing at it for the log. */
    async softDeleteWebhook(tx: Tx, id: string) {
      await tx
        .update(webhooks)
        .set({ deletedAt: new Date(), active: false, version: sql`${webhooks.version} + 1`, updatedAt: new Date() })
        .where(and(eq(webhooks.id, id), liveWebhooks));
    },

    async insertDeliveries(tx: Tx, rows: NewDelivery[]) {
      if (rows.length === 0) return [];
      const created = await tx.insert(d).values(rows).returning({ id: d.id });
      return created.map((r) => r.id);
    },

    /** The delivery log within the actor's scope (deliveries of no unit, such as tests, for the whole-tree scope only). */
    async listDeliveries(tx: Tx, actor: Actor, filter: DeliveryFilter, page: { limit: number; offset: number }) {
      const conditions: SQL[] = [unitOwnedOrUnowned(actor, d.orgUnitId)];
      if (filter.status?.length) conditions.push(inArray(d.status, filter.status));
      if (filter.channel?.length) conditions.push(inArray(d.channel, filter.channel));
      if (filter.event) conditions.push(eq(d.event, filter.event));
      if (filter.webhookId) conditions.push(eq(d.webhookId, filter.webhookId));
      if (filter.ref) conditions.push(eq(d.ref, filter.ref));
      if (filter.from) conditions.push(gte(d.createdAt, filter.from));
      if (filter.to) conditions.push(lt(d.createdAt, filter.to));
      const where = and(...conditions);
      const [items, [{ total }]] = await Promise.all([
        tx.select(deliveryColumns).from(d).where(where).orderBy(desc(d.createdAt), desc(d.id)).limit(page.limit).offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(d).where(where),
      ]);
      return { items: items as Delivery[], total };
    },

    /** A delivery within the actor's scope, or null. */
    async findDeliveryInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await tx
        .select(deliveryColumns)
        .from(d)
        .where(and(eq(d.id, id), unitOwnedOrUnowned(actor, d.orgUnitId)));
      return (row as Delivery | undefined) ?? null;
    },

    async findDelivery(tx: Tx, id: string) {
      const [row] = await tx
        .select({ ...deliveryColumns, payload: d.payload, body: d.body })
        .from(d)
        .where(eq(d.id, id));
      return (row as DueDelivery | undefined) ?? null;
    },

    /**
     * Takes up to `limit` deliveries that are due for sending (pending and due, or claimed by a
     * worker longer ago than the lease: a worker that died or a restart), marks them sending and
     * counts the attempt. `SKIP LOCKED`: several instances on one database never take the same one.
     */
    async claimDue(tx: Tx, { now, limit, leaseMs }: { now: Date; limit: number; leaseMs: number }) {
      const staleBefore = new Date(now.getTime() - leaseMs);
      const rows = await tx.execute(sql`
        UPDATE notification_deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = ${now}, updated_at = ${now}
        WHERE id IN (
          SELECT id FROM notification_deliveries
          WHERE (status = 'pending' AND next_attempt_at <= ${now}) OR (status = 'sending' AND claimed_at < ${staleBefore})
          ORDER BY next_attempt_at, id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING id`);
      return (rows.rows as { id: string }[]).map((r) => r.id);
    },

    /** Records an attempt's outcome on a delivery this worker holds (status `sending`, claimed at `claimedAt`). */
    async settle(
      tx: Tx,
      id: string,
      outcome: {
        status: 'delivered' | 'failed' | 'pending';
        nextAttemptAt?: Date;
        error: string | null;
        responseCode: number | null;
        at: Date;
      },
    ) {
      const rows = await tx
        .update(d)
        .set({
          status: outcome.status,
          lastError: outcome.error,
          responseCode: outcome.responseCode,
          claimedAt: null,
          updatedAt: outcome.at,
          ...(outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
          ...(outcome.status === 'delivered' ? { deliveredAt: outcome.at } : {}),
        })
        .where(and(eq(d.id, id), eq(d.status, 'sending')))
        .returning({ id: d.id });
      return rows.length === 1;
    },

    /** Puts a failed delivery back in the queue with a fresh set of attempts; false when it was not failed. */
    async requeue(tx: Tx, actor: Actor, id: string) {
      const rows = await tx
        .update(d)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), updatedAt: new Date(), lastError: null })
        .where(and(eq(d.id, id), eq(d.status, 'failed'), unitOwnedOrUnowned(actor, d.orgUnitId)))
        .returning({ id: d.id });
      return rows.length === 1;
    },
  };
}
export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>;
