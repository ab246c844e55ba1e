import type { OrgUnit } from '@/api/org';
import type { SiteKind } from '@/api/sites';

/** The sub-areas the dashboard compares: the counties for the city, the townships for a county… */
export function comparedUnits(units: OrgUnit[], ownUnitId: number | undefined): OrgUnit[] {
  const own = units.find((u) => u.id === ownUnitId);
  if (!own) return [];
  const children = units.filter((u) => u.parentId === own.id && u.hasArea);
  const preferred = children.filter((u) => u.kind === 'county' || u.kind === 'township');
  return (preferred.length ? preferred : children).sort((a, b) => (a.code ?? '').localeCompare(b.code ?? ''));
}

/** Short county names for chart axes: 峨山彝族自治县 → 峨山县. */
export function shortName(name: string): string {
  const autonomous = /^(.{2})(?:.+族)+自治县$/.exec(name);
  return autonomous ? `${autonomous[1]}县` : name;
}

export type KindCount = { kind: SiteKind; count: number };
