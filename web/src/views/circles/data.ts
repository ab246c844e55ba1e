/** What the circles page declares: colours, how lengths read, the members as map points, the default deployment window. */
import type { Circle, CircleMember } from '@/api/circles';
import type { FeatureCollection } from '@/api/org';

export const GAP_COLOUR = '#dc2626';
export const RING_COLOUR = '#1f5f3a';

/** A length in metres as kilometres with one decimal. */
export const km = (metres: number) => (metres / 1000).toFixed(1);

/** The tag type of a coverage percentage: green from 80 %, amber from 50 %, red below. */
export const coverageTag = (percent: number) => (percent >= 80 ? 'success' : percent >= 50 ? 'warning' : 'danger');

/** The members as the site layer's points (active ones in colour, the others grey). */
export function memberFeatures(members: CircleMember[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: members.map((m) => ({
      type: 'Feature',
      id: m.siteId,
      geometry: m.location,
      properties: {
        id: m.siteId,
        name: m.name,
        kind: m.kind,
        active: m.active,
        orgUnitName: m.orgUnitName,
        status: 'in_service',
        grade: null,
      },
    })),
  };
}

/** The ring the page opens on: the one asked for in the address, else the one the viewer keeps (the city office: the city ring), else the city ring. */
export function initialCircle(circles: Circle[], asked: unknown): Circle | undefined {
  const wanted = Number(asked);
  const city = circles.find((c) => c.level === 'city');
  // The city office keeps every ring and opens on the city's; a county office on its own.
  return circles.find((c) => c.id === wanted) ?? (city?.canManage ? city : circles.find((c) => c.canManage)) ?? city;
}

/** Where a mobile checkpoint would close a gap: the server's point inside the unit near its middle, else its middle vertex. */
export function deployPointOf(gap: { geometry: unknown; properties: Record<string, unknown> }): [number, number] {
  const at = gap.properties.deployAt as [number, number] | null | undefined;
  const c = (gap.geometry as { coordinates: [number, number][] }).coordinates;
  const p = at ?? c[Math.floor(c.length / 2)];
  return [Number(p[0].toFixed(6)), Number(p[1].toFixed(6))];
}

/** A deployment from now for eight hours, the length of a shift. */
export function defaultWindow(now = new Date()): [Date, Date] {
  const from = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  return [from, new Date(from.getTime() + 8 * 3_600_000)];
}
