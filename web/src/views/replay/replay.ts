/**
 * The replay's arithmetic: a day track flattened into its fixes (with the line each belongs to),
 * and where the ranger was at any moment of the day, interpolated between two fixes of one line.
 * Across a pause that split the track the marker waits at the last fix.
 */
import type { DayTrack } from '@/api/patrols';
import { distanceM } from '@/utils/geo';

export type ReplayTrack = {
  coords: [number, number][];
  /** fix times in ms, ascending */
  times: number[];
  /** m/s as the device said, else null */
  speeds: (number | null)[];
  /** the line (between long pauses) each fix belongs to */
  lines: number[];
};

export type ReplayCursor = { at: [number, number]; index: number; time: number; speed: number | null };

export function flattenTrack(track: DayTrack): ReplayTrack {
  const g = track.geometry;
  const lines: number[][][] =
    g?.type === 'LineString'
      ? [g.coordinates]
      : g?.type === 'MultiLineString'
        ? g.coordinates
        : g?.type === 'Point'
          ? [[g.coordinates]]
          : [];
  const out: ReplayTrack = { coords: [], times: [], speeds: [], lines: [] };
  let i = 0;
  lines.forEach((line, lineIndex) => {
    for (const point of line) {
      out.coords.push([point[0], point[1]]);
      out.times.push(Date.parse(track.properties.times[i]));
      out.speeds.push(track.properties.speeds[i] ?? null);
      out.lines.push(lineIndex);
      i++;
    }
  });
  return out;
}

/** The last fix at or before `time` (0 before the first). */
export function indexAt(track: ReplayTrack, time: number): number {
  let lo = 0;
  let hi = track.times.length - 1;
  if (hi < 0 || time <= track.times[0]) return 0;
  if (time >= track.times[hi]) return hi;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (track.times[mid] <= time) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Where the ranger was at `time`, and how fast they went (the device's speed, else from the two fixes). */
export function cursorAt(track: ReplayTrack, time: number): ReplayCursor | null {
  const n = track.coords.length;
  if (n === 0) return null;
  const i = indexAt(track, time);
  const next = i + 1 < n && track.lines[i + 1] === track.lines[i] ? i + 1 : -1;
  let at = track.coords[i];
  let speed = track.speeds[i];
  if (next >= 0) {
    const span = track.times[next] - track.times[i];
    const f = span > 0 ? Math.min(1, Math.max(0, (time - track.times[i]) / span)) : 0;
    const [a, b] = [track.coords[i], track.coords[next]];
    at = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
    if (speed === null && span > 0) speed = distanceM(a, b) / (span / 1000);
  }
  return { at, index: i, time: Math.max(time, track.times[0]), speed };
}
