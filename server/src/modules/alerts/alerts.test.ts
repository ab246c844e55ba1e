import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatrol } from '../../../test/factories.js';
import { RANGER1_PHONE, type RangerPhoneApp, rangerPhoneApp } from '../../../test/ranger-phone.js';

let s: RangerPhoneApp;

beforeAll(async () => {
  s = await rangerPhoneApp();
});
afterAll(() => s.t.close());

describe('SOS', () => {
  it('an OsmAnd alarm=sos raises one alert in the same commit and reaches the viewers of its scope only', async () => {
    const hongta = await s.t.listen('hongta', ['alerts', 'positions']);
    const other = await s.t.listen('jiangchuan', ['alerts', 'positions']);
    const res = await s.fix(new Date(), s.inGrid, '&alarm=sos');
    expect(res.statusCode).toBe(200);
    // Committed with the fix: visible as soon as the request is answered.
    const alerts = await s.openAlerts('sos');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'sos', state: 'new', rangerId: s.rangerId, rangerName: '李建华' });
    await expect
      .poll(() => hongta.received.find((m) => m.type === 'alert'))
      .toMatchObject({ type: 'alert', kind: 'sos', rangerId: s.rangerId });
    await expect.poll(() => hongta.received.some((m) => m.type === 'position'), { timeout: 3_000 }).toBe(true);
    await other.settle();
    expect(other.received).toEqual([]);
    // A second SOS fix while the first is open raises no second alert.
    await s.fix(new Date(Date.now() + 1000), s.inGrid, '&alarm=sos');
    expect(await s.openAlerts('sos')).toHaveLength(1);
    const { rows } = await s.t.database.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'alert.raise' AND entity_id = $1",
      [alerts[0].id],
    );
    expect(rows[0].n).toBe(1);
    hongta.close();
    other.close();
  });

  it('a duty officer acknowledges and resolves it; each step is audited, a repeated step is a conflict', async () => {
    const [alert] = await s.openAlerts('sos');
    const ack = await s.t.post('duty', `/api/alerts/${alert.id}/acknowledge`, { note: '已联系护林员' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'duty' });
    expect((await s.t.post('duty', `/api/alerts/${alert.id}/acknowledge`, {})).statusCode).toBe(409);
    const resolved = await s.t.post('duty', `/api/alerts/${alert.id}/resolve`, { note: '护林员安全' });
    expect(resolved.json()).toMatchObject({ state: 'resolved', resolvedBy: 'duty', note: '护林员安全' });
    const { rows } = await s.t.database.pool.query('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id', [alert.id]);
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['alert.raise', 'alert.acknowledge', 'alert.resolve']);
  });

  it('another county cannot see or handle the alert; a ranger cannot handle alerts', async () => {
    await s.fix(new Date(Date.now() + 5000), s.inGrid, '&alarm=sos');
    const [alert] = await s.openAlerts('sos');
    expect((await s.t.get('jiangchuan', `/api/alerts/${alert.id}`)).statusCode).toBe(404);
    expect((await s.t.post('ranger1', `/api/alerts/${alert.id}/resolve`, {})).statusCode).toBe(403);
    expect((await s.t.post('duty', `/api/alerts/${alert.id}/resolve`, { note: 'x'.repeat(2000) })).json().error.details[0].path).toBe(
      'body.note',
    );
  });

  it('the ranger page’s SOS button raises the alert too', async () => {
    const before = (await s.t.get('hongta', '/api/alerts?kind=sos')).json().total;
    const res = await s.t.post('ranger1', '/api/me/sos', { lon: s.inGrid[0], lat: s.inGrid[1], accuracy: 15, note: '脚受伤' });
    expect(res.statusCode).toBe(200);
    const all = (await s.t.get('hongta', '/api/alerts?kind=sos')).json();
    // The SOS the previous test left open absorbs it: no second alert for the same call.
    expect(all.total).toBe(before);
    expect(all.items.some((a: { state: string }) => a.state !== 'resolved')).toBe(true);
    // Only the phone that raised the open SOS is drawn as SOS, not every device of its ranger (a tracker here).
    const tracker = await s.t.post('hongta', '/api/devices', {
      uniqueId: 'TRACKER-SOS-1',
      name: '定位器',
      kind: 'tracker',
      rangerId: s.rangerId,
      generateKey: true,
    });
    await s.t.get(null, `/api/ingest/osmand?id=TRACKER-SOS-1&key=${tracker.json().key}&lat=${s.inGrid[1]}&lon=${s.inGrid[0]}`);
    const live = (await s.t.get('hongta', '/api/positions/live'))
      .json()
      .items.filter((d: { rangerId: string }) => d.rangerId === s.rangerId);
    const stateOf = (pick: (uniqueId: string) => boolean) => live.find((d: { uniqueId: string }) => pick(d.uniqueId))?.state;
    expect(stateOf((u) => u === RANGER1_PHONE)).toBe('sos');
    expect(stateOf((u) => u === 'TRACKER-SOS-1')).not.toBe('sos');
  });

  it('keeps the note a ranger sends with an SOS on the alert', async () => {
    const [open] = await s.openAlerts('sos');
    await s.t.post('duty', `/api/alerts/${open.id}/resolve`, { note: '已处置' });
    const res = await s.t.post('ranger1', '/api/me/sos', { lon: s.inGrid[0], lat: s.inGrid[1], accuracy: 15, note: '脚受伤，在沟底' });
    expect(res.statusCode).toBe(200);
    const [raised] = await s.openAlerts('sos');
    expect(raised.details).toMatchObject({ note: '脚受伤，在沟底' });
    // The ranger page reports through the ranger's registered phone: one device, not a second one.
    expect(raised.deviceId).toBe(open.deviceId);
  });
});

describe('the other analyzers', () => {
  it('leaving the assigned area on patrol raises left_area; coming back resolves it', async () => {
    await createPatrol(s.t, { rangerId: s.rangerId });
    await s.fix(new Date(Date.now() + 60_000), s.outsideGrid);
    const [alert] = await s.openAlerts('left_area');
    expect(alert).toMatchObject({ kind: 'left_area', rangerId: s.rangerId });
    await s.fix(new Date(Date.now() + 120_000), s.inGrid);
    expect(await s.openAlerts('left_area')).toEqual([]);
    expect((await s.t.get('hongta', `/api/alerts/${alert.id}`)).json()).toMatchObject({ state: 'resolved', resolvedBy: 'system' });
  });

  it('a low battery raises low_battery once', async () => {
    await s.fix(new Date(Date.now() + 180_000), s.inGrid, '&batt=12');
    await s.fix(new Date(Date.now() + 240_000), s.inGrid, '&batt=11');
    expect(await s.openAlerts('low_battery')).toHaveLength(1);
  });

  it('a silent or immobile ranger on patrol is found by the timed analyzers, with thresholds from the settings', async () => {
    const settings = (await s.t.get('admin', '/api/settings/analyzers')).json();
    const changed = await s.t.request('admin', {
      method: 'PUT',
      url: '/api/settings/analyzers',
      payload: { ...settings, silentMinutes: 10, immobileMinutes: 20 },
    });
    expect(changed.statusCode).toBe(200);
    expect((await s.t.request('hongta', { method: 'PUT', url: '/api/settings/analyzers', payload: settings })).statusCode).toBe(403);
    expect(
      (await s.t.request('admin', { method: 'PUT', url: '/api/settings/analyzers', payload: { ...settings, silentMinutes: -1 } })).json()
        .error.details[0].path,
    ).toBe('body.silentMinutes');
    await s.t.database.pool.query(
      "UPDATE device_states SET server_time = now() - interval '15 minutes', moved_at = now() - interval '25 minutes' WHERE ranger_id = $1",
      [s.rangerId],
    );
    await s.t.database.pool.query("UPDATE patrols SET started_at = now() - interval '1 hour' WHERE ranger_id = $1", [s.rangerId]);
    expect(await s.t.network.analyzeOnce()).toBe(2);
    expect(await s.openAlerts('silent')).toHaveLength(1);
    expect(await s.openAlerts('immobile')).toHaveLength(1);
    expect(await s.t.network.analyzeOnce()).toBe(0);
    const live = (await s.t.get('hongta', '/api/positions/live')).json().items.find((d: { rangerId: string }) => d.rangerId === s.rangerId);
    expect(['sos', 'silent']).toContain(live.state);
  });
});
