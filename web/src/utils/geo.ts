/** Distances on the ground for what the client measures itself (the ranger page's distance walked). */

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres between two `[lon, lat]` points (haversine; ample for walking). */
export function distanceM(a: readonly [number, number] | number[], b: readonly [number, number] | number[]): number {
  const dLat = rad(b[1] - a[1]);
  const dLon = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Length in metres of a line of `[lon, lat]` points. */
export function pathLengthM(points: readonly (readonly number[])[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += distanceM(points[i - 1] as number[], points[i] as number[]);
  return total;
}
