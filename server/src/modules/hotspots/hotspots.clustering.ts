/**
 * Clustering of satellite hotspots: hotspots within 1 km and 6 h of each other are one fire. A new
 * hotspot joins the cluster of the nearest clustered hotspot within 1 km and 6 h (single linkage,
 * so a fire that spreads or burns for a day stays one cluster), else it starts a cluster. Done in
 * memory over a grid of about 1 km cells, so a file of many hotspots costs a few lookups each.
 */
import { randomUUID } from 'node:crypto';

export const CLUSTER_DISTANCE_M = 1_000;
export const CLUSTER_WINDOW_MS = 6 * 3_600_000;
const CELL_DEG = 0.01;
const EARTH_RADIUS_M = 6_371_008.8;

export type Clusterable = { id: string; lon: number; lat: number; detectedAt: Date };
export type Clustered = Clusterable & { clusterId: string };

/** Great-circle distance in metres (haversine). */
export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export type ClusterOutcome = {
  /** Each new hotspot's cluster. */
  clusterOf: Map<string, string>;
  /** Clusters begun by this batch: their first hotspot (the cluster's place) and span. */
  created: Map<string, { first: Clusterable; last: Date; count: number }>;
  /** Clusters that existed before and gained hotspots: the span of the new ones and how many. */
  joined: Map<string, { first: Date; last: Date; added: number }>;
};

/** Clusters `fresh` hotspots among `existing` clustered ones (see the module comment). */
export function clusterHotspots(fresh: Clusterable[], existing: Clustered[], newId: () => string = randomUUID): ClusterOutcome {
  const cells = new Map<string, Clustered[]>();
  const cellOf = (lon: number, lat: number) => [Math.floor(lon / CELL_DEG), Math.floor(lat / CELL_DEG)] as const;
  const add = (h: Clustered) => {
    const [x, y] = cellOf(h.lon, h.lat);
    const key = `${x}:${y}`;
    const list = cells.get(key);
    if (list) list.push(h);
    else cells.set(key, [h]);
  };
  for (const h of existing) add(h);
  const outcome: ClusterOutcome = { clusterOf: new Map(), created: new Map(), joined: new Map() };
  const existingClusters = new Set(existing.map((h) => h.clusterId));
  const ordered = [...fresh].sort((a, b) => a.detectedAt.getTime() - b.detectedAt.getTime());
  for (const h of ordered) {
    const [x, y] = cellOf(h.lon, h.lat);
    // Cells of longitude narrow away from the equator: look as many cells east and west as 1 km spans.
    const spanX = Math.ceil(1 / Math.max(0.05, Math.cos((h.lat * Math.PI) / 180)));
    let best: { clusterId: string; d: number } | null = null;
    for (let dx = -spanX; dx <= spanX; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const m of cells.get(`${x + dx}:${y + dy}`) ?? []) {
          if (Math.abs(m.detectedAt.getTime() - h.detectedAt.getTime()) > CLUSTER_WINDOW_MS) continue;
          const d = distanceM(h, m);
          if (d <= CLUSTER_DISTANCE_M && (!best || d < best.d)) best = { clusterId: m.clusterId, d };
        }
      }
    }
    const clusterId = best?.clusterId ?? newId();
    outcome.clusterOf.set(h.id, clusterId);
    add({ ...h, clusterId });
    if (!best) outcome.created.set(clusterId, { first: h, last: h.detectedAt, count: 1 });
    else if (outcome.created.has(clusterId)) {
      const c = outcome.created.get(clusterId) as { first: Clusterable; last: Date; count: number };
      c.count++;
      if (h.detectedAt > c.last) c.last = h.detectedAt;
    } else if (existingClusters.has(clusterId)) {
      const j = outcome.joined.get(clusterId);
      if (!j) outcome.joined.set(clusterId, { first: h.detectedAt, last: h.detectedAt, added: 1 });
      else {
        j.added++;
        if (h.detectedAt < j.first) j.first = h.detectedAt;
        if (h.detectedAt > j.last) j.last = h.detectedAt;
      }
    }
  }
  return outcome;
}
