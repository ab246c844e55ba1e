import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

/** A webhook receiver of linkage notifications (its secret is never answered). */
export type Webhook = Schemas['Webhook'];
export type CreateWebhookInput = JsonBody<'/api/integrations/webhooks', 'post'>;
export type UpdateWebhookInput = JsonBody<'/api/integrations/webhooks/{id}', 'patch'>;
export type WebhookEvent = CreateWebhookInput['events'][number];
export type SmtpSettings = Schemas['SmtpSettings'];
export type SmtpSettingsInput = JsonBody<'/api/integrations/smtp', 'put'>;
export type SmsSettings = Schemas['SmsSettings'];
export type SmsSettingsInput = JsonBody<'/api/integrations/sms', 'put'>;
export type SendOutcome = Schemas['SendOutcome'];
export type Delivery = Schemas['NotificationDelivery'];
export type DeliveryStatus = Delivery['status'];
export type Channel = Delivery['channel'];
export type DeliveryQuery = QueryOf<'/api/integrations/deliveries', 'get'>;

export const WEBHOOK_EVENTS: WebhookEvent[] = [
  'incident.created',
  'incident.updated',
  'incident.status_changed',
  'incident.dispatched',
  'incident.published',
  'incident.cancelled',
  'plan.activated',
];
export const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'sending', 'delivered', 'failed'];
export const CHANNELS: Channel[] = ['webhook', 'email', 'sms'];
export const SMTP_SECURITY: SmtpSettings['security'][] = ['tls', 'starttls', 'none'];

export const listWebhooks = () => unwrap(api.GET('/api/integrations/webhooks', { params: { query: {} } }));
export const createWebhook = (body: CreateWebhookInput) => unwrap(api.POST('/api/integrations/webhooks', { body }));
export const updateWebhook = (id: string, body: UpdateWebhookInput) =>
  unwrap(api.PATCH('/api/integrations/webhooks/{id}', { params: { path: { id } }, body }));
export const deleteWebhook = (id: string, version: number) =>
  unwrap(api.DELETE('/api/integrations/webhooks/{id}', { params: { path: { id } }, body: { version } }));
export const testWebhook = (id: string) => unwrap(api.POST('/api/integrations/webhooks/{id}/test', { params: { path: { id } } }));

export const getSmtp = () => unwrap(api.GET('/api/integrations/smtp'));
export const putSmtp = (body: SmtpSettingsInput) => unwrap(api.PUT('/api/integrations/smtp', { body }));
export const testSmtp = (to: string) => unwrap(api.POST('/api/integrations/smtp/test', { body: { to } }));
export const getSms = () => unwrap(api.GET('/api/integrations/sms'));
export const putSms = (body: SmsSettingsInput) => unwrap(api.PUT('/api/integrations/sms', { body }));
export const testSms = (phone: string) => unwrap(api.POST('/api/integrations/sms/test', { body: { phone } }));

export const listDeliveries = (query: DeliveryQuery) => unwrap(api.GET('/api/integrations/deliveries', { params: { query } }));
export const retryDelivery = (id: string) => unwrap(api.POST('/api/integrations/deliveries/{id}/retry', { params: { path: { id } } }));

/** A signing secret for a new webhook: 32 random bytes as hex, shown to the administrator once. */
export function newWebhookSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
