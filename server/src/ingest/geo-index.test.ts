import { describe, expect, it } from 'vitest';
import { GeoIndex, type IndexedArea } from './geo-index.js';

/** A square [x0, y0]–[x1, y1] as a MultiPolygon. */
const square = (x0: number, y0: number, x1: number, y1: number): IndexedArea['area'] => ({
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ],
  ],
});

// One county of two townships; the western township has two grids, the eastern none.
const AREAS: IndexedArea[] = [
  { id: 1, kind: 'county', code: '530402', path: '1', parentId: null, area: square(0, 0, 4, 2) },
  { id: 2, kind: 'township', code: '530402001', path: '1.2', parentId: 1, area: square(0, 0, 2, 2) },
  { id: 3, kind: 'township', code: '530402002', path: '1.3', parentId: 1, area: square(2, 0, 4, 2) },
  { id: 4, kind: 'grid', code: '53040200101', path: '1.2.4', parentId: 2, area: square(0, 0, 1, 2) },
  { id: 5, kind: 'grid', code: '53040200102', path: '1.2.5', parentId: 2, area: square(1, 0, 2, 2) },
];

describe('GeoIndex', () => {
  it('locates a point county → township → grid, and nothing outside the territory', () => {
    const index = new GeoIndex(AREAS);
    expect(index.locate(0.5, 1)).toEqual({ countyId: 1, countyCode: '530402', townshipId: 2, gridId: 4, path: '1.2.4' });
    expect(index.locate(3, 1)).toEqual({ countyId: 1, countyCode: '530402', townshipId: 3, gridId: null, path: '1.3' });
    expect(index.locate(5, 1)).toBeNull();
  });

  it('answers the same with a device’s last grid as a hint, as the device walks across grids and out', () => {
    const index = new GeoIndex(AREAS);
    const walk = [0.2, 0.6, 0.99, 1.01, 1.5, 1.99, 2.5, 3.9, 4.5, 1.5, 0.5].map((x) => [x, 1] as const);
    for (const [x, y] of walk) expect(index.locateFor('phone', x, y), `at ${x}`).toEqual(index.locate(x, y));
  });

  it('forgets the hints when the areas change', () => {
    const index = new GeoIndex(AREAS);
    expect(index.locateFor('phone', 0.5, 1)?.gridId).toBe(4);
    // Grid 4 is redrawn to cover only the southern half: the old hint must not answer for the north.
    index.rebuild(AREAS.map((a) => (a.id === 4 ? { ...a, area: square(0, 0, 1, 1) } : a)));
    expect(index.locateFor('phone', 0.5, 1.5)).toEqual({ countyId: 1, countyCode: '530402', townshipId: 2, gridId: null, path: '1.2' });
  });
});
