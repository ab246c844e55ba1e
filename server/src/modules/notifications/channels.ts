/**
 * The three ways a notification leaves SafeForest: a signed webhook POST, an e-mail over SMTP
 * (nodemailer) and a text message through an SMS gateway's HTTP API, described by a template.
 * Each sender answers what happened; none throws for a receiver's failure.
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { SmsSettingsInput } from './notifications.schema.js';

export const SIGNATURE_HEADER = 'X-SafeForest-Signature';
export const EVENT_HEADER = 'X-SafeForest-Event';
export const DELIVERY_HEADER = 'X-SafeForest-Delivery';

/** What one attempt came to: the receiver's status code where there is one, and the error when it failed. */
export type SendResult = { ok: boolean; responseCode: number | null; error: string | null };

const failed = (error: unknown, responseCode: number | null = null): SendResult => ({
  ok: false,
  responseCode,
  error: (error instanceof Error
    ? error.cause instanceof Error
      ? `${error.message}: ${error.cause.message}`
      : error.message
    : String(error)
  ).slice(0, 500),
});

/** The signature header's value: `sha256=` and the hex HMAC-SHA256 of the raw body under the webhook's secret. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** POSTs a webhook delivery; only a 2xx answer counts (a redirect is not followed: the receiver's URL is wrong). */
export async function postWebhook(
  request: { url: string; secret: string; body: string; event: string; deliveryId: string },
  timeoutMs: number,
): Promise<SendResult> {
  try {
    const res = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'SafeForest-Webhook/1',
        [SIGNATURE_HEADER]: signBody(request.secret, request.body),
        [EVENT_HEADER]: request.event,
        [DELIVERY_HEADER]: request.deliveryId,
      },
      body: request.body,
    });
    await res.body?.cancel();
    return res.ok ? { ok: true, responseCode: res.status, error: null } : failed(`HTTP ${res.status}`, res.status);
  } catch (err) {
    return failed(err);
  }
}

export type SmtpServer = {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  user: string | null;
  password: string | null;
  from: string;
  fromName: string | null;
};

/** Sends one plain-text e-mail through the configured SMTP server. */
export async function sendEmail(
  smtp: SmtpServer,
  message: { to: string; subject: string; text: string },
  timeoutMs: number,
): Promise<SendResult> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: smtp.fromName ? { name: smtp.fromName, address: smtp.from } : smtp.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
    const code = Number.parseInt(String(info.response ?? ''), 10);
    return { ok: true, responseCode: Number.isFinite(code) ? code : null, error: null };
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    return failed(err, typeof code === 'number' ? code : null);
  } finally {
    transport.close();
  }
}

export type SmsValues = { phone: string; text: string; token: string };
type Escape = (value: string) => string;

const PLACEHOLDER = /\{(phone|text|token)\}/g;
const jsonEscape: Escape = (v) => JSON.stringify(v).slice(1, -1);
const formEscape: Escape = (v) => encodeURIComponent(v).replace(/%20/g, '+');

/**
 * Fills a template in one pass, each value escaped for its place: text that holds `{token}` is
 * not filled in again, so a message cannot make the gateway's key appear in it.
 */
function fill(template: string, values: Partial<SmsValues>, escapeFor: Escape): string {
  return template.replace(PLACEHOLDER, (whole, name: keyof SmsValues) => {
    const value = values[name];
    return value === undefined ? whole : escapeFor(value);
  });
}

export type SmsTemplate = Pick<SmsSettingsInput, 'method' | 'url' | 'headers' | 'bodyFormat' | 'bodyTemplate' | 'successStatus'>;
export type SmsRequest = { method: string; url: string; headers: Record<string, string>; body: string | undefined };

/** The HTTP request that sends one text message through the gateway. */
export function renderSms(template: SmsTemplate, values: SmsValues): SmsRequest {
  const url = fill(template.url, values, encodeURIComponent);
  // Headers take the token only: a message's text or a phone number never reaches a header.
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(template.headers)) headers[name] = fill(value, { token: values.token }, (v) => v);
  if (template.method === 'GET') return { method: 'GET', url, headers, body: undefined };
  const json = template.bodyFormat === 'json';
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (!hasType) headers['content-type'] = json ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded; charset=utf-8';
  return { method: template.method, url, headers, body: fill(template.bodyTemplate, values, json ? jsonEscape : formEscape) };
}

/** What is wrong with a template, by field, found by filling it with awkward sample values. */
export function smsTemplateProblems(template: SmsTemplate): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const sample = renderSms(template, { phone: '+8613800000000', text: '测试 "quotes" \\ {token} & = \n', token: 'sample-token' });
  try {
    new URL(sample.url);
  } catch {
    problems.push({ path: 'body.url', message: 'not a URL once filled in' });
  }
  if (template.bodyFormat === 'json' && template.method !== 'GET') {
    try {
      JSON.parse(sample.body ?? '');
    } catch {
      problems.push({ path: 'body.bodyTemplate', message: 'not JSON once filled in (put each placeholder inside a JSON string)' });
    }
  }
  if (![template.url, template.bodyTemplate].some((t) => t.includes('{phone}')))
    problems.push({ path: 'body.bodyTemplate', message: 'the template must carry {phone} in the URL or the body' });
  if (![template.url, template.bodyTemplate].some((t) => t.includes('{text}')))
    problems.push({ path: 'body.bodyTemplate', message: 'the template must carry {text} in the URL or the body' });
  return problems;
}

/** Sends one text message; success is one of the template's status codes. */
export async function sendSms(template: SmsTemplate, values: SmsValues, timeoutMs: number): Promise<SendResult> {
  const request = renderSms(template, values);
  try {
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return template.successStatus.includes(res.status)
      ? { ok: true, responseCode: res.status, error: null }
      : failed(`HTTP ${res.status}`, res.status);
  } catch (err) {
    return failed(err);
  }
}
