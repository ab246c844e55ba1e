import { z } from 'zod';
import { DateTime } from '../../platform/dates.js';
import { oneOrMany, Paging } from '../../platform/paging.js';

/**
 * The events a webhook may subscribe to: what the command centre tells outside systems
 * (notice clause 十, linked emergency response). `notification.test` is sent by the test button only.
 */
export const WEBHOOK_EVENTS = [
  'incident.created',
  'incident.updated',
  'incident.status_changed',
  'incident.dispatched',
  'incident.published',
  'incident.cancelled',
  'hotspot.cluster_created',
  'plan.activated',
] as const;
export const WebhookEvent = z.enum(WEBHOOK_EVENTS);
export const TEST_EVENT = 'notification.test';

export const CHANNELS = ['webhook', 'email', 'sms'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);

const text = (max: number) => z.string().trim().max(max);

/** An http(s) URL of a receiver: no other scheme, and no user or password in it (they would be kept in clear). */
export const ReceiverUrl = z
  .string()
  .trim()
  .max(2000)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'only http and https URLs' });
    else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'no user or password in the URL' });
    else if (!url.hostname) ctx.addIssue({ code: 'custom', message: 'the URL names no host' });
  })
  .meta({ format: 'uri' });

/** A webhook's signing secret: long enough to be one, and never sent back. */
const Secret = z.string().min(16, 'at least 16 characters').max(200);

export const CreateWebhookBody = z
  .object({
    name: text(100).min(1).optional(),
    url: ReceiverUrl,
    events: z.array(WebhookEvent).min(1).max(WEBHOOK_EVENTS.length),
    secret: Secret.describe('the key of the HMAC-SHA256 signature; stored encrypted, never shown again'),
    active: z.boolean().default(true),
  })
  .meta({ id: 'CreateWebhook' });
export type CreateWebhookInput = z.infer<typeof CreateWebhookBody>;

export const UpdateWebhookBody = z
  .object({
    name: text(100).min(1).optional(),
    url: ReceiverUrl.optional(),
    events: z.array(WebhookEvent).min(1).max(WEBHOOK_EVENTS.length).optional(),
    secret: Secret.optional().describe('a new secret; left out, the secret stays'),
    active: z.boolean().optional(),
    version: z.number().int().positive().describe('the version you read; a newer one answers 409'),
  })
  .meta({ id: 'UpdateWebhook' });
export type UpdateWebhookInput = z.infer<typeof UpdateWebhookBody>;

export const Webhook = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof Webhook>;
export const WebhookList = z.object({ items: z.array(Webhook), total: z.number().int() });
export const IdParams = z.object({ id: z.string().uuid() });
export const DeleteBody = z.object({ version: z.number().int().positive().optional() });

export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;
const Host = text(253).regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'a host name or address');
const Email = z.string().trim().max(254).email();

/** SMTP settings as an administrator sends them: the password is write-only (left out: kept; null: removed). */
export const SmtpSettingsBody = z
  .object({
    enabled: z.boolean(),
    host: Host.min(1),
    port: z.number().int().min(1).max(65535),
    security: z
      .enum(SMTP_SECURITY)
      .describe('tls: TLS from the start (465); starttls: upgrade required (587); none: plain (a local relay)'),
    user: text(200).nullable().optional(),
    password: z.string().max(500).nullable().optional(),
    from: Email,
    fromName: text(100).nullable().optional(),
  })
  .meta({ id: 'SmtpSettingsChange' });
export type SmtpSettingsInput = z.infer<typeof SmtpSettingsBody>;

export const SmtpSettings = z
  .object({
    enabled: z.boolean(),
    host: z.string(),
    port: z.number().int(),
    security: z.enum(SMTP_SECURITY),
    user: z.string().nullable(),
    passwordSet: z.boolean(),
    from: z.string(),
    fromName: z.string().nullable(),
  })
  .meta({ id: 'SmtpSettings' });
export type SmtpSettings = z.infer<typeof SmtpSettings>;

export const SMS_BODY_FORMATS = ['json', 'form'] as const;
const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'a header name');
/** Printable ASCII only: what an HTTP header carries safely; no line break can split it into two headers. */
export const HEADER_TEXT = /^[\x20-\x7e]*$/;
const HeaderValue = z.string().max(1000).regex(HEADER_TEXT, 'printable ASCII only (no line breaks) in a header');

/**
 * The SMS gateway as an HTTP request template. Placeholders `{phone}`, `{text}` and `{token}` are
 * replaced when a message is sent, each escaped for where it stands: URL-encoded in the URL,
 * JSON-escaped in a JSON body, form-encoded in a form body; headers take `{token}` only. So a
 * message's text can never change the request's shape. The token is write-only and kept encrypted.
 */
export const SmsSettingsBody = z
  .object({
    enabled: z.boolean(),
    method: z.enum(['POST', 'PUT', 'GET']),
    url: ReceiverUrl.describe('may hold {phone}, {text}, {token}'),
    headers: z.record(HeaderName, HeaderValue).default({}).describe('may hold {token}'),
    bodyFormat: z.enum(SMS_BODY_FORMATS),
    bodyTemplate: z.string().max(4000).default('').describe('may hold {phone}, {text}, {token}; a JSON body must be JSON once filled in'),
    token: z
      .string()
      .max(1000)
      .regex(HEADER_TEXT, 'printable ASCII only')
      .nullable()
      .optional()
      .describe('the gateway’s key, as {token}; left out: kept; null: removed'),
    successStatus: z.array(z.number().int().min(200).max(299)).min(1).max(10).default([200, 201, 202, 204]),
  })
  .meta({ id: 'SmsSettingsChange' });
export type SmsSettingsInput = z.infer<typeof SmsSettingsBody>;

export const SmsSettings = z
  .object({
    enabled: z.boolean(),
    method: z.enum(['POST', 'PUT', 'GET']),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    bodyFormat: z.enum(SMS_BODY_FORMATS),
    bodyTemplate: z.string(),
    tokenSet: z.boolean(),
    successStatus: z.array(z.number().int()),
  })
  .meta({ id: 'SmsSettings' });
export type SmsSettings = z.infer<typeof SmsSettings>;

/** A phone number a text message can go to. */
export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{5,20}$/, 'digits only, optionally after +');

export const TestEmailBody = z.object({ to: Email });
export const TestSmsBody = z.object({ phone: Phone });

/** The outcome of sending one message now. */
export const SendOutcome = z
  .object({
    deliveryId: z.string().uuid(),
    delivered: z.boolean(),
    responseCode: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'SendOutcome' });
export type SendOutcome = z.infer<typeof SendOutcome>;

export const Delivery = z
  .object({
    id: z.string().uuid(),
    channel: Channel,
    target: z.string(),
    webhookId: z.string().uuid().nullable(),
    event: z.string(),
    subject: z.string(),
    ref: z.string().nullable(),
    orgUnitId: z.number().int().nullable(),
    status: DeliveryStatus,
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    nextAttemptAt: z.date(),
    lastError: z.string().nullable(),
    responseCode: z.number().int().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
    deliveredAt: z.date().nullable(),
  })
  .meta({ id: 'NotificationDelivery' });
export type Delivery = z.infer<typeof Delivery>;

export const ListDeliveriesQuery = z.object({
  status: oneOrMany(DeliveryStatus).optional(),
  channel: oneOrMany(Channel).optional(),
  event: text(100).optional(),
  webhookId: z.string().uuid().optional(),
  ref: text(200).optional().describe('what the deliveries belong to, e.g. incident:<id>'),
  from: DateTime.optional().describe('created at or after'),
  to: DateTime.optional().describe('created before'),
  ...Paging,
});
export type DeliveryFilter = Omit<z.infer<typeof ListDeliveriesQuery>, 'page' | 'pageSize'>;
export const DeliveryList = z.object({ items: z.array(Delivery), total: z.number().int() });

/**
 * Whom a notification goes to when the caller names them; with none named, every active webhook
 * subscribed to the event.
 */
export type NotificationTargets = { webhookIds?: readonly string[]; emails?: readonly string[]; phones?: readonly string[] };

/** What another module hands `enqueueIn`. */
export type Notification = {
  event: string;
  /** The event's data: the body of a webhook delivery (under `data`). */
  payload: Record<string, unknown>;
  /** The subject of an e-mail; the first line of a text message. */
  subject: string;
  /** The text of an e-mail or a text message. */
  text: string;
  targets?: NotificationTargets;
  /** The unit of what it is about: scopes the delivery log. */
  orgUnitId?: number | null;
  /** What it belongs to, for whoever follows the outcome (`incident:<id>`). */
  ref?: string | null;
};
