/**
 * Linkage from the browser: the administrator adds a webhook pointing at a receiver this spec
 * starts on 127.0.0.1, keeps the secret shown once and sends a test; the duty officer activates an
 * emergency plan on a forest-fire incident and checks a step off; the receiver gets the signed
 * `plan.activated` delivery (the `X-SafeForest-Signature` HMAC verified with the secret) and the
 * delivery log shows it delivered. The delivery worker is the one `npm start` runs (every
 * NOTIFY_INTERVAL_SECONDS, 5 s by default). Screens of every page are kept in e2e/artifacts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, apiSession, type OrgUnit, useBrowser } from './helpers';

type Received = { event: string; delivery: string; signature: string; body: Buffer };
type Incident = { id: string; code: string; status: string; priority: number };
type Webhook = { id: string; name: string; url: string };

const GRID = '玉兴街道第1网格';
const PLAN = `森林火灾联动测试预案 ${Date.now().toString(36)}`;
const STEPS = ['赶赴现场核实火情', '通知森林消防队伍集结', '设置隔离带并疏散群众'];

/** A receiver of webhook deliveries on a free port of 127.0.0.1: keeps every request's headers and raw body. */
function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        event: String(req.headers['x-safeforest-event'] ?? ''),
        delivery: String(req.headers['x-safeforest-delivery'] ?? ''),
        signature: String(req.headers['x-safeforest-signature'] ?? ''),
        body: Buffer.concat(chunks),
      });
      res.writeHead(204).end();
    });
  });
  const listening = new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return { received, listening, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** True when the signature header is `sha256=` + the hex HMAC-SHA256 of the raw body under the secret. */
function signedWith(r: Received, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`);
  const got = Buffer.from(r.signature);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

describe('linkage notifications from the browser', () => {
  const browser = useBrowser();
  const receiver = startReceiver();
  let url: string;
  let admin: Page;
  let secret: string;
  let webhook: Webhook;
  let incident: Incident;
  let planId: string;

  beforeAll(async () => {
    url = `http://127.0.0.1:${await receiver.listening}/hooks/safeforest`;
  });
  afterAll(async () => {
    await receiver.close();
    if (!incident) return;
    const duty = await apiSession('duty');
    const now = await duty.get<Incident>(`/api/incidents/${incident.id}`);
    if (['new', 'dispatched', 'on_scene'].includes(now.status))
      await duty.post(`/api/incidents/${incident.id}/status`, { status: 'false_alarm' });
  });

  it('lets the administrator add a webhook, showing its secret once, and send a signed test', async () => {
    const watched = await browser.openSignedIn('admin');
    admin = watched.page;
    await admin.getByTestId('menu-integrations').click();
    await admin.getByTestId('webhooks-table').waitFor();
    await watched.settled();
    await admin.getByTestId('webhook-new').click();
    const form = admin.getByTestId('webhook-form');
    await form.getByTestId('webhook-name').fill('联动测试接收方');
    await form.getByTestId('webhook-url').fill(url);
    await watched.settled();
    await admin.screenshot({ path: path.join(ARTIFACTS, 'linkage-webhook-form-desktop.png') });
    await form.getByTestId('webhook-save').click();

    const once = admin.getByTestId('webhook-secret');
    await once.waitFor();
    secret = (await once.textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const row = admin.getByTestId('webhooks-table').locator('tr', { hasText: '联动测试接收方' });
    await row.waitFor();
    await watched.settled();
    await admin.screenshot({ path: path.join(ARTIFACTS, 'linkage-webhook-secret-desktop.png') });

    await row.getByTestId('webhook-test').click();
    await expect.poll(() => admin.getByTestId('test-outcome').getAttribute('data-delivered'), { timeout: 20_000 }).toBe('true');
    const test = receiver.received.find((r) => r.event === 'notification.test');
    expect(test).toBeDefined();
    expect(signedWith(test as Received, secret)).toBe(true);
    expect(signedWith(test as Received, `${secret}x`)).toBe(false);
    await watched.settled();
    await admin.screenshot({ path: path.join(ARTIFACTS, 'linkage-webhook-test-desktop.png') });

    // The secret is not shown again: a fresh page lists the webhook without it.
    await admin.reload();
    await admin.getByTestId('webhooks-table').locator('tr', { hasText: '联动测试接收方' }).waitFor();
    expect(await admin.getByTestId('webhook-secret-once').count()).toBe(0);
    expect(await admin.content()).not.toContain(secret);
    const api = await apiSession('admin');
    webhook = (await api.get<{ items: Webhook[] }>('/api/integrations/webhooks')).items.find((w) => w.url === url) as Webhook;
    expect(webhook).toBeDefined();
  });

  it('has a forest-fire plan notifying the webhook, in the plans register', async () => {
    const duty = await apiSession('duty');
    const { items } = await duty.get<{ items: OrgUnit[] }>(`/api/org/units?q=${encodeURIComponent(GRID)}`);
    const grid = items.find((u) => u.name === GRID);
    if (!grid?.center) throw new Error(`${GRID} has no centre`);
    incident = await duty.post<Incident>('/api/incidents', {
      category: 'forest_fire',
      title: '山林冒烟（联动测试）',
      location: { type: 'Point', coordinates: [grid.center[0] + 0.001, grid.center[1] + 0.001] },
      placeText: '玉兴街道后山',
      source: 'phone',
    });
    const api = await apiSession('admin');
    const city = (await api.get<{ items: OrgUnit[] }>('/api/org/units')).items.find((u) => u.kind === 'city') as OrgUnit;
    const plan = await api.post<{ id: string }>('/api/plans', {
      name: PLAN,
      orgUnitId: city.id,
      category: 'forest_fire',
      level: incident.priority,
      notify: { orgUnitIds: [], roles: [], contacts: [], webhookIds: [webhook.id] },
      steps: STEPS,
    });
    planId = plan.id;

    const watched = await browser.openSignedIn('admin');
    await watched.page.getByTestId('menu-plans').click();
    const row = watched.page.getByTestId('plans-table').locator('tr', { hasText: PLAN });
    await row.waitFor();
    await watched.settled();
    await watched.page.screenshot({ path: path.join(ARTIFACTS, 'linkage-plans-desktop.png') });
    await row.getByTestId(`plan-edit-${planId}`).click();
    const form = watched.page.getByTestId('plan-form');
    await expect.poll(() => form.getByTestId('plan-step').count()).toBe(STEPS.length);
    await watched.settled();
    await watched.page.screenshot({ path: path.join(ARTIFACTS, 'linkage-plan-form-desktop.png') });
    expect(watched.errors).toEqual([]);
  });

  it('lets the duty officer activate the plan on the incident and check a step off', async () => {
    const watched = await browser.openSignedIn('duty');
    const { page } = watched;
    await page.goto(`${page.url().replace(/\/[^/]*$/, '')}/incidents/${incident.id}`);
    const panel = page.getByTestId('plan-panel');
    await panel.waitFor();
    await watched.settled();
    await panel.getByTestId('plan-pick').click();
    await page.locator(`[data-testid="plan-option-${planId}"]`).click();
    await panel.getByTestId('plan-activate').click();
    const activation = panel.locator(`[data-testid="plan-activation"][data-plan="${planId}"]`);
    await activation.waitFor();
    await expect.poll(() => activation.getByTestId('plan-step-item').count()).toBe(STEPS.length);

    await activation.getByTestId('plan-step-check-1').click();
    await expect.poll(() => activation.getByTestId('plan-step-item').first().getAttribute('data-done')).toBe('true');
    await expect.poll(() => activation.getByTestId('plan-step-who').first().textContent()).toContain('duty');

    // The receiver gets the plan's delivery, signed with the secret shown once.
    await expect.poll(() => receiver.received.some((r) => r.event === 'plan.activated'), { timeout: 30_000 }).toBe(true);
    const delivery = receiver.received.find((r) => r.event === 'plan.activated') as Received;
    expect(signedWith(delivery, secret)).toBe(true);
    const body = JSON.parse(delivery.body.toString('utf8'));
    expect(JSON.stringify(body)).toContain(incident.id);

    // The officer sees it delivered on the incident (the timeline records the outcome).
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('plan-panel').waitFor();
          await watched.settled();
          return page.getByTestId('plan-delivery-status').first().getAttribute('data-status');
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe('delivered');
    await page.getByTestId('plan-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'linkage-incident-plan-desktop.png') });
    expect(watched.errors).toEqual([]);
  });

  it('shows the delivery as delivered in the administrator’s delivery log', async () => {
    await admin.getByRole('tab', { name: '发送记录' }).click();
    const log = admin.getByTestId('delivery-log');
    await log.waitFor();
    const planRow = log.locator(`[data-testid="delivery-status"][data-event="plan.activated"][data-target="${webhook.id}"]`);
    await expect
      .poll(
        async () => {
          await log.getByTestId('deliveries-refresh').click();
          return planRow
            .first()
            .getAttribute('data-status', { timeout: 2000 })
            .catch(() => null);
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe('delivered');
    await admin.screenshot({ path: path.join(ARTIFACTS, 'linkage-deliveries-desktop.png') });
    for (const tab of ['邮件服务器', '短信网关']) {
      await admin.getByRole('tab', { name: tab }).click();
      await admin.getByTestId(tab === '邮件服务器' ? 'smtp-save' : 'sms-save').waitFor();
      await admin.screenshot({ path: path.join(ARTIFACTS, `linkage-${tab === '邮件服务器' ? 'smtp' : 'sms'}-desktop.png`) });
    }
  });
});
