import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatrol } from '../../../test/factories.js';
import { type RangerPhoneApp, rangerPhoneApp } from '../../../test/ranger-phone.js';

/**
 * What the alert list tells a reader about who handled an alert and why: people by their display
 * name, and notes SafeForest writes itself as codes the client translates (no English in the
 * Chinese UI), while notes typed by officers stay as typed.
 */
let s: RangerPhoneApp;

beforeAll(async () => {
  s = await rangerPhoneApp();
  await createPatrol(s.t, { rangerId: s.rangerId });
});
afterAll(() => s.t.close());

describe('who handled an alert', () => {
  it('names the officers who acknowledged and resolved it by their display name, beside their login', async () => {
    await s.fix(new Date(), s.inGrid, '&alarm=sos');
    const [alert] = await s.openAlerts('sos');
    const ack = await s.t.post('duty', `/api/alerts/${alert.id}/acknowledge`, {});
    expect(ack.json()).toMatchObject({ acknowledgedBy: 'duty', acknowledgedByName: '市森林公安局指挥中心值班员', resolvedByName: null });
    await s.t.post('duty', `/api/alerts/${alert.id}/resolve`, { note: '已电话联系' });
    const listed = (await s.t.get('hongta', '/api/alerts?kind=sos')).json().items.find((a: { id: string }) => a.id === alert.id);
    expect(listed).toMatchObject({
      acknowledgedByName: '市森林公安局指挥中心值班员',
      resolvedBy: 'duty',
      resolvedByName: '市森林公安局指挥中心值班员',
      note: '已电话联系',
      noteCode: null,
    });
  });
});

describe('notes SafeForest writes itself', () => {
  it('coming back inside the assigned area resolves left_area with a code, not an English sentence', async () => {
    await s.fix(new Date(Date.now() + 60_000), s.outsideGrid);
    const [alert] = await s.openAlerts('left_area');
    await s.fix(new Date(Date.now() + 120_000), s.inGrid);
    const resolved = (await s.t.get('hongta', `/api/alerts/${alert.id}`)).json();
    expect(resolved).toMatchObject({ state: 'resolved', resolvedBy: 'system', resolvedByName: null, noteCode: 'back_in_area', note: null });
  });

  it('a recharged battery resolves low_battery with a code', async () => {
    await s.fix(new Date(Date.now() + 180_000), s.inGrid, '&batt=12');
    const [alert] = await s.openAlerts('low_battery');
    await s.fix(new Date(Date.now() + 240_000), s.inGrid, '&batt=95');
    const resolved = (await s.t.get('hongta', `/api/alerts/${alert.id}`)).json();
    expect(resolved).toMatchObject({ state: 'resolved', resolvedBy: 'system', noteCode: 'battery_recharged', note: null });
  });

  it('rows written before the codes keep their meaning: their English system note reads as the code', async () => {
    await s.fix(new Date(Date.now() + 300_000), s.outsideGrid);
    const [alert] = await s.openAlerts('left_area');
    // As an older SafeForest stored it.
    await s.t.database.pool.query(
      "UPDATE alerts SET state = 'resolved', resolved_at = now(), resolved_by = 'system', note = 'back inside the assigned area' WHERE id = $1",
      [alert.id],
    );
    const old = (await s.t.get('hongta', `/api/alerts/${alert.id}`)).json();
    expect(old).toMatchObject({ noteCode: 'back_in_area', note: null });
  });
});
