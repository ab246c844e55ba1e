/**
 * GCJ-02, the datum that Chinese web maps (AMap, Tencent) publish coordinates in, is WGS 84 plus
 * a deliberate, smooth offset of a few hundred metres. The forward formula is public; there is no
 * closed-form inverse, so WGS 84 is recovered by fixed-point iteration, which converges in a few
 * steps because the offset changes slowly with position.
 */

/** Krasovsky 1940 ellipsoid, which the published formula uses. */
const SEMI_MAJOR_AXIS = 6378245.0;
const ECCENTRICITY_SQUARED = 0.006693421622965943;

/** The offset is applied only inside this rough box around China; elsewhere GCJ-02 equals WGS 84. */
function outsideChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

/** Periodic terms shared by both offsets: `a` is (lon − 105)·π, `b` is the own axis times π. */
function waves(a: number, b: number): number {
  return ((20 * Math.sin(6 * a) + 20 * Math.sin(2 * a)) * 2) / 3 + ((20 * Math.sin(b) + 40 * Math.sin(b / 3)) * 2) / 3;
}

/** Latitude offset in metres-like units for x = lon − 105, y = lat − 35. */
function latitudeShift(x: number, y: number): number {
  const base = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  const slow = ((160 * Math.sin((y * Math.PI) / 12) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return base + waves(x * Math.PI, y * Math.PI) + slow;
}

/** Longitude offset in metres-like units for x = lon − 105, y = lat − 35. */
function longitudeShift(x: number, y: number): number {
  const base = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  const slow = ((150 * Math.sin((x * Math.PI) / 12) + 300 * Math.sin((x * Math.PI) / 30)) * 2) / 3;
  return base + waves(x * Math.PI, x * Math.PI) + slow;
}

/** The published forward transform: a WGS 84 position as GCJ-02. */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (outsideChina(lon, lat)) return [lon, lat];
  const radLat = (lat * Math.PI) / 180;
  const magic = 1 - ECCENTRICITY_SQUARED * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  const dLat =
    (latitudeShift(lon - 105, lat - 35) * 180) / (((SEMI_MAJOR_AXIS * (1 - ECCENTRICITY_SQUARED)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (longitudeShift(lon - 105, lat - 35) * 180) / ((SEMI_MAJOR_AXIS / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** A GCJ-02 position (AMap, echarts China maps) as WGS 84, to about 1e-7 degrees; unchanged outside China. */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  if (outsideChina(lon, lat)) return [lon, lat];
  let wLon = lon;
  let wLat = lat;
  for (let i = 0; i < 30; i++) {
    const [gLon, gLat] = wgs84ToGcj02(wLon, wLat);
    const eLon = gLon - lon;
    const eLat = gLat - lat;
    wLon -= eLon;
    wLat -= eLat;
    if (Math.abs(eLon) < 1e-8 && Math.abs(eLat) < 1e-8) break;
  }
  return [wLon, wLat];
}
