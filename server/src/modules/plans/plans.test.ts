import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmergencyPlan, createIncident } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';

type Received = { url: string; headers: http.IncomingHttpHeaders; body: string };

/** An HTTP receiver on a free local port that answers 200 to everything. */
async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const SECRET = 'plan-webhook-secret-0001';
const STEPS = ['核实火情并报告', '调派扑火队伍', '疏散周边群众'];

let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let gateway: Awaited<ReturnType<typeof startReceiver>>;
let webhookId: string;
let hongta: { id: number; path: string };
let cityPlan: { id: string; version: number };
let incident: string;
let inGrid: [number, number];

const timeline = async (id: string) =>
  (await t.get('duty', `/api/incidents/${id}`)).json().timeline as {
    kind: string;
    by: string;
    text: string;
    data: Record<string, unknown>;
  }[];

beforeAll(async () => {
  t = await createTestApp();
  receiver = await startReceiver();
  gateway = await startReceiver();
  hongta = await t.unit('530402');
  webhookId = (
    await t.post('admin', '/api/integrations/webhooks', { url: receiver.url, events: ['plan.activated'], secret: SECRET })
  ).json().id;
  const sms = await t.request('admin', {
    method: 'PUT',
    url: '/api/integrations/sms',
    payload: {
      enabled: true,
      method: 'POST',
      url: `http://127.0.0.1:${gateway.port}/sms`,
      bodyFormat: 'json',
      bodyTemplate: '{"to":"{phone}","text":"{text}"}',
    },
  });
  expect(sms.statusCode, sms.body).toBe(200);
  // The county office's staff are notified by text message: its account has a phone.
  await t.database.pool.query("UPDATE users SET phone = '13700000001' WHERE username = 'hongta'");
  await t.addAccount('jc-planner', ['plans:read', 'plans:write'], '530403');
  inGrid = await t.pointIn('53040200101');
  incident = await createIncident(t, { orgUnitId: (await t.unit('53040200101')).id, lon: inGrid[0], lat: inGrid[1], title: '洛河乡山火' });
});
afterAll(async () => {
  await receiver?.close();
  await gateway?.close();
  await t?.close();
});

const cityPlanBody = () => ({
  name: '森林火灾Ⅱ级应急预案',
  orgUnitId: 0,
  category: 'forest_fire',
  level: 2,
  description: '较大森林火灾',
  notify: {
    orgUnitIds: [hongta.id],
    roles: ['county_office'],
    contacts: [{ name: '市应急管理局值班室', phone: '13800000002', email: 'duty@yjj.example.org' }],
    webhookIds: [webhookId],
  },
  steps: STEPS,
});

describe('the plan register', () => {
  it('the duty officer records a city plan: category, level, who is notified, the checklist', async () => {
    const city = (await t.get('duty', '/api/auth/me')).json().orgUnit;
    const body = { ...cityPlanBody(), orgUnitId: (await t.unit('530400')).id };
    expect(city).toBeTruthy();
    const res = await t.post('duty', '/api/plans', body);
    expect(res.statusCode, res.body).toBe(201);
    cityPlan = res.json();
    expect(res.json()).toMatchObject({ name: body.name, category: 'forest_fire', level: 2, steps: STEPS, active: true, version: 1 });
    const { rows } = await t.database.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'plan.create' AND entity_id = $1",
      [cityPlan.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses malformed plans, naming the field', async () => {
    const city = (await t.unit('530400')).id;
    const grid = (await t.unit('53040200101')).id;
    const cases: [Record<string, unknown>, string][] = [
      [{ category: 'volcano' }, 'body.category'],
      [{ orgUnitId: grid }, 'body.orgUnitId'],
      [{ orgUnitId: 999_999 }, 'body.orgUnitId'],
      [{ level: 5 }, 'body.level'],
      [{ steps: [] }, 'body.steps'],
      [{ name: '预案\u0000' }, 'body.name'],
      [{ notify: { ...cityPlanBody().notify, webhookIds: ['00000000-0000-0000-0000-000000000009'] } }, 'body.notify.webhookIds.0'],
      [{ notify: { ...cityPlanBody().notify, roles: ['wizard'] } }, 'body.notify.roles.0'],
      [{ notify: { ...cityPlanBody().notify, contacts: [{ name: '无联系方式' }] } }, 'body.notify.contacts.0.phone'],
      [{ notify: { ...cityPlanBody().notify, contacts: [{ name: 'x', email: 'not-mail' }] } }, 'body.notify.contacts.0.email'],
    ];
    for (const [change, path] of cases) {
      const res = await t.post('duty', '/api/plans', { ...cityPlanBody(), orgUnitId: city, ...change });
      expect(res.statusCode, JSON.stringify(change)).toBe(400);
      if (!change.name)
        expect(
          res.json().error.details.map((d: { path: string }) => d.path),
          JSON.stringify(change),
        ).toContain(path);
    }
  });

  it('a county records its own plans; counties see their own and the city’s, never another county’s', async () => {
    const jiangchuan = (await t.unit('530403')).id;
    const own = await t.post('jc-planner', '/api/plans', {
      ...cityPlanBody(),
      name: '江川区林火预案',
      orgUnitId: jiangchuan,
      notify: { contacts: [{ name: '江川值班', phone: '13900000003' }] },
    });
    expect(own.statusCode, own.body).toBe(201);
    expect((await t.post('jc-planner', '/api/plans', { ...cityPlanBody(), orgUnitId: hongta.id })).json().error.details[0].path).toBe(
      'body.orgUnitId',
    );
    const jcList = (await t.get('jc-planner', '/api/plans?category=forest_fire')).json().items.map((p: { id: string }) => p.id);
    expect(jcList).toEqual(expect.arrayContaining([own.json().id, cityPlan.id]));
    const htList = (await t.get('hongta', '/api/plans')).json().items.map((p: { id: string }) => p.id);
    expect(htList).toContain(cityPlan.id);
    expect(htList).not.toContain(own.json().id);
    expect((await t.get('hongta', `/api/plans/${own.json().id}`)).statusCode).toBe(404);
    // The city's plan is used by the county, not changed by it.
    const change = await t.patch('jc-planner', `/api/plans/${cityPlan.id}`, { name: '改名', version: cityPlan.version });
    expect(change.statusCode).toBe(403);
    expect((await t.del('jc-planner', `/api/plans/${cityPlan.id}`, {})).statusCode).toBe(403);
    expect((await t.get('duty', `/api/plans/${cityPlan.id}`)).json().name).toBe('森林火灾Ⅱ级应急预案');
    // A stale version is a conflict; the current one changes it.
    const jc = own.json();
    expect((await t.patch('jc-planner', `/api/plans/${jc.id}`, { level: 3, version: jc.version + 1 })).statusCode).toBe(409);
    expect((await t.patch('jc-planner', `/api/plans/${jc.id}`, { level: 3, version: jc.version })).json()).toMatchObject({
      level: 3,
      version: 2,
    });
  });

  it('only plan writers change plans; a ranger reads none', async () => {
    expect((await t.post('hongta', '/api/plans', cityPlanBody())).statusCode).toBe(403);
    expect((await t.get('ranger1', '/api/plans')).statusCode).toBe(403);
    expect((await t.get('hongta', '/api/plans?level=9')).statusCode).toBe(400);
  });
});

describe('activating a plan on an incident', () => {
  let activation: { id: string; version: number; steps: { text: string; done: boolean }[] };

  it('queues its linkage notifications and writes its checklist into the incident’s timeline', async () => {
    const res = await t.post('duty', `/api/plans/${cityPlan.id}/activate`, { incidentId: incident });
    expect(res.statusCode, res.body).toBe(201);
    activation = res.json();
    // The webhook, the contact's e-mail, and text messages to the contact and to 红塔区's county office.
    expect(res.json()).toMatchObject({ planId: cityPlan.id, incidentId: incident, level: 2, deliveries: 4, activatedBy: 'duty' });
    expect(activation.steps.map((s) => s.text)).toEqual(STEPS);
    const activated = (await timeline(incident)).find((e) => e.kind === 'plan_activated');
    expect(activated).toMatchObject({ by: 'duty', data: { checklist: STEPS, deliveries: 4 } });
    expect(activated?.text).toContain('森林火灾Ⅱ级应急预案');
    const log = (await t.get('admin', `/api/integrations/deliveries?ref=incident:${incident}`)).json();
    expect(log.items.map((d: { channel: string; target: string }) => `${d.channel}:${d.target}`).sort()).toEqual([
      'email:duty@yjj.example.org',
      'sms:13700000001',
      'sms:13800000002',
      `webhook:${webhookId}`,
    ]);
    expect((await t.post('duty', `/api/plans/${cityPlan.id}/activate`, { incidentId: incident })).statusCode).toBe(409);
    expect((await t.get('duty', `/api/incidents/${incident}/plan-activations`)).json().items).toHaveLength(1);
  });

  it('each notification’s outcome is written into the timeline when it ends', async () => {
    await t.services.notificationsService.deliverDue();
    const [hook] = receiver.received;
    expect(hook.headers['x-safeforest-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`);
    const body = JSON.parse(hook.body);
    expect(body).toMatchObject({
      event: 'plan.activated',
      data: { plan: { id: cityPlan.id, level: 2 }, incident: { id: incident, title: '洛河乡山火' } },
    });
    expect(gateway.received.map((r) => JSON.parse(r.body).to).sort()).toEqual(['13700000001', '13800000002']);
    expect(JSON.parse(gateway.received[0].body).text).toContain('洛河乡山火');
    const outcomes = (await timeline(incident)).filter((e) => e.kind === 'notification');
    expect(outcomes.map((e) => `${e.data.channel}:${e.data.status}`).sort()).toEqual([
      'sms:delivered',
      'sms:delivered',
      'webhook:delivered',
    ]);
    expect(outcomes.every((e) => e.by === 'notifier')).toBe(true);
    // E-mail is not set up: that one is still being tried, and is not on the timeline yet.
    const [email] = (await t.get('admin', `/api/integrations/deliveries?ref=incident:${incident}&channel=email`)).json().items;
    expect(email).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('steps are checked off with who and when, on the activation and in the timeline', async () => {
    const res = await t.post('hongta', `/api/plan-activations/${activation.id}/steps/2`, { done: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().steps[1]).toMatchObject({ text: '调派扑火队伍', done: true, doneBy: 'hongta' });
    expect(Date.parse(res.json().steps[1].doneAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(res.json().steps[0].done).toBe(false);
    const entry = (await timeline(incident)).find((e) => e.kind === 'plan_step');
    expect(entry).toMatchObject({ by: 'hongta', data: { activationId: activation.id, step: 2, done: true } });
    expect(entry?.text).toContain('调派扑火队伍');
    expect((await t.post('hongta', `/api/plan-activations/${activation.id}/steps/2`, { done: true })).statusCode).toBe(409);
    expect((await t.post('hongta', `/api/plan-activations/${activation.id}/steps/2`, { done: true, version: 1 })).statusCode).toBe(409);
    expect((await t.post('hongta', `/api/plan-activations/${activation.id}/steps/9`, {})).json().error.details[0].path).toBe('params.step');
    expect((await t.post('hongta', `/api/plan-activations/${activation.id}/steps/0`, {})).statusCode).toBe(400);
  });

  it('another county neither sees nor checks off the activation; a county plan is not used outside its county', async () => {
    expect((await t.get('jiangchuan', `/api/incidents/${incident}/plan-activations`)).statusCode).toBe(404);
    expect((await t.post('jiangchuan', `/api/plan-activations/${activation.id}/steps/1`, {})).statusCode).toBe(404);
    expect((await t.post('liaison1', `/api/plan-activations/${activation.id}/steps/1`, {})).statusCode).toBe(403);
    expect((await t.post('hongta', `/api/plans/${cityPlan.id}/activate`, { incidentId: incident })).statusCode).toBe(403);
    const jcPlan = await createEmergencyPlan(t, { orgUnitId: (await t.unit('530403')).id, name: '江川区专用预案' });
    const outside = await t.post('duty', `/api/plans/${jcPlan}/activate`, { incidentId: incident });
    expect([outside.statusCode, outside.json().error.details?.[0]?.path]).toEqual([400, 'body.incidentId']);
    expect(
      (await t.post('duty', `/api/plans/${cityPlan.id}/activate`, { incidentId: '00000000-0000-0000-0000-000000000000' })).statusCode,
    ).toBe(404);
    expect((await t.post('duty', `/api/plans/${cityPlan.id}/activate`, { incidentId: 'JQ20261130-0001' })).statusCode).toBe(400);
  });
});
