import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { CAP_READS_PER_MINUTE } from './cap.routes.js';
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_MSG_TYPES,
  CAP_NAMESPACE,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
} from './cap.schema.js';

let t: TestApp;
let hongta: [number, number];

/** CAP 1.2's element order (OASIS CAP v1.2, 3.2): every element a message may hold, in the order the schema requires. */
const ALERT_ORDER = [
  'identifier',
  'sender',
  'sent',
  'status',
  'msgType',
  'source',
  'scope',
  'restriction',
  'addresses',
  'code',
  'note',
  'references',
  'incidents',
  'info',
];
const INFO_ORDER = [
  'language',
  'category',
  'event',
  'responseType',
  'urgency',
  'severity',
  'certainty',
  'audience',
  'eventCode',
  'effective',
  'onset',
  'expires',
  'senderName',
  'headline',
  'description',
  'instruction',
  'web',
  'contact',
  'parameter',
  'resource',
  'area',
];
const AREA_ORDER = ['areaDesc', 'polygon', 'circle', 'geocode', 'altitude', 'ceiling'];
const REQUIRED_ALERT = ['identifier', 'sender', 'sent', 'status', 'msgType', 'scope'];
const REQUIRED_INFO = ['category', 'event', 'urgency', 'severity', 'certainty'];
/** The CAP dateTime form: offset given, no fractions of a second. */
const CAP_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  trimValues: true,
});

/** An element's child elements in document order, as [name, text or children]. */
function children(nodes: Node[]): { name: string; nodes: Node[]; text: string }[] {
  return nodes
    .map((n) => {
      const name = Object.keys(n).find((k) => k !== ':@' && k !== '#text');
      if (!name) return null;
      const inner = n[name] as Node[];
      const text = inner.map((c) => (c['#text'] !== undefined ? String(c['#text']) : '')).join('');
      return { name, nodes: inner, text };
    })
    .filter((c): c is { name: string; nodes: Node[]; text: string } => c !== null);
}

/** Whether `names` follow `order` (each known, none out of order). */
function inOrder(names: string[], order: string[]) {
  const positions = names.map((n) => order.indexOf(n));
  return positions.every((p, i) => p >= 0 && (i === 0 || p >= positions[i - 1]));
}

/** Parses a CAP message and checks it against CAP 1.2; answers its fields by name. */
function checkCap(xml: string) {
  const doc = parser.parse(xml) as Node[];
  const root = doc.find((n) => 'alert' in n) as Node;
  expect(root, 'a root <alert>').toBeDefined();
  expect(root[':@']?.xmlns).toBe(CAP_NAMESPACE);
  const alert = children(root.alert as Node[]);
  const names = alert.map((c) => c.name);
  expect(inOrder(names, ALERT_ORDER), `alert order: ${names.join(', ')}`).toBe(true);
  for (const required of REQUIRED_ALERT) expect(names).toContain(required);
  const field = (name: string) => alert.find((c) => c.name === name)?.text;
  expect(CAP_STATUSES).toContain(field('status'));
  expect(CAP_MSG_TYPES).toContain(field('msgType'));
  expect(CAP_SCOPES).toContain(field('scope'));
  expect(field('sent')).toMatch(CAP_TIME);
  for (const text of [field('identifier'), field('sender')]) expect(text).toMatch(/^[^\s,<&]+$/);
  const infos = alert.filter((c) => c.name === 'info').map((i) => children(i.nodes));
  expect(infos.length).toBeGreaterThan(0);
  for (const info of infos) {
    const infoNames = info.map((c) => c.name);
    expect(inOrder(infoNames, INFO_ORDER), `info order: ${infoNames.join(', ')}`).toBe(true);
    for (const required of REQUIRED_INFO) expect(infoNames).toContain(required);
    const of = (name: string) => info.filter((c) => c.name === name).map((c) => c.text);
    for (const c of of('category')) expect(CAP_CATEGORIES).toContain(c);
    expect(CAP_URGENCIES).toContain(of('urgency')[0]);
    expect(CAP_SEVERITIES).toContain(of('severity')[0]);
    expect(CAP_CERTAINTIES).toContain(of('certainty')[0]);
    for (const area of info.filter((c) => c.name === 'area').map((a) => children(a.nodes))) {
      const areaNames = area.map((c) => c.name);
      expect(inOrder(areaNames, AREA_ORDER), `area order: ${areaNames.join(', ')}`).toBe(true);
      expect(areaNames[0]).toBe('areaDesc');
      for (const circle of area.filter((c) => c.name === 'circle'))
        expect(circle.text).toMatch(/^-?\d+(\.\d+)?,-?\d+(\.\d+)? \d+(\.\d+)?$/);
    }
  }
  return {
    field,
    info: (name: string) => infos[0].find((c) => c.name === name)?.text,
  };
}

const capOf = async (url: string) => {
  const res = await t.get(null, url);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/cap+xml; charset=utf-8');
  return res.body;
};

/** An incident from a tip-off in ranger1's grid, with the reporter's contact, free text and an internal note. */
async function incidentWithSecrets(category = 'forest_fire', metresNorth = 0): Promise<string> {
  const location = { type: 'Point', coordinates: [hongta[0], hongta[1] + metresNorth / 111_000] };
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/public/tipoffs',
    payload: { category, description: '王五家后山起火了', location, placeText: '红塔山东坡', name: '王五', phone: '13511112222' },
  });
  expect(res.statusCode).toBe(201);
  const list = (await t.get('admin', `/api/tipoffs?trackingCode=${res.json().trackingCode}`)).json();
  const id = list.items[0].incidentId as string;
  expect((await t.post('duty', `/api/incidents/${id}/notes`, { text: '内部：疑似王五本人用火' })).statusCode).toBeLessThan(300);
  return id;
}

beforeAll(async () => {
  t = await createTestApp({ publicUrl: 'https://safeforest.yuxi.example' });
  hongta = await t.pointIn('53040200101');
});
afterAll(() => t.close());

describe('publishing an incident as a CAP 1.2 alert', () => {
  let incident: string;
  const published: { id: string; identifier: string; url: string; sent: string; msgType: string; references: string | null }[] = [];

  beforeAll(async () => {
    incident = await incidentWithSecrets();
  });

  it('the duty officer publishes: an Alert in CAP 1.2, in order, with CAP’s enumerations, and nothing of the reporter or the notes', async () => {
    const res = await t.post('duty', `/api/incidents/${incident}/publish`, { instruction: '请附近村民远离东坡林区。' });
    expect(res.statusCode).toBe(201);
    const message = res.json();
    expect(message).toMatchObject({ incidentId: incident, msgType: 'Alert', references: null, url: `/api/cap/alerts/${message.id}` });
    published.push(message);
    const xml = await capOf(message.url);
    const cap = checkCap(xml);
    expect(cap.field('msgType')).toBe('Alert');
    expect(cap.field('identifier')).toBe(message.identifier);
    expect(cap.field('sender')).toBe('safeforest@safeforest.yuxi.example');
    expect(cap.field('references')).toBeUndefined();
    expect(cap.field('incidents')).toMatch(/^JQ\d{8}-\d{4}$/);
    expect(cap.info('language')).toBe('zh-CN');
    expect(cap.info('category')).toBe('Fire');
    expect(cap.info('urgency')).toBe('Immediate');
    expect(cap.info('instruction')).toBe('请附近村民远离东坡林区。');
    expect(cap.info('web')).toBe('https://safeforest.yuxi.example');
    expect(cap.info('headline')).toContain('红塔山东坡');
    for (const secret of ['王五', '13511112222', '后山起火', '内部', '疑似']) expect(xml).not.toContain(secret);
    expect(xml).toContain(`${hongta[1].toFixed(5)},${hongta[0].toFixed(5)} 3`);
  });

  it('publishing again is an Update referring to the earlier messages as sender,identifier,sent', async () => {
    const second = (await t.post('duty', `/api/incidents/${incident}/publish`, { severity: 'Extreme' })).json();
    expect(second.msgType).toBe('Update');
    published.push(second);
    const cap1 = checkCap(await capOf(published[0].url));
    const ref1 = `safeforest@safeforest.yuxi.example,${published[0].identifier},${cap1.field('sent')}`;
    expect(second.references).toBe(ref1);
    const cap2 = checkCap(await capOf(second.url));
    expect(cap2.field('references')).toBe(ref1);
    expect(cap2.info('severity')).toBe('Extreme');
    // What was not given again is kept from the last message.
    expect(cap2.info('instruction')).toBe('请附近村民远离东坡林区。');
    const third = (await t.post('duty', `/api/incidents/${incident}/publish`, {})).json();
    published.push(third);
    expect(third.references.split(' ')).toHaveLength(2);
    expect(third.references.split(' ')[1]).toBe(`safeforest@safeforest.yuxi.example,${second.identifier},${cap2.field('sent')}`);
  });

  it('the feed lists the latest message of each published incident, linking to its CAP XML', async () => {
    const res = await t.get(null, '/api/cap/feed');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(res.body).feed;
    expect(feed.xmlns).toBe('http://www.w3.org/2005/Atom');
    const entries = [feed.entry].flat().filter(Boolean);
    const links = entries.map((e: { link: { href: string } }) => e.link.href);
    expect(links).toContain(`https://safeforest.yuxi.example${published[2].url}`);
    expect(links).not.toContain(`https://safeforest.yuxi.example${published[0].url}`);
    expect(entries.find((e: { link: { href: string; type: string } }) => e.link.href.endsWith(published[2].url)).link.type).toBe(
      'application/cap+xml',
    );
    expect(res.body).not.toContain('王五');
  });

  it('a published message never changes, whatever happens to the incident', async () => {
    const before = await capOf(published[0].url);
    expect((await t.post('duty', `/api/incidents/${incident}/status`, { status: 'dispatched' })).statusCode).toBe(200);
    expect(await capOf(published[0].url)).toBe(before);
  });

  it('unpublishing issues a Cancel referring to every message since the Alert; the feed drops it; again is 409', async () => {
    const res = await t.post('duty', `/api/incidents/${incident}/unpublish`);
    expect(res.statusCode).toBe(201);
    const cancel = res.json();
    expect(cancel.msgType).toBe('Cancel');
    expect(cancel.references.split(' ').map((r: string) => r.split(',')[1])).toEqual(published.map((p) => p.identifier));
    const cap = checkCap(await capOf(cancel.url));
    expect(cap.field('msgType')).toBe('Cancel');
    expect(cap.info('urgency')).toBe('Past');
    const feed = (await t.get(null, '/api/cap/feed')).body;
    expect(feed).not.toContain(cancel.id);
    expect(feed).not.toContain(published[2].id);
    const again = await t.post('duty', `/api/incidents/${incident}/unpublish`);
    expect(again.statusCode).toBe(409);
    // Published anew, it is a new Alert with no references.
    const renewed = (await t.post('duty', `/api/incidents/${incident}/publish`, {})).json();
    expect(renewed).toMatchObject({ msgType: 'Alert', references: null });
    await t.post('duty', `/api/incidents/${incident}/unpublish`);
  });

  it('every message is in the incident’s timeline and the audit log', async () => {
    const detail = (await t.get('duty', `/api/incidents/${incident}`)).json();
    const kinds = detail.timeline.map((e: { kind: string }) => e.kind).filter((k: string) => k.startsWith('cap_'));
    expect(kinds).toEqual(['cap_published', 'cap_published', 'cap_published', 'cap_cancelled', 'cap_published', 'cap_cancelled']);
    const { rows } = await t.database.pool.query(
      `SELECT action, actor_name FROM audit_log WHERE entity = 'cap_message' AND after->>'incidentId' = $1 ORDER BY id`,
      [incident],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'cap_message.publish',
      'cap_message.publish',
      'cap_message.publish',
      'cap_message.cancel',
      'cap_message.publish',
      'cap_message.cancel',
    ]);
    expect(new Set(rows.map((r) => r.actor_name))).toEqual(new Set(['duty']));
  });
});

describe('who may publish, and what', () => {
  let incident: string;
  beforeAll(async () => {
    incident = await incidentWithSecrets('illegal_logging', 5000);
    await t.addAccount('jc-publisher', ['incidents:read', 'incidents:publish'], '530403');
  });

  it('roles without incidents:publish are refused; a county’s publisher does not find another county’s incident', async () => {
    for (const who of ['hongta', 'police1', 'city', 'ranger1', 'checkpoint1']) {
      const res = await t.post(who, `/api/incidents/${incident}/publish`, {});
      expect([who, res.statusCode]).toEqual([who, 403]);
    }
    expect((await t.post('jc-publisher', `/api/incidents/${incident}/publish`, {})).statusCode).toBe(404);
    expect((await t.post('jc-publisher', `/api/incidents/${incident}/unpublish`)).statusCode).toBe(404);
    expect((await t.post(null, `/api/incidents/${incident}/publish`, {})).statusCode).toBe(401);
    const { rows } = await t.database.pool.query('SELECT count(*)::int AS n FROM cap_messages WHERE incident_id = $1', [incident]);
    expect(rows[0].n).toBe(0);
  });

  it('bad input names the field', async () => {
    for (const [body, path] of [
      [{ headline: 'x'.repeat(161) }, 'body.headline'],
      [{ headline: '' }, 'body.headline'],
      [{ severity: 'Huge' }, 'body.severity'],
      [{ instruction: 'a\u0000b' }, 'body.instruction'],
    ] as const) {
      const res = await t.post('duty', `/api/incidents/${incident}/publish`, body);
      expect([path, res.statusCode]).toEqual([path, 400]);
      expect(res.json().error.details[0].path).toBe(path);
    }
    expect((await t.post('duty', '/api/incidents/not-an-id/publish', {})).statusCode).toBe(400);
    expect((await t.post('duty', '/api/incidents/00000000-0000-0000-0000-000000000000/publish', {})).statusCode).toBe(404);
  });

  it('an incident that is a false alarm cannot be published (409); a non-fire incident is category Env with a 1 km circle', async () => {
    const message = (await t.post('duty', `/api/incidents/${incident}/publish`, { headline: '<script>alert(1)</script>盗伐警示' })).json();
    const xml = await capOf(message.url);
    const cap = checkCap(xml);
    expect(cap.info('category')).toBe('Env');
    expect(cap.info('headline')).toBe('<script>alert(1)</script>盗伐警示');
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).toMatch(/<circle>[^<]+ 1<\/circle>/);
    await t.post('duty', `/api/incidents/${incident}/unpublish`);
    await t.post('duty', `/api/incidents/${incident}/status`, { status: 'false_alarm' });
    const res = await t.post('duty', `/api/incidents/${incident}/publish`, {});
    expect(res.statusCode).toBe(409);
  });

  it('the public XML of an unknown message is a 404 in the error shape; a malformed id a 400', async () => {
    const res = await t.get(null, '/api/cap/alerts/00000000-0000-0000-0000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    expect((await t.get(null, '/api/cap/alerts/x')).json().error.details[0].path).toBe('params.id');
  });
});

describe('limits per client address', () => {
  it('an address reading the public feed or XML too often gets 429 with Retry-After; another address is not held up', async () => {
    const read = (url: string, address: string) => t.app.inject({ method: 'GET', url, remoteAddress: address });
    for (let i = 0; i < CAP_READS_PER_MINUTE; i++) expect((await read('/api/cap/feed', '198.51.100.7')).statusCode).toBe(200);
    const over = await read('/api/cap/feed', '198.51.100.7');
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('rate_limited');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await read('/api/cap/feed', '198.51.100.8')).statusCode).toBe(200);
    // The alert XML counts on its own.
    expect((await read('/api/cap/alerts/00000000-0000-0000-0000-000000000000', '198.51.100.7')).statusCode).toBe(404);
  });
});
