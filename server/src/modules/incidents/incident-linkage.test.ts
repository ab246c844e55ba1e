/** Sources that open incidents by themselves: an SOS from a ranger's phone, a verified field report. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RANGER1_PHONE, type RangerPhoneApp, rangerPhoneApp } from '../../../test/ranger-phone.js';

let s: RangerPhoneApp;

beforeAll(async () => {
  s = await rangerPhoneApp();
});
afterAll(() => s.t.close());

type Incident = { id: string; code: string; status: string; source: string; sourceRef: string; priority: number; reportCount: number };
const sosIncidents = async (): Promise<Incident[]> => (await s.t.get('duty', '/api/incidents?source=sos&pageSize=100')).json().items;
const kinds = (detail: { timeline: { kind: string }[] }) => detail.timeline.map((e) => e.kind);

describe('an SOS opens an incident', () => {
  it(`${RANGER1_PHONE}'s alarm=sos over OsmAnd opens a priority-1 incident in the same commit, live to its county only`, async () => {
    const hongta = await s.t.listen('hongta', ['incidents']);
    const duty = await s.t.listen('duty', ['incidents']);
    const other = await s.t.listen('jiangchuan', ['incidents']);
    const res = await s.fix(new Date(), s.inGrid, '&alarm=sos');
    expect(res.statusCode).toBe(200);
    const [alert] = await s.openAlerts('sos');
    const incidents = await sosIncidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      source: 'sos',
      sourceRef: alert.id,
      priority: 1,
      category: 'rescue',
      status: 'new',
      countyCode: '530402',
    });
    expect(incidents[0]).toMatchObject({ title: expect.stringContaining('李建华') });
    for (const socket of [hongta, duty])
      await expect
        .poll(() => socket.received.find((m) => m.type === 'incident'))
        .toMatchObject({
          type: 'incident',
          topic: 'incidents',
          change: 'created',
          incident: { id: incidents[0].id, code: incidents[0].code, status: 'new', source: 'sos' },
        });
    await other.settle();
    expect(other.received).toEqual([]);
    // The live event never carries the reporter's contact.
    expect(JSON.stringify(duty.received)).not.toContain('reporterPhone');
    for (const socket of [hongta, duty, other]) socket.close();
  });

  it('the same SOS again opens no second incident; a report with its alert id links to it', async () => {
    await s.fix(new Date(Date.now() + 1000), s.inGrid, '&alarm=sos');
    expect(await sosIncidents()).toHaveLength(1);
    const [alert] = await s.openAlerts('sos');
    const [incident] = await sosIncidents();
    const opened = await s.t.database.db.transaction(async (tx) =>
      s.t.services.incidentsService.openIn(
        { tx, audit: () => {}, emit: () => {} },
        { category: 'rescue', title: 'SOS again', location: s.inGrid, source: 'sos', sourceRef: alert.id },
      ),
    );
    expect(opened).toEqual({ id: incident.id, code: incident.code, linked: true });
  });

  it('resolving the SOS records it on the timeline and resolves the incident', async () => {
    const [alert] = await s.openAlerts('sos');
    const [incident] = await sosIncidents();
    const res = await s.t.post('duty', `/api/alerts/${alert.id}/resolve`, { note: '护林员安全' });
    expect(res.statusCode).toBe(200);
    const detail = (await s.t.get('duty', `/api/incidents/${incident.id}`)).json();
    expect(detail.status).toBe('resolved');
    expect(detail.resolvedAt).not.toBeNull();
    expect(kinds(detail)).toEqual(expect.arrayContaining(['opened', 'sos', 'status']));
    expect(detail.timeline.find((e: { kind: string }) => e.kind === 'sos')).toMatchObject({
      by: 'duty',
      text: 'SOS告警已处置：护林员安全',
    });
  });

  it('resolving the incident resolves the open SOS, on the incident’s timeline and the alert', async () => {
    await s.fix(new Date(Date.now() + 5000), s.inGrid, '&alarm=sos');
    const [alert] = await s.openAlerts('sos');
    const incident = (await sosIncidents()).find((i) => i.sourceRef === alert.id);
    expect(incident?.status).toBe('new');
    const alerts = await s.t.listen('hongta', ['alerts']);
    const res = await s.t.post('hongta', `/api/incidents/${incident?.id}/status`, { status: 'on_scene' });
    expect(res.statusCode).toBe(200);
    expect(await s.openAlerts('sos')).toHaveLength(1);
    await s.t.post('hongta', `/api/incidents/${incident?.id}/status`, { status: 'resolved', note: '已将护林员送医' });
    expect(await s.openAlerts('sos')).toHaveLength(0);
    const resolved = (await s.t.get('hongta', `/api/alerts/${alert.id}`)).json();
    expect(resolved).toMatchObject({ state: 'resolved', resolvedBy: 'hongta', noteCode: 'incident_resolved' });
    await expect.poll(() => alerts.received.find((m) => m.type === 'alert' && m.state === 'resolved')).toMatchObject({ id: alert.id });
    const detail = (await s.t.get('hongta', `/api/incidents/${incident?.id}`)).json();
    expect(kinds(detail)).toEqual(['opened', 'status', 'status', 'sos']);
    expect(detail.responseSeconds).toBeGreaterThanOrEqual(0);
    alerts.close();
  });
});

describe('a verified field report opens an incident', () => {
  it('a fire report verified by the county’s police opens a forest fire incident; a pest report does not', async () => {
    const fire = (
      await s.t.post('ranger1', '/api/field-reports', { kind: 'fire_hazard', lon: s.inGrid[0], lat: s.inGrid[1], note: '山脚冒烟' })
    ).json();
    const pests = (await s.t.post('ranger1', '/api/field-reports', { kind: 'pests', lon: s.inGrid[0], lat: s.inGrid[1] })).json();
    const before = (await s.t.get('hongta', '/api/incidents?source=field_report')).json().total;
    expect(before).toBe(0);
    expect((await s.t.patch('police1', `/api/field-reports/${pests.id}`, { status: 'verified' })).statusCode).toBe(200);
    expect((await s.t.get('hongta', '/api/incidents?source=field_report')).json().total).toBe(0);
    expect((await s.t.patch('police1', `/api/field-reports/${fire.id}`, { status: 'verified' })).statusCode).toBe(200);
    const { items } = (await s.t.get('hongta', '/api/incidents?source=field_report')).json();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      category: 'forest_fire',
      priority: 1,
      sourceRef: fire.id,
      description: '山脚冒烟',
      countyCode: '530402',
    });
    const detail = (await s.t.get('hongta', `/api/incidents/${items[0].id}`)).json();
    expect(detail.timeline[0]).toMatchObject({ kind: 'opened', by: 'police1' });
    expect(detail.reporterName).toBe('李建华');
    // Back to new and verified again: the same report links to the incident it opened.
    await s.t.patch('police1', `/api/field-reports/${fire.id}`, { status: 'new' });
    await s.t.patch('police1', `/api/field-reports/${fire.id}`, { status: 'verified' });
    const again = (await s.t.get('hongta', '/api/incidents?source=field_report')).json();
    expect(again.total).toBe(1);
    expect(again.items[0].reportCount).toBe(2);
  });
});
