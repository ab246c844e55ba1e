import { demoDeviceKey } from '../src/seed/rangers.js';
import { createTestApp } from './harness.js';

/** ranger1's demo phone; ranger1's ranger is assigned grid 53040200101 of 红塔区. */
export const RANGER1_PHONE = 'YX5304020001';

/**
 * A test app with ranger1's phone ready to report over OsmAnd: points inside and outside the
 * ranger's grid, the ranger's id, a fix sender, and the open alerts 红塔区 sees. The setting of the
 * alert tests.
 */
export async function rangerPhoneApp() {
  const t = await createTestApp();
  return {
    t,
    inGrid: await t.pointIn('53040200101'),
    outsideGrid: await t.pointIn('53040200201'),
    rangerId: await t.rangerIdOf('ranger1'),
    fix: (at: Date, [lon, lat]: [number, number], extra = '') =>
      t.get(
        null,
        `/api/ingest/osmand?id=${RANGER1_PHONE}&key=${demoDeviceKey(RANGER1_PHONE)}&lat=${lat}&lon=${lon}&timestamp=${at.toISOString()}${extra}`,
      ),
    openAlerts: async (kind: string) => (await t.get('hongta', `/api/alerts?state=open&kind=${kind}`)).json().items,
  };
}
export type RangerPhoneApp = Awaited<ReturnType<typeof rangerPhoneApp>>;
