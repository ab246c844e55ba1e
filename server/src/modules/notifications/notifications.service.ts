/**
 * Linkage notifications (联动通知, notice clause 十): signed webhooks, e-mail and text messages,
 * through a durable outbox. A module that notifies calls `enqueueIn` inside its own change, so a
 * notification is queued exactly when the change commits; the delivery worker sends it, retries
 * with back-off, and whatever was pending or half-sent when the process stopped is sent after the
 * restart. Receivers, SMTP and the SMS gateway are the whole installation's settings
 * (`integrations:write`); the delivery log is scoped by the unit of what each message is about.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db, Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { type ChangeContext, type RunChange, systemPrincipal } from '../../platform/change.js';
import { assertVersion, conflict, found, validationFailed } from '../../platform/errors.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import type { SettingsRepo } from '../../platform/settings/index.js';
import { postWebhook, type SendResult, type SmsTemplate, sendEmail, sendSms, smsTemplateProblems } from './channels.js';
import type { DueDelivery, NewDelivery, NotificationsRepo } from './notifications.repo.js';
import {
  type Channel,
  type CreateWebhookInput,
  type DeliveryFilter,
  type Notification,
  type SendOutcome,
  SMTP_SECURITY,
  type SmsSettings,
  type SmsSettingsInput,
  type SmtpSettings,
  type SmtpSettingsInput,
  TEST_EVENT,
  type UpdateWebhookInput,
  type Webhook,
} from './notifications.schema.js';
import type { SecretBox } from './secret-box.js';

/** How the outbox behaves; the defaults suit a command centre (a receiver down for a day is still reached). */
export type DeliveryOptions = {
  /** Attempts before a delivery is given up as failed. */
  maxAttempts: number;
  /** The wait after the first failed attempt; each further failure doubles it, up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long one attempt may take. */
  sendTimeoutMs: number;
  /** A delivery claimed longer ago than this is taken again (its worker died). */
  leaseMs: number;
  /** Deliveries claimed at once. */
  batchSize: number;
};
export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  maxAttempts: 10,
  backoffBaseMs: 30_000,
  backoffMaxMs: 6 * 3_600_000,
  sendTimeoutMs: 10_000,
  leaseMs: 120_000,
  batchSize: 20,
};

/** A delivery that has ended (delivered, or failed for good), as handed to whoever follows outcomes. */
export type SettledDelivery = Pick<DueDelivery, 'id' | 'channel' | 'target' | 'event' | 'subject' | 'ref' | 'orgUnitId' | 'attempts'> & {
  status: 'delivered' | 'failed';
  responseCode: number | null;
  error: string | null;
};
export type SettledListener = (ctx: ChangeContext, delivery: SettledDelivery) => Promise<void>;

type Deps = {
  db: Db;
  notificationsRepo: NotificationsRepo;
  settingsRepo: Pick<SettingsRepo, 'get' | 'put'>;
  runChange: RunChange;
  secretBox: SecretBox;
  options?: Partial<DeliveryOptions>;
};

const SMTP_KEY = 'notifications.smtp';
const SMS_KEY = 'notifications.sms';
const STALE = 'The webhook was changed by someone else; reload it';
const NOTIFIER = systemPrincipal('notifier');

/** What is stored of the SMTP settings: the password sealed. */
const StoredSmtp = z.object({
  enabled: z.boolean(),
  host: z.string(),
  port: z.number().int(),
  security: z.enum(SMTP_SECURITY),
  user: z.string().nullable(),
  passwordSealed: z.string().nullable(),
  from: z.string(),
  fromName: z.string().nullable(),
});
type StoredSmtp = z.infer<typeof StoredSmtp>;
const StoredSms = z.object({
  enabled: z.boolean(),
  method: z.enum(['POST', 'PUT', 'GET']),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  bodyFormat: z.enum(['json', 'form']),
  bodyTemplate: z.string(),
  tokenSealed: z.string().nullable(),
  successStatus: z.array(z.number().int()),
});
type StoredSms = z.infer<typeof StoredSms>;

const webhookSecretPurpose = (id: string) => `webhook:${id}`;
const SMTP_PASSWORD = 'smtp.password';
const SMS_TOKEN = 'sms.token';

/** A text message: the subject, then the text, cut to what one gateway call carries. */
const smsText = (subject: string, text: string) => `【SafeForest】${subject}：${text}`.slice(0, 480);

export function createNotificationsService({ db, notificationsRepo: repo, settingsRepo, runChange, secretBox, options }: Deps) {
  const opts = { ...DEFAULT_DELIVERY_OPTIONS, ...options };
  const listeners: SettledListener[] = [];

  const publicWebhook = ({ secretEncrypted: _, ...w }: Webhook & { secretEncrypted?: string }): Webhook => w;

  async function storedSmtp(tx: Tx): Promise<StoredSmtp | null> {
    const value = await settingsRepo.get(tx, SMTP_KEY);
    return value ? StoredSmtp.parse(value) : null;
  }
  async function storedSms(tx: Tx): Promise<StoredSms | null> {
    const value = await settingsRepo.get(tx, SMS_KEY);
    return value ? StoredSms.parse(value) : null;
  }
  const smtpView = ({ passwordSealed, ...s }: StoredSmtp): SmtpSettings => ({ ...s, passwordSet: passwordSealed !== null });
  const smsView = ({ tokenSealed, ...s }: StoredSms): SmsSettings => ({ ...s, tokenSet: tokenSealed !== null });

  /** The wait before attempt `attempts + 1`: doubling from the base, capped. */
  const backoff = (attempts: number) => Math.min(opts.backoffMaxMs, opts.backoffBaseMs * 2 ** Math.max(0, attempts - 1));

  /** One attempt at a delivery; `permanent` when trying again cannot help. */
  async function send(delivery: DueDelivery): Promise<SendResult & { permanent?: boolean }> {
    if (delivery.channel === 'webhook') {
      const webhook = delivery.webhookId ? await repo.findWebhook(db, delivery.webhookId) : null;
      if (!webhook) return { ok: false, responseCode: null, error: 'the webhook was deleted', permanent: true };
      if (!webhook.active && delivery.event !== TEST_EVENT)
        return { ok: false, responseCode: null, error: 'the webhook is switched off', permanent: true };
      const secret = secretBox.open(webhook.secretEncrypted, webhookSecretPurpose(webhook.id));
      return postWebhook(
        { url: webhook.url, secret, body: delivery.body, event: delivery.event, deliveryId: delivery.id },
        opts.sendTimeoutMs,
      );
    }
    if (delivery.channel === 'email') {
      const smtp = await storedSmtp(db);
      if (!smtp?.enabled) return { ok: false, responseCode: null, error: 'e-mail (SMTP) is not set up or switched off' };
      const password = smtp.passwordSealed ? secretBox.open(smtp.passwordSealed, SMTP_PASSWORD) : null;
      return sendEmail({ ...smtp, password }, { to: delivery.target, subject: delivery.subject, text: delivery.body }, opts.sendTimeoutMs);
    }
    const sms = await storedSms(db);
    if (!sms?.enabled) return { ok: false, responseCode: null, error: 'the SMS gateway is not set up or switched off' };
    const token = sms.tokenSealed ? secretBox.open(sms.tokenSealed, SMS_TOKEN) : '';
    return sendSms(sms as SmsTemplate, { phone: delivery.target, text: delivery.body, token }, opts.sendTimeoutMs);
  }

  /**
   * Sends one claimed delivery and records the outcome: delivered, again later (back-off from
   * `now`), or failed for good once its attempts are spent. An ended delivery is audited and
   * handed to the outcome listeners in the same transaction.
   */
  async function attempt(id: string, now: Date) {
    const delivery = await repo.findDelivery(db, id);
    if (delivery?.status !== 'sending') return 'skipped' as const;
    let result: SendResult & { permanent?: boolean };
    try {
      result = await send(delivery);
    } catch (err) {
      result = { ok: false, responseCode: null, error: err instanceof Error ? err.message : String(err), permanent: true };
    }
    const status = result.ok ? 'delivered' : result.permanent || delivery.attempts >= delivery.maxAttempts ? 'failed' : 'pending';
    await runChange(
      NOTIFIER,
      async (ctx) => {
        const settled = await repo.settle(ctx.tx, id, {
          status,
          nextAttemptAt: status === 'pending' ? new Date(now.getTime() + backoff(delivery.attempts)) : undefined,
          error: result.error,
          responseCode: result.responseCode,
          at: new Date(),
        });
        if (!settled || status === 'pending') return;
        const ended: SettledDelivery = { ...delivery, status, responseCode: result.responseCode, error: result.error };
        ctx.audit({
          action: status === 'delivered' ? 'notification.delivered' : 'notification.failed',
          entity: 'notification_delivery',
          entityId: id,
          orgUnitId: delivery.orgUnitId,
          after: { channel: delivery.channel, target: delivery.target, event: delivery.event, attempts: delivery.attempts, ...result },
        });
        for (const listener of listeners) await listener(ctx, ended);
      },
      { auditOptional: true },
    );
    return status;
  }

  /** Queues one message to one receiver of a test, sends it now and answers the outcome. */
  async function sendTestNow(actor: Actor, row: Omit<NewDelivery, 'maxAttempts' | 'event' | 'status'>): Promise<SendOutcome> {
    const now = new Date();
    const id = await runChange(actor, async (ctx) => {
      // Claimed as it is written (one attempt, sending now), so the worker leaves it to this request.
      const [deliveryId] = await repo.insertDeliveries(ctx.tx, [
        { ...row, event: TEST_EVENT, maxAttempts: 1, status: 'sending', attempts: 1, claimedAt: now },
      ]);
      ctx.audit({
        action: 'notification.test',
        entity: 'notification_delivery',
        entityId: deliveryId,
        after: { channel: row.channel, target: row.target },
      });
      return deliveryId;
    });
    await attempt(id, now);
    const delivery = found(await repo.findDelivery(db, id), 'Delivery');
    return { deliveryId: id, delivered: delivery.status === 'delivered', responseCode: delivery.responseCode, error: delivery.lastError };
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  const service = {
    /** Which of these webhook ids name receivers that exist (for a module that keeps webhook ids, such as a plan). */
    existingWebhooksIn: (tx: Tx, ids: readonly string[]) => repo.existingWebhooks(tx, ids),

    /** Registers who follows deliveries that end (the plans module writes them into incident timelines). */
    onSettled(listener: SettledListener) {
      listeners.push(listener);
    },

    /**
     * Queues a notification inside the caller's change: to the receivers named in `targets`, or,
     * with none named, to every active webhook subscribed to the event. Unknown or deleted webhook
     * ids are left out and answered. Nothing is sent before the change commits.
     */
    async enqueueIn(ctx: ChangeContext, n: Notification) {
      const targets = n.targets;
      const webhookIds = targets
        ? await repo.existingWebhooks(ctx.tx, [...new Set(targets.webhookIds ?? [])])
        : await repo.subscribers(ctx.tx, n.event);
      const unknownWebhooks = (targets?.webhookIds ?? []).filter((id) => !webhookIds.includes(id));
      const common = {
        event: n.event,
        payload: n.payload,
        subject: n.subject,
        ref: n.ref ?? null,
        orgUnitId: n.orgUnitId ?? null,
        maxAttempts: opts.maxAttempts,
      };
      const rows: (NewDelivery & { id: string })[] = [];
      for (const webhookId of webhookIds) {
        const id = randomUUID();
        // The body is fixed now, so every retry carries (and signs) the same bytes.
        const body = JSON.stringify({ id, event: n.event, occurredAt: new Date().toISOString(), subject: n.subject, data: n.payload });
        rows.push({ ...common, id, channel: 'webhook', target: webhookId, webhookId, body });
      }
      for (const email of new Set(targets?.emails ?? []))
        rows.push({ ...common, id: randomUUID(), channel: 'email', target: email, body: n.text });
      for (const phone of new Set(targets?.phones ?? []))
        rows.push({ ...common, id: randomUUID(), channel: 'sms', target: phone, body: smsText(n.subject, n.text) });
      const deliveryIds = await repo.insertDeliveries(ctx.tx, rows);
      for (const row of rows)
        ctx.audit({
          action: 'notification.enqueue',
          entity: 'notification_delivery',
          entityId: row.id,
          orgUnitId: row.orgUnitId,
          after: { channel: row.channel, target: row.target, event: row.event, ref: row.ref },
        });
      return { deliveryIds, unknownWebhooks };
    },

    /**
     * One pass of the delivery worker: claims what is due at `now` (pending, or claimed by a worker
     * that died), sends it, and records each outcome. Tests call it by hand with a `now` of their choosing.
     */
    async deliverDue(now = new Date()) {
      const counts = { delivered: 0, pending: 0, failed: 0 };
      for (;;) {
        const ids = await db.transaction((tx) => repo.claimDue(tx, { now, limit: opts.batchSize, leaseMs: opts.leaseMs }));
        const outcomes = await Promise.all(ids.map((id) => attempt(id, now)));
        for (const o of outcomes) if (o !== 'skipped') counts[o]++;
        if (ids.length < opts.batchSize) return counts;
      }
    },

    /** Runs the worker every `intervalMs`, starting now (so what was left before a restart goes at once). */
    startWorker(intervalMs: number, onError: (error: unknown) => void) {
      const pass = () => {
        if (running) return;
        running = service
          .deliverDue()
          .catch(onError)
          .finally(() => {
            running = null;
          });
      };
      pass();
      timer = setInterval(pass, intervalMs);
    },

    /** Stops the worker and waits for the pass under way. */
    async stopWorker() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },

    listWebhooks: (page: PageRequest) => repo.listWebhooks(db, pageWindow(page)),

    async getWebhook(id: string) {
      return publicWebhook(found(await repo.findWebhook(db, id), 'Webhook'));
    },

    /** Registers a receiver; its secret is sealed before it reaches the database. */
    async createWebhook(actor: Actor, input: CreateWebhookInput) {
      return runChange(actor, async (ctx) => {
        const id = randomUUID();
        const name = input.name ?? new URL(input.url).host;
        // (The id is made here: the sealed secret is bound to it.)
        const secretEncrypted = secretBox.seal(input.secret, webhookSecretPurpose(id));
        await repo.insertWebhook(ctx.tx, { id, name, url: input.url, events: input.events, secretEncrypted, active: input.active });
        const webhook = publicWebhook(found(await repo.findWebhook(ctx.tx, id), 'Webhook'));
        ctx.audit({ action: 'webhook.create', entity: 'webhook', entityId: id, after: webhook });
        return webhook;
      });
    },

    /** Changes a receiver if nobody changed it since `version` was read; a new secret is sealed. */
    async updateWebhook(actor: Actor, id: string, input: UpdateWebhookInput) {
      return runChange(actor, async (ctx) => {
        const before = publicWebhook(found(await repo.findWebhook(ctx.tx, id), 'Webhook'));
        assertVersion(STALE, before, input.version);
        const { version, secret, ...changes } = input;
        const ok = await repo.updateWebhook(ctx.tx, id, version, {
          ...changes,
          ...(secret ? { secretEncrypted: secretBox.seal(secret, webhookSecretPurpose(id)) } : {}),
        });
        if (!ok) throw conflict(STALE);
        const after = publicWebhook(found(await repo.findWebhook(ctx.tx, id), 'Webhook'));
        ctx.audit({
          action: 'webhook.update',
          entity: 'webhook',
          entityId: id,
          before,
          after: { ...after, secretChanged: Boolean(secret) },
        });
        return after;
      });
    },

    /** Removes a receiver; its pending deliveries fail when their turn comes. */
    async deleteWebhook(actor: Actor, id: string, version?: number) {
      await runChange(actor, async (ctx) => {
        const before = publicWebhook(found(await repo.findWebhook(ctx.tx, id), 'Webhook'));
        assertVersion(STALE, before, version);
        await repo.softDeleteWebhook(ctx.tx, id);
        ctx.audit({ action: 'webhook.delete', entity: 'webhook', entityId: id, before });
      });
    },

    /** Sends a signed test delivery to a receiver now (whether it is switched on or not) and answers the outcome. */
    async testWebhook(actor: Actor, id: string) {
      const webhook = found(await repo.findWebhook(db, id), 'Webhook');
      const deliveryId = randomUUID();
      const body = JSON.stringify({
        id: deliveryId,
        event: TEST_EVENT,
        occurredAt: new Date().toISOString(),
        subject: 'SafeForest 测试消息',
        data: { message: '这是一条来自 SafeForest 平安林区综合防控平台的测试消息。' },
      });
      return sendTestNow(actor, {
        id: deliveryId,
        channel: 'webhook',
        target: webhook.id,
        webhookId: webhook.id,
        payload: {},
        subject: 'SafeForest 测试消息',
        body,
        ref: null,
        orgUnitId: null,
      } as NewDelivery);
    },

    async getSmtp() {
      const stored = await storedSmtp(db);
      return stored ? smtpView(stored) : null;
    },

    /** Saves the SMTP settings; the password is sealed, kept when left out and removed when null. */
    async putSmtp(actor: Actor, input: SmtpSettingsInput) {
      return runChange(actor, async (ctx) => {
        const before = await storedSmtp(ctx.tx);
        const passwordSealed =
          input.password === undefined
            ? (before?.passwordSealed ?? null)
            : input.password === null
              ? null
              : secretBox.seal(input.password, SMTP_PASSWORD);
        const { password: _, ...settings } = input;
        const stored: StoredSmtp = { ...settings, user: input.user ?? null, fromName: input.fromName ?? null, passwordSealed };
        await settingsRepo.put(ctx.tx, SMTP_KEY, stored, actor.username);
        const after = smtpView(stored);
        ctx.audit({
          action: 'settings.update',
          entity: 'settings',
          entityId: SMTP_KEY,
          before: before && smtpView(before),
          after: { ...after, passwordChanged: input.password !== undefined },
        });
        return after;
      });
    },

    /** Sends a test e-mail now with the saved settings and answers the outcome. */
    testEmail: (actor: Actor, to: string) =>
      sendTestNow(actor, {
        channel: 'email',
        target: to,
        payload: {},
        subject: 'SafeForest 测试邮件',
        body: '这是一封来自 SafeForest 平安林区综合防控平台的测试邮件：邮件通知已设置好。',
        ref: null,
        orgUnitId: null,
      } as NewDelivery),

    async getSms() {
      const stored = await storedSms(db);
      return stored ? smsView(stored) : null;
    },

    /** Saves the SMS gateway template after filling it with awkward sample values; the token is sealed. */
    async putSms(actor: Actor, input: SmsSettingsInput) {
      const problems = smsTemplateProblems(input);
      if (problems.length) throw validationFailed(problems);
      return runChange(actor, async (ctx) => {
        const before = await storedSms(ctx.tx);
        const { token, ...template } = input;
        const tokenSealed = token === undefined ? (before?.tokenSealed ?? null) : token === null ? null : secretBox.seal(token, SMS_TOKEN);
        const stored: StoredSms = { ...template, tokenSealed };
        await settingsRepo.put(ctx.tx, SMS_KEY, stored, actor.username);
        const after = smsView(stored);
        ctx.audit({
          action: 'settings.update',
          entity: 'settings',
          entityId: SMS_KEY,
          before: before && smsView(before),
          after: { ...after, tokenChanged: token !== undefined },
        });
        return after;
      });
    },

    /** Sends a test text message now through the saved gateway and answers the outcome. */
    testSms: (actor: Actor, phone: string) =>
      sendTestNow(actor, {
        channel: 'sms',
        target: phone,
        payload: {},
        subject: '测试短信',
        body: smsText('测试短信', '短信通知已设置好。'),
        ref: null,
        orgUnitId: null,
      } as NewDelivery),

    /** One page of the delivery log within the actor's scope, newest first. */
    listDeliveries: (actor: Actor, filter: DeliveryFilter, page: PageRequest) => repo.listDeliveries(db, actor, filter, pageWindow(page)),

    /** Puts a failed delivery back in the queue with a fresh set of attempts (409 unless it failed). */
    async retryDelivery(actor: Actor, id: string) {
      return runChange(actor, async (ctx) => {
        const before = found(await repo.findDeliveryInScope(ctx.tx, actor, id), 'Delivery');
        if (!(await repo.requeue(ctx.tx, actor, id)))
          throw conflict(`Only a failed delivery can be sent again; this one is ${before.status}`);
        ctx.audit({ action: 'notification.retry', entity: 'notification_delivery', entityId: id, orgUnitId: before.orgUnitId, before });
        return found(await repo.findDeliveryInScope(ctx.tx, actor, id), 'Delivery');
      });
    },
  };
  return service;
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
export type { Channel };
