import { ref } from 'vue';
import type { BrowserFix } from '@/api/positions';
import { distanceM, pathLengthM } from '@/utils/geo';

/** Metres walked on the current patrol, measured on the phone: from the patrol's track so far, then fix by fix. */
export function usePatrolDistance() {
  const distance = ref(0);
  let lastPoint: [number, number] | null = null;

  /** Starts from a track (a patrol taken from the server; none: no patrol). */
  function measure(coordinates: number[][]) {
    distance.value = pathLengthM(coordinates);
    const last = coordinates[coordinates.length - 1];
    lastPoint = last ? [last[0], last[1]] : null;
  }

  /** Adds a fix taken since the patrol started, ignoring the wobble of a phone standing still. */
  function add(fix: BrowserFix) {
    const point: [number, number] = [fix.lon, fix.lat];
    if (!lastPoint) {
      lastPoint = point;
      return;
    }
    const step = distanceM(lastPoint, point);
    if (step >= Math.max(5, (fix.accuracy ?? 0) / 2)) {
      distance.value += step;
      lastPoint = point;
    }
  }

  return { distance, measure, add };
}
