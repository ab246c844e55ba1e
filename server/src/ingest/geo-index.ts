/**
 * Which county, township and grid a point lies in, answered in memory: enrichment of every fix
 * without a database round trip. The index holds the areas of the org tree (a few hundred
 * polygons), is built at start and rebuilt when the tree changes. Point-in-polygon by ray casting
 * on flat coordinate arrays, after a bounding-box test, descending county → township → grid.
 *
 * A device moves a few metres between fixes, so `locateFor` first tries the grid the same device
 * was last found in: one small polygon instead of the descent through county outlines of
 * thousands of vertices (the descent was a quarter of the ingest's main-thread time).
 */

type Ring = Float64Array; // x0, y0, x1, y1, …
type Area = { id: number; code: string | null; path: string; bbox: [number, number, number, number]; polygons: Ring[][]; children: Area[] };

export type Location = {
  countyId: number;
  countyCode: string | null;
  townshipId: number | null;
  gridId: number | null;
  /** Path of the smallest unit found (grid, else township, else county). */
  path: string;
};

export type IndexedArea = {
  id: number;
  kind: string;
  code: string | null;
  path: string;
  parentId: number | null;
  area: { type: 'MultiPolygon'; coordinates: number[][][][] };
};

function toArea(row: IndexedArea): Area {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = row.area.coordinates.map((polygon) =>
    polygon.map((ring) => {
      const flat = new Float64Array(ring.length * 2);
      ring.forEach(([x, y], i) => {
        flat[i * 2] = x;
        flat[i * 2 + 1] = y;
        if (x < w) w = x;
        if (x > e) e = x;
        if (y < s) s = y;
        if (y > n) n = y;
      });
      return flat;
    }),
  );
  return { id: row.id, code: row.code, path: row.path, bbox: [w, s, e, n], polygons, children: [] };
}

function ringContains(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
    const xi = ring[i];
    const yi = ring[i + 1];
    const xj = ring[j];
    const yj = ring[j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function contains(area: Area, x: number, y: number): boolean {
  const [w, s, e, n] = area.bbox;
  if (x < w || x > e || y < s || y > n) return false;
  // A polygon's first ring is its outline, the others are holes.
  return area.polygons.some((rings) => ringContains(rings[0], x, y) && !rings.slice(1).some((hole) => ringContains(hole, x, y)));
}

/** Where a device was last found: its grid's area and the location answered there. */
type Hint = { grid: Area; location: Location };

export class GeoIndex {
  private counties: Area[] = [];
  private hints = new Map<string, Hint>();

  constructor(rows: IndexedArea[] = []) {
    this.rebuild(rows);
  }

  /** Replaces the index with the given areas (counties, townships and grids). */
  rebuild(rows: IndexedArea[]) {
    const byId = new Map<number, Area>();
    const counties: Area[] = [];
    for (const row of rows) {
      const area = toArea(row);
      byId.set(row.id, area);
      if (row.kind === 'county') counties.push(area);
      else if (row.parentId !== null) byId.get(row.parentId)?.children.push(area);
    }
    this.counties = counties;
    this.hints = new Map();
  }

  get size() {
    return this.counties.length;
  }

  /** The units a point lies in, or null outside the territory. */
  locate(lon: number, lat: number): Location | null {
    return this.descend(lon, lat)?.location ?? null;
  }

  /** `locate` for a point reported by `key` (a device): tries the grid it was last found in first. */
  locateFor(key: string, lon: number, lat: number): Location | null {
    const hint = this.hints.get(key);
    if (hint && contains(hint.grid, lon, lat)) return hint.location;
    const found = this.descend(lon, lat);
    if (found?.grid) this.hints.set(key, { grid: found.grid, location: found.location });
    else this.hints.delete(key);
    return found?.location ?? null;
  }

  private descend(lon: number, lat: number): { location: Location; grid: Area | null } | null {
    const county = this.counties.find((c) => contains(c, lon, lat));
    if (!county) return null;
    const township = county.children.find((t) => contains(t, lon, lat)) ?? null;
    const grid = township?.children.find((g) => contains(g, lon, lat)) ?? null;
    const location = {
      countyId: county.id,
      countyCode: county.code,
      townshipId: township?.id ?? null,
      gridId: grid?.id ?? null,
      path: (grid ?? township ?? county).path,
    };
    return { location, grid };
  }
}
