import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { buildApp, QUIET_APP_CONFIG } from '../../app.js';
import type { Notification } from './notifications.schema.js';
import type { NotificationsService } from './notifications.service.js';

type Received = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

/** An HTTP receiver on a free local port, answering each request with the next status of `statuses` (then 200). */
async function startReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** What a receiver does with a delivery: recompute the HMAC of the raw body with the shared secret. */
const signatureHolds = (r: Received, secret: string) =>
  r.headers['x-safeforest-signature'] === `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`;

/** Queues a notification in a transaction of its own, as a module's change would. */
function enqueue(
  t: { database: TestApp['database'] },
  service: NotificationsService,
  n: Omit<Notification, 'subject' | 'text'> & Partial<Notification>,
) {
  return t.database.db.transaction((tx) =>
    service.enqueueIn({ tx, audit: () => {}, emit: () => {} }, { subject: '林火预警', text: '红塔区发现疑似林火', ...n }),
  );
}

const SECRET = 'whsec-0123456789abcdef';
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

let t: TestApp;
let service: NotificationsService;

beforeAll(async () => {
  t = await createTestApp();
  service = t.services.notificationsService;
});
afterAll(() => t?.close());

async function createWebhook(url: string, events = ['incident.created'], secret = SECRET) {
  const res = await t.post('admin', '/api/integrations/webhooks', { url, events, secret, name: '联动平台' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
}

describe('webhooks', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it('a receiver is registered with its secret, which is never shown and never stored in clear', async () => {
    const created = await createWebhook(receiver.url, ['incident.created', 'plan.activated']);
    expect(created).toMatchObject({ url: receiver.url, events: ['incident.created', 'plan.activated'], active: true, version: 1 });
    expect(JSON.stringify(created)).not.toContain(SECRET);
    const listed = (await t.get('admin', '/api/integrations/webhooks')).json();
    expect(listed.items.map((w: { id: string }) => w.id)).toContain(created.id);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    const { rows } = await t.database.pool.query('SELECT row_to_json(w)::text AS row, secret_encrypted FROM webhooks w WHERE id = $1', [
      created.id,
    ]);
    expect(rows[0].row).not.toContain(SECRET);
    expect(rows[0].secret_encrypted).toMatch(/^v1:/);
    const audit = await t.database.pool.query(
      "SELECT after::text AS after FROM audit_log WHERE action = 'webhook.create' AND entity_id = $1",
      [created.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].after).not.toContain(SECRET);
  });

  it('refuses malformed receivers, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ url: 'not a url', events: ['incident.created'], secret: SECRET }, 'body.url'],
      [{ url: 'ftp://example.org/x', events: ['incident.created'], secret: SECRET }, 'body.url'],
      [{ url: 'javascript:alert(1)', events: ['incident.created'], secret: SECRET }, 'body.url'],
      [{ url: 'file:///etc/passwd', events: ['incident.created'], secret: SECRET }, 'body.url'],
      [{ url: 'https://user:pw@example.org/x', events: ['incident.created'], secret: SECRET }, 'body.url'],
      [{ url: 'https://example.org/x', events: ['incident.exploded'], secret: SECRET }, 'body.events.0'],
      [{ url: 'https://example.org/x', events: [], secret: SECRET }, 'body.events'],
      [{ url: 'https://example.org/x', events: ['incident.created'], secret: 'short' }, 'body.secret'],
      [{ url: 'https://example.org/x', events: ['incident.created'] }, 'body.secret'],
    ];
    for (const [body, path] of cases) {
      const res = await t.post('admin', '/api/integrations/webhooks', body);
      expect([res.statusCode, res.json().error.details?.map((d: { path: string }) => d.path)], JSON.stringify(body)).toEqual([
        400,
        expect.arrayContaining([path]),
      ]);
    }
    const nul = await t.post('admin', '/api/integrations/webhooks', {
      url: 'https://example.org/\u0000',
      events: ['incident.created'],
      secret: SECRET,
    });
    expect(nul.statusCode).toBe(400);
    const nulName = await t.post('admin', '/api/integrations/webhooks', {
      url: 'https://example.org/',
      name: 'a\u0000b',
      events: ['incident.created'],
      secret: SECRET,
    });
    expect(nulName.statusCode).toBe(400);
    expect((await t.get('admin', '/api/integrations/webhooks/not-a-uuid')).statusCode).toBe(400);
    expect((await t.get('admin', '/api/integrations/webhooks/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
  });

  it('only integration administrators manage receivers: the duty officer, a county office and a ranger are refused', async () => {
    for (const who of ['duty', 'hongta', 'ranger1']) {
      expect((await t.get(who, '/api/integrations/webhooks')).statusCode).toBe(403);
      expect(
        (await t.post(who, '/api/integrations/webhooks', { url: receiver.url, events: ['incident.created'], secret: SECRET })).statusCode,
      ).toBe(403);
      expect((await t.get(who, '/api/integrations/deliveries')).statusCode).toBe(403);
      expect((await t.get(who, '/api/integrations/smtp')).statusCode).toBe(403);
    }
  });

  it('a change of a receiver needs the version read; a new secret signs from then on', async () => {
    const hook = await createWebhook(receiver.url, ['incident.updated']);
    const stale = await t.patch('admin', `/api/integrations/webhooks/${hook.id}`, { url: `${receiver.url}?v=2`, version: 7 });
    expect(stale.statusCode).toBe(409);
    const changed = await t.patch('admin', `/api/integrations/webhooks/${hook.id}`, { secret: 'a-new-secret-of-twenty', version: 1 });
    expect(changed.json()).toMatchObject({ version: 2 });
    const test = await t.post('admin', `/api/integrations/webhooks/${hook.id}/test`);
    expect(test.json()).toMatchObject({ delivered: true, responseCode: 200, error: null });
    const last = receiver.received.at(-1) as Received;
    expect(last.headers['x-safeforest-event']).toBe('notification.test');
    expect(signatureHolds(last, 'a-new-secret-of-twenty')).toBe(true);
    expect(signatureHolds(last, SECRET)).toBe(false);
    expect((await t.del('admin', `/api/integrations/webhooks/${hook.id}`, { version: 2 })).statusCode).toBe(204);
    expect((await t.get('admin', `/api/integrations/webhooks/${hook.id}`)).statusCode).toBe(404);
    expect((await t.post('admin', `/api/integrations/webhooks/${hook.id}/test`)).statusCode).toBe(404);
  });
});

describe('the outbox', () => {
  it('fans an event out to the subscribed, active receivers; each delivery is signed so the receiver can verify it', async () => {
    const subscribed = await startReceiver();
    const other = await startReceiver();
    const off = await startReceiver();
    const hook = await createWebhook(subscribed.url, ['hotspot.cluster_created']);
    await createWebhook(other.url, ['incident.created']);
    const offHook = await createWebhook(off.url, ['hotspot.cluster_created']);
    await t.patch('admin', `/api/integrations/webhooks/${offHook.id}`, { active: false, version: 1 });
    const { deliveryIds } = await enqueue(t, service, { event: 'hotspot.cluster_created', payload: { clusterId: 'c-1', pixels: 4 } });
    expect(deliveryIds).toHaveLength(1);
    await service.deliverDue();
    expect(subscribed.received).toHaveLength(1);
    expect(other.received).toHaveLength(0);
    expect(off.received).toHaveLength(0);
    const [delivery] = subscribed.received;
    expect(delivery.method).toBe('POST');
    expect(delivery.headers['content-type']).toContain('application/json');
    expect(signatureHolds(delivery, SECRET)).toBe(true);
    // A body changed on the way no longer matches the signature.
    expect(signatureHolds({ ...delivery, body: delivery.body.replace('c-1', 'c-2') }, SECRET)).toBe(false);
    const body = JSON.parse(delivery.body);
    expect(body).toMatchObject({
      id: deliveryIds[0],
      event: 'hotspot.cluster_created',
      subject: '林火预警',
      data: { clusterId: 'c-1', pixels: 4 },
    });
    expect(delivery.headers['x-safeforest-delivery']).toBe(deliveryIds[0]);
    expect(delivery.headers['x-safeforest-event']).toBe('hotspot.cluster_created');
    const log = (await t.get('admin', `/api/integrations/deliveries?webhookId=${hook.id}`)).json();
    expect(log.items).toEqual([expect.objectContaining({ id: deliveryIds[0], status: 'delivered', attempts: 1, responseCode: 200 })]);
    await Promise.all([subscribed.close(), other.close(), off.close()]);
  });

  it('a receiver answering 500 is tried again after the back-off, with the same signed body, and then delivered', async () => {
    const receiver = await startReceiver([500]);
    const hook = await createWebhook(receiver.url, ['incident.dispatched']);
    const { deliveryIds } = await enqueue(t, service, {
      event: 'incident.dispatched',
      payload: { n: 1 },
      targets: { webhookIds: [hook.id] },
    });
    const now = new Date();
    expect(await service.deliverDue(now)).toEqual({ delivered: 0, pending: 1, failed: 0 });
    const [first] = (await t.get('admin', `/api/integrations/deliveries?webhookId=${hook.id}`)).json().items;
    expect(first).toMatchObject({ status: 'pending', attempts: 1, responseCode: 500, lastError: 'HTTP 500' });
    expect(new Date(first.nextAttemptAt).getTime()).toBe(now.getTime() + 30_000);
    // Not before its time.
    expect(await service.deliverDue(later(now, 29_000))).toEqual({ delivered: 0, pending: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    expect(await service.deliverDue(later(now, 30_000))).toEqual({ delivered: 1, pending: 0, failed: 0 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].body).toBe(receiver.received[0].body);
    expect(receiver.received.every((r) => signatureHolds(r, SECRET))).toBe(true);
    const [done] = (await t.get('admin', `/api/integrations/deliveries?webhookId=${hook.id}`)).json().items;
    expect(done).toMatchObject({ id: deliveryIds[0], status: 'delivered', attempts: 2, responseCode: 200, lastError: null });
    // Nothing is sent twice.
    expect(await service.deliverDue(later(now, 3_600_000))).toEqual({ delivered: 0, pending: 0, failed: 0 });
    await receiver.close();
  });

  it('the back-off doubles; after the last attempt the delivery fails for good, is audited, and can be queued again', async () => {
    const receiver = await startReceiver(Array(20).fill(503));
    const hook = await createWebhook(receiver.url, ['incident.cancelled']);
    const { deliveryIds } = await enqueue(t, service, { event: 'incident.cancelled', payload: {}, targets: { webhookIds: [hook.id] } });
    const [id] = deliveryIds;
    const delivery = async () => (await t.get('admin', `/api/integrations/deliveries?webhookId=${hook.id}`)).json().items[0];
    const start = new Date();
    await service.deliverDue(start);
    expect(new Date((await delivery()).nextAttemptAt).getTime()).toBe(start.getTime() + 30_000);
    const second = later(start, 30_000);
    await service.deliverDue(second);
    expect(new Date((await delivery()).nextAttemptAt).getTime()).toBe(second.getTime() + 60_000);
    for (let day = 1; day <= 10; day++) await service.deliverDue(later(start, day * 86_400_000));
    expect(receiver.received).toHaveLength(10);
    expect(await delivery()).toMatchObject({ status: 'failed', attempts: 10, responseCode: 503 });
    const { rows } = await t.database.pool.query(
      "SELECT actor_name FROM audit_log WHERE action = 'notification.failed' AND entity_id = $1",
      [id],
    );
    expect(rows).toEqual([{ actor_name: 'notifier' }]);
    expect((await t.post('admin', `/api/integrations/deliveries/${id}/retry`)).json()).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await t.post('admin', `/api/integrations/deliveries/${id}/retry`)).statusCode).toBe(409);
    receiver.statuses.length = 0;
    await service.deliverDue(later(start, 20 * 86_400_000));
    expect(await delivery()).toMatchObject({ status: 'delivered', attempts: 1 });
    await receiver.close();
  });

  it('a receiver that cannot be reached is retried like one that fails', async () => {
    const receiver = await startReceiver();
    const hook = await createWebhook(receiver.url, ['incident.published']);
    await receiver.close();
    await enqueue(t, service, { event: 'incident.published', payload: {}, targets: { webhookIds: [hook.id] } });
    expect(await service.deliverDue()).toEqual({ delivered: 0, pending: 1, failed: 0 });
    const [row] = (await t.get('admin', `/api/integrations/deliveries?webhookId=${hook.id}`)).json().items;
    expect(row).toMatchObject({ status: 'pending', responseCode: null });
    expect(row.lastError).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('named receivers: unknown webhooks are answered, e-mail addresses and phones are queued once each', async () => {
    const missing = '00000000-0000-0000-0000-000000000001';
    const result = await enqueue(t, service, {
      event: 'plan.activated',
      payload: {},
      targets: { webhookIds: [missing], emails: ['duty@example.org', 'duty@example.org'], phones: ['13800000000'] },
      ref: 'test:named',
    });
    expect(result.unknownWebhooks).toEqual([missing]);
    const log = (await t.get('admin', '/api/integrations/deliveries?ref=test:named')).json();
    expect(log.items.map((d: { channel: string; target: string }) => `${d.channel}:${d.target}`).sort()).toEqual([
      'email:duty@example.org',
      'sms:13800000000',
    ]);
  });

  it('the delivery log filters and pages, refuses bad filters, and keeps to the reader’s scope', async () => {
    const hongta = await t.unit('530402');
    const jiangchuan = await t.unit('530403');
    await enqueue(t, service, {
      event: 'incident.created',
      payload: {},
      targets: { emails: ['a@example.org'] },
      orgUnitId: hongta.id,
      ref: 'scope:hongta',
    });
    await enqueue(t, service, {
      event: 'incident.created',
      payload: {},
      targets: { emails: ['b@example.org'] },
      orgUnitId: jiangchuan.id,
      ref: 'scope:jiangchuan',
    });
    await t.addAccount('jc-integrations', ['integrations:write'], '530403');
    const seen = (await t.get('jc-integrations', '/api/integrations/deliveries?pageSize=500'))
      .json()
      .items.map((d: { ref: string }) => d.ref);
    expect(seen).toContain('scope:jiangchuan');
    expect(seen).not.toContain('scope:hongta');
    expect(seen).not.toContain('test:named');
    const all = (await t.get('admin', '/api/integrations/deliveries?channel=email&status=pending&pageSize=2&page=1')).json();
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThanOrEqual(3);
    const page2 = (await t.get('admin', '/api/integrations/deliveries?channel=email&status=pending&pageSize=2&page=2')).json();
    expect(page2.items[0].id).not.toBe(all.items[0].id);
    for (const query of ['status=lost', 'channel=pigeon', 'from=2026-02-30T00:00:00Z', 'pageSize=0', 'webhookId=x']) {
      expect((await t.get('admin', `/api/integrations/deliveries?${query}`)).statusCode, query).toBe(400);
    }
    // A delivery of 红塔区 is unknown to 江川区's administrator.
    const [other] = (await t.get('admin', '/api/integrations/deliveries?ref=scope:hongta')).json().items;
    expect((await t.post('jc-integrations', `/api/integrations/deliveries/${other.id}/retry`)).statusCode).toBe(404);
  });
});

/** Decodes the MIME encoded-words of a header (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`). */
const decodeHeader = (value: string) =>
  value.replace(/\s*=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );

/** The subject and text of a raw single-part message as an SMTP server received it. */
function readMessage(raw: string) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(unfolded)?.[1] ?? '';
  const body = rest.join('\n\n');
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body, 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8')
        : body;
  return { subject: decodeHeader(header('Subject')), text: text.trim() };
}

describe('e-mail over SMTP', () => {
  const messages: { from: string; to: string[]; subject: string; text: string }[] = [];
  const logins: string[] = [];
  let smtp: SMTPServer;
  let port: number;

  beforeAll(async () => {
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: false,
      logger: false,
      onAuth(auth, _session, callback) {
        logins.push(`${auth.username}:${auth.password}`);
        if (auth.username === 'mailer' && auth.password === 'smtp-pass-不在明文') callback(null, { user: 'mailer' });
        else callback(new Error('Invalid username or password'));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@refused.example.org')) callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        else callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const { subject, text } = readMessage(Buffer.concat(chunks).toString('utf8'));
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject,
            text,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    port = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  const settings = () => ({
    enabled: true,
    host: '127.0.0.1',
    port,
    security: 'none',
    user: 'mailer',
    password: 'smtp-pass-不在明文',
    from: 'safeforest@example.org',
    fromName: '玉溪市森林防火指挥中心',
  });

  it('the settings are saved with the password sealed, and the password is never shown', async () => {
    expect((await t.get('admin', '/api/integrations/smtp')).json()).toBeNull();
    const saved = await t.request('admin', { method: 'PUT', url: '/api/integrations/smtp', payload: settings() });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ host: '127.0.0.1', user: 'mailer', passwordSet: true });
    expect(saved.body).not.toContain('smtp-pass');
    const { rows } = await t.database.pool.query("SELECT value::text AS value FROM settings WHERE key = 'notifications.smtp'");
    expect(rows[0].value).not.toContain('smtp-pass');
    const audit = await t.database.pool.query("SELECT after::text AS after FROM audit_log WHERE entity_id = 'notifications.smtp'");
    expect(audit.rows.map((r) => r.after).join()).not.toContain('smtp-pass');
    // Left out, the password stays.
    const { password: _, ...withoutPassword } = settings();
    expect((await t.request('admin', { method: 'PUT', url: '/api/integrations/smtp', payload: withoutPassword })).json()).toMatchObject({
      passwordSet: true,
    });
  });

  it('the test button sends an e-mail now, signed in with the saved password, and reports the outcome', async () => {
    const res = await t.post('admin', '/api/integrations/smtp/test', { to: 'officer@example.org' });
    expect(res.json()).toMatchObject({ delivered: true, responseCode: 250, error: null });
    expect(logins.at(-1)).toBe('mailer:smtp-pass-不在明文');
    expect(messages.at(-1)).toMatchObject({ from: 'safeforest@example.org', to: ['officer@example.org'], subject: 'SafeForest 测试邮件' });
    expect(messages.at(-1)?.text).toContain('测试邮件');
    const refused = await t.post('admin', '/api/integrations/smtp/test', { to: 'nobody@refused.example.org' });
    expect(refused.json()).toMatchObject({ delivered: false, responseCode: 550 });
  });

  it('a queued e-mail arrives with its subject and text', async () => {
    await enqueue(t, service, {
      event: 'plan.activated',
      payload: {},
      subject: '启动应急预案：森林火灾Ⅱ级',
      text: '红塔区洛河乡发生森林火灾，请立即赶赴现场。',
      targets: { emails: ['county@example.org'] },
    });
    await service.deliverDue();
    // (The pass also sends the e-mails queued by the tests above, before SMTP was set up.)
    expect(messages.find((m) => m.to.includes('county@example.org'))).toMatchObject({
      subject: '启动应急预案：森林火灾Ⅱ级',
      text: '红塔区洛河乡发生森林火灾，请立即赶赴现场。',
    });
  });

  it('refuses malformed settings, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ host: 'smtp.example.org\r\nRCPT TO:<x>' }, 'body.host'],
      [{ port: 70000 }, 'body.port'],
      [{ security: 'ssl3' }, 'body.security'],
      [{ from: 'not-an-address' }, 'body.from'],
    ];
    for (const [change, path] of cases) {
      const res = await t.request('admin', { method: 'PUT', url: '/api/integrations/smtp', payload: { ...settings(), ...change } });
      expect([res.statusCode, res.json().error.details?.[0]?.path]).toEqual([400, path]);
    }
    expect((await t.post('admin', '/api/integrations/smtp/test', { to: 'x' })).json().error.details[0].path).toBe('body.to');
    expect((await t.request('duty', { method: 'PUT', url: '/api/integrations/smtp', payload: settings() })).statusCode).toBe(403);
  });
});

describe('the SMS gateway template', () => {
  let gateway: Receiver;
  beforeAll(async () => {
    gateway = await startReceiver();
  });
  afterAll(() => gateway.close());

  const template = () => ({
    enabled: true,
    method: 'POST',
    url: `http://127.0.0.1:${gateway.port}/sms/send?key={token}`,
    headers: { 'X-Api-Token': '{token}' },
    bodyFormat: 'json',
    bodyTemplate: '{"mobile":"{phone}","content":"{text}","sign":"SafeForest"}',
    token: 'gw-token-S3cr3t-123',
  });

  it('the template is saved with its token sealed; the test button sends through it', async () => {
    const saved = await t.request('admin', { method: 'PUT', url: '/api/integrations/sms', payload: template() });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ tokenSet: true, bodyFormat: 'json' });
    expect(saved.body).not.toContain('gw-token');
    const { rows } = await t.database.pool.query("SELECT value::text AS value FROM settings WHERE key = 'notifications.sms'");
    expect(rows[0].value).not.toContain('gw-token');
    const res = await t.post('admin', '/api/integrations/sms/test', { phone: '+8613812345678' });
    expect(res.json()).toMatchObject({ delivered: true, responseCode: 200 });
    const sent = gateway.received.at(-1) as Received;
    expect(sent.url).toBe(`/sms/send?key=${encodeURIComponent('gw-token-S3cr3t-123')}`);
    expect(sent.headers['x-api-token']).toBe('gw-token-S3cr3t-123');
    expect(JSON.parse(sent.body)).toMatchObject({ mobile: '+8613812345678', sign: 'SafeForest' });
    expect(JSON.parse(sent.body).content).toContain('测试短信');
  });

  it('a message cannot change the request: its text is escaped, and a placeholder in it is not filled in', async () => {
    const text = '注意","mobile":"10086","x":"{token} \\ \n end';
    await enqueue(t, service, { event: 'plan.activated', payload: {}, subject: '预警', text, targets: { phones: ['13900000000'] } });
    await service.deliverDue();
    const sent = gateway.received.find((r) => r.body.includes('13900000000')) as Received;
    const body = JSON.parse(sent.body);
    expect(Object.keys(body)).toEqual(['mobile', 'content', 'sign']);
    expect(body.mobile).toBe('13900000000');
    expect(body.content).toBe(`【SafeForest】预警：${text}`);
    expect(sent.body).not.toContain('gw-token');
  });

  it('a form body is form-encoded', async () => {
    await t.request('admin', {
      method: 'PUT',
      url: '/api/integrations/sms',
      payload: { ...template(), bodyFormat: 'form', bodyTemplate: 'to={phone}&msg={text}&key={token}', token: undefined },
    });
    await enqueue(t, service, { event: 'plan.activated', payload: {}, subject: 'a&b=c', text: '火', targets: { phones: ['13900000001'] } });
    await service.deliverDue();
    const sent = gateway.received.find((r) => r.body.includes('13900000001')) as Received;
    const form = new URLSearchParams(sent.body);
    expect([form.get('to'), form.get('msg'), form.get('key')]).toEqual(['13900000001', '【SafeForest】a&b=c：火', 'gw-token-S3cr3t-123']);
  });

  it('refuses templates that break once filled in, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ bodyTemplate: '{"mobile":{phone},"content":{text}}' }, 'body.bodyTemplate'],
      [{ bodyTemplate: '{"mobile":"{phone}"}' }, 'body.bodyTemplate'],
      [{ url: 'gopher://127.0.0.1/x' }, 'body.url'],
      [{ headers: { 'X-Bad': 'a\r\nInjected: yes' } }, 'body.headers.X-Bad'],
      [{ headers: { 'X-Bad': '令牌' } }, 'body.headers.X-Bad'],
      [{ headers: { 'Bad Header': 'x' } }, 'body.headers.Bad Header'],
      [{ token: 'line\nbreak' }, 'body.token'],
      [{ token: '秘密' }, 'body.token'],
      [{ method: 'DELETE' }, 'body.method'],
    ];
    for (const [change, path] of cases) {
      const res = await t.request('admin', { method: 'PUT', url: '/api/integrations/sms', payload: { ...template(), ...change } });
      expect([res.statusCode, res.json().error.details?.map((d: { path: string }) => d.path)], JSON.stringify(change)).toEqual([
        400,
        expect.arrayContaining([path]),
      ]);
    }
    expect((await t.post('admin', '/api/integrations/sms/test', { phone: '12; rm -rf' })).json().error.details[0].path).toBe('body.phone');
  });
});

describe('after a restart', () => {
  it('what was queued, and what was half-sent when the process stopped, is delivered by the next process', async () => {
    const first = await createTestApp();
    const receiver = await startReceiver();
    try {
      const hook = (
        await first.post('admin', '/api/integrations/webhooks', { url: receiver.url, events: ['incident.created'], secret: SECRET })
      ).json();
      const queued = await enqueue(first, first.services.notificationsService, { event: 'incident.created', payload: { n: 1 } });
      const halfSent = await enqueue(first, first.services.notificationsService, { event: 'incident.created', payload: { n: 2 } });
      // A worker took this one and died before recording the outcome.
      await first.database.pool.query(
        "UPDATE notification_deliveries SET status = 'sending', attempts = 1, claimed_at = now() - interval '1 hour' WHERE id = $1",
        [halfSent.deliveryIds[0]],
      );
      expect(receiver.received).toHaveLength(0);
      await first.app.close();
      // The next process on the same database and data directory (whose key opens the stored secret), with its worker on.
      const second = await buildApp({ ...QUIET_APP_CONFIG, dataDir: first.dataDir, notifyIntervalMs: 3_600_000 }, first.database);
      try {
        await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(2);
        expect(receiver.received.every((r) => signatureHolds(r, SECRET))).toBe(true);
        expect(receiver.received.map((r) => JSON.parse(r.body).data.n).sort()).toEqual([1, 2]);
        const statuses = async () =>
          (await first.database.pool.query('SELECT status FROM notification_deliveries WHERE webhook_id = $1', [hook.id])).rows.map(
            (r) => r.status,
          );
        // (The receiver has answered; the outcome is recorded right after.)
        await expect.poll(statuses, { timeout: 5_000 }).toEqual(['delivered', 'delivered']);
        expect(queued.deliveryIds).toHaveLength(1);
      } finally {
        await second.app.close();
      }
    } finally {
      await receiver.close();
      await first.close();
    }
  });
});
