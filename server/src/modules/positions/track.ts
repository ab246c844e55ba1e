/**
 * The one rule for what a ranger's track is made of, used wherever tracks and figures are built
 * (a patrol's stored track and km, an active patrol's track so far, the day track of the replay,
 * the monthly km and area coverage):
 *
 * 1. **Fixes good enough to draw**: valid, and with an accuracy (when the device tells it) no
 *    worse than `maxAccuracyM`.
 * 2. **One source at a time**: a ranger may carry several devices (a phone and a tracker). Their
 *    fixes never interleave: a fix is taken only when no device ranking above its own reported
 *    within `sourceGapS` before or after it. Phones rank above trackers (the ranger page reports
 *    through the phone), then devices in id order. So while the phone reports, the track is the
 *    phone's; when it has been silent for the gap, the tracker fills in.
 * 3. **No impossible spikes**: a fix that could only be reached from both its neighbours faster
 *    than `maxSpeedMps` is a glitch and dropped.
 * 4. **Distance counts only plausible steps of one device**: a step faster than `maxSpeedMps` (a
 *    device switched off for a drive), or from one device's fix to another's (where the ranger
 *    went in between is unknown), is drawn but not counted (`step_m` 0).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { AnalyzerSettings } from '../alerts/alerts.schema.js';

export type TrackRules = { maxSpeedMps: number; maxAccuracyM: number; sourceGapS: number };

/** The track rules held in the analyzer settings. */
export const trackRulesOf = (s: AnalyzerSettings): TrackRules => ({
  maxSpeedMps: s.trackMaxSpeedMps,
  maxAccuracyM: s.trackMaxAccuracyM,
  sourceGapS: s.trackSourceGapSeconds,
});

// Metres between two points close together: the WGS 84 metres per degree of latitude and of
// longitude at their mean latitude (within a few centimetres per kilometre of the geodesic, and
// far cheaper than a geography per fix).
const metres = (lon1: string, lat1: string, lon2: string, lat2: string) => {
  const phi = `radians((${lat1} + ${lat2}) / 2)`;
  const perDegLat = `(111132.954 - 559.822 * cos(2 * ${phi}) + 1.175 * cos(4 * ${phi}))`;
  const perDegLon = `(111412.84 * cos(${phi}) - 93.5 * cos(3 * ${phi}) + 0.118 * cos(5 * ${phi}))`;
  return sql.raw(`sqrt(power((${lon2} - ${lon1}) * ${perDegLon}, 2) + power((${lat2} - ${lat1}) * ${perDegLat}, 2))`);
};
const seconds = (later: string, earlier: string) => sql.raw(`GREATEST(extract(epoch FROM ${later} - ${earlier}), 1)`);

/**
 * The fixes of a track, as a subquery over `positions x` narrowed by `where` (a condition on
 * `x`, such as one ranger and a time range; it may refer to a lateral row). Columns: ranger_id,
 * device_id, fix_time, lon, lat, speed, and step_m — the metres from the previous fix of the track
 * that count towards its distance. Order by fix_time to draw it.
 */
export function trackFixes(where: SQL, rules: TrackRules): SQL {
  const gap = sql`make_interval(secs => ${rules.sourceGapS})`;
  return sql`
    SELECT ranger_id, device_id, fix_time, lon, lat, speed,
      CASE WHEN prev_lon IS NULL OR prev_device <> device_id
          OR ${metres('prev_lon', 'prev_lat', 'lon', 'lat')} > ${rules.maxSpeedMps}::float8 * ${seconds('fix_time', 'prev_time')}
        THEN 0::float8 ELSE ${metres('prev_lon', 'prev_lat', 'lon', 'lat')} END AS step_m
    FROM (
      SELECT *, lag(lon) OVER w AS prev_lon, lag(lat) OVER w AS prev_lat, lag(fix_time) OVER w AS prev_time,
        lag(device_id) OVER w AS prev_device
      FROM (
        SELECT ranger_id, device_id, fix_time, lon, lat, speed
        FROM (
          SELECT *, lag(lon) OVER w AS p_lon, lag(lat) OVER w AS p_lat, lag(fix_time) OVER w AS p_time,
            lead(lon) OVER w AS n_lon, lead(lat) OVER w AS n_lat, lead(fix_time) OVER w AS n_time
          FROM (
            SELECT ranger_id, device_id, fix_time, lon, lat, speed, source_rank,
              min(source_rank) OVER (PARTITION BY ranger_id ORDER BY fix_time RANGE BETWEEN ${gap} PRECEDING AND ${gap} FOLLOWING) AS best_rank
            FROM (
              SELECT x.ranger_id, x.device_id, x.fix_time, x.lon, x.lat, x.speed,
                ((CASE WHEN d.kind = 'phone' THEN '0' ELSE '1' END) || x.device_id::text) COLLATE "C" AS source_rank
              FROM positions x JOIN devices d ON d.id = x.device_id
              WHERE (${where}) AND x.valid AND (x.accuracy IS NULL OR x.accuracy <= ${rules.maxAccuracyM}::float8)
            ) candidates
          ) ranked
          WHERE source_rank = best_rank
          WINDOW w AS (PARTITION BY ranger_id ORDER BY fix_time)
        ) one_source
        WHERE NOT (p_lon IS NOT NULL AND n_lon IS NOT NULL
          AND ${metres('p_lon', 'p_lat', 'lon', 'lat')} > ${rules.maxSpeedMps}::float8 * ${seconds('fix_time', 'p_time')}
          AND ${metres('lon', 'lat', 'n_lon', 'n_lat')} > ${rules.maxSpeedMps}::float8 * ${seconds('n_time', 'fix_time')})
      ) plausible
      WINDOW w AS (PARTITION BY ranger_id ORDER BY fix_time)
    ) stepped`;
}
