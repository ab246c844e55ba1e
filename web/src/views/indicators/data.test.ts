import { describe, expect, it } from 'vitest';
import { queryId, queryList, queryRange } from '@/utils/route-query';
import { byModule, formatIndicator, unitSuffix } from './data';

const t = (key: string) => key;

describe('how an indicator reads', () => {
  it('shows ratios as percentages (small ones with two decimals), counts whole, and a dash for no value', () => {
    expect(formatIndicator({ value: 0.75, unit: 'ratio' }, t)).toBe('75.0%');
    expect(formatIndicator({ value: 0.0027, unit: 'ratio' }, t)).toBe('0.27%');
    expect(formatIndicator({ value: 4, unit: 'count' }, t)).toBe('4');
    expect(formatIndicator({ value: 12.345, unit: 'km' }, t)).toBe('12.35');
    expect(formatIndicator({ value: null, unit: 'minutes' }, t)).toBe('—');
    expect(unitSuffix('minutes', t)).toBe('indicators.unit.minutes');
    expect(unitSuffix('count', t)).toBe('');
  });

  it('puts the patrol network first and the site register last, keeping each module’s order', () => {
    const items = [
      { module: 'sites', k: 1 },
      { module: 'performance', k: 2 },
      { module: 'incidents', k: 3 },
      { module: 'performance', k: 4 },
    ];
    expect(byModule(items).map((i) => i.k)).toEqual([2, 4, 3, 1]);
  });
});

describe('filters read from a list page’s address', () => {
  it('reads ids, comma-separated or repeated lists and a from–to range, ignoring what it cannot read', () => {
    expect(queryId({ orgUnitId: '12' }, 'orgUnitId')).toBe(12);
    expect(queryId({ orgUnitId: 'x' }, 'orgUnitId')).toBeUndefined();
    expect(queryList({ status: 'new,closed' }, 'status')).toEqual(['new', 'closed']);
    expect(queryList({ status: ['new', 'closed'] }, 'status')).toEqual(['new', 'closed']);
    expect(queryRange({ from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })?.map((d) => d.getUTCFullYear())).toEqual([2025, 2026]);
    expect(queryRange({ from: 'soon' })).toBeNull();
  });
});
