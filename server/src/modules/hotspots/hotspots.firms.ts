/**
 * NASA FIRMS active-fire CSV as the archive, the area API and the country files write it (see
 * shared formats: VIIRS 375 m and MODIS columns, `acq_time` HHMM UTC without zero padding, VIIRS
 * confidence l/n/h or low/nominal/high, MODIS 0–100, a country file's leading `country_id`).
 * Reading is liberal in case, padding and optional fields; a row whose position or time cannot be
 * read is reported by line and reason, and the rest of the file still counts.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { isCalendarDay } from '../../platform/dates.js';
import { badRequest } from '../../platform/errors.js';
import { isStorableText } from '../../platform/text.js';
import type { BadRowCode } from './hotspots.schema.js';

export type Confidence = 'low' | 'nominal' | 'high';

/** One FIRMS row as stored. */
export type FirmsHotspot = {
  line: number;
  satellite: string;
  satelliteCode: string;
  instrument: string;
  detectedAt: Date;
  lon: number;
  lat: number;
  confidence: Confidence | null;
  confidenceRaw: string | null;
  frp: number | null;
  brightness: number | null;
  brightness2: number | null;
  scan: number | null;
  track: number | null;
  daynight: 'D' | 'N' | null;
  dataVersion: string | null;
};

/** A row that was not imported: its line in the file (the header is line 1) and why. */
/**
 * A row not imported: its line, why in words (English, for logs and the API), and the same as a
 * code with its values, which the web words in the reader's language.
 */
export type BadRow = { line: number; reason: string; code: BadRowCode; params: Record<string, string> };
type Problem = Omit<BadRow, 'line'>;
const problemOf = (code: BadRowCode, reason: string, params: Record<string, string> = {}): Problem => ({ code, reason, params });

const SATELLITES: Record<string, string> = {
  N: 'S-NPP',
  NPP: 'S-NPP',
  SNPP: 'S-NPP',
  'S-NPP': 'S-NPP',
  'SUOMI NPP': 'S-NPP',
  '1': 'NOAA-20',
  N20: 'NOAA-20',
  J1: 'NOAA-20',
  'NOAA-20': 'NOAA-20',
  NOAA20: 'NOAA-20',
  '2': 'NOAA-21',
  N21: 'NOAA-21',
  J2: 'NOAA-21',
  'NOAA-21': 'NOAA-21',
  NOAA21: 'NOAA-21',
  A: 'Aqua',
  AQUA: 'Aqua',
  T: 'Terra',
  TERRA: 'Terra',
};

/** The satellite's name as SafeForest stores it, from FIRMS's code (N, 1, 2, A, T) or a name. */
export function satelliteName(code: string): string {
  const key = code.trim().toUpperCase();
  return SATELLITES[key] ?? key;
}

const VIIRS_CONFIDENCE: Record<string, Confidence> = { l: 'low', low: 'low', n: 'nominal', nominal: 'nominal', h: 'high', high: 'high' };

/** MODIS confidence 0–100 in FIRMS's three classes: below 30 low, 30–79 nominal, 80 and above high. */
export function modisConfidence(percent: number): Confidence {
  return percent < 30 ? 'low' : percent < 80 ? 'nominal' : 'high';
}

const REQUIRED = ['latitude', 'longitude', 'acq_date', 'acq_time', 'satellite'] as const;

/** A decimal number, or null when the text is empty or not one. */
function decimal(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** acq_date + acq_time (HHMM UTC, `659` = 06:59; `06:59` is read too) as a time, or why not. */
function detectionTime(date: string, time: string): Date | Problem {
  const d = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date.trim());
  if (!d)
    return date.trim() === ''
      ? problemOf('missing', 'acq_date missing', { column: 'acq_date' })
      : problemOf('not_a_date', `acq_date is not a date: ${date.trim().slice(0, 30)}`, {
          column: 'acq_date',
          value: date.trim().slice(0, 30),
        });
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (year < 1900 || year > 2200 || !isCalendarDay(year, month, day))
    return problemOf('no_such_date', `no such date: ${date.trim()}`, { value: date.trim() });
  const t = time.trim();
  const padded = /^\d{1,4}$/.test(t) ? t.padStart(4, '0') : null;
  const m = padded ? [padded, padded.slice(0, 2), padded.slice(2)] : /^(\d{1,2}):(\d{2})$/.exec(t);
  if (!m)
    return t === ''
      ? problemOf('missing', 'acq_time missing', { column: 'acq_time' })
      : problemOf('not_a_time', `acq_time is not HHMM: ${t.slice(0, 30)}`, { value: t.slice(0, 30) });
  const [hour, minute] = [Number(m[1]), Number(m[2])];
  if (hour > 23 || minute > 59) return problemOf('no_such_time', `no such time of day: ${t}`, { value: t });
  return new Date(Date.UTC(year, month - 1, day, hour, minute));
}

/** Detections dated more than this ahead of the clock are refused (a wrong date, not a forecast). */
const FUTURE_SLACK_MS = 24 * 3_600_000;

/**
 * Reads a FIRMS CSV file. An unknown header is a 400 naming the file; a file that is not CSV at all
 * (an unclosed quote) a 400 naming the file and line; every other problem is a bad row.
 */
export function parseFirmsCsv(data: Buffer | string, fileName: string, now = new Date()): { rows: FirmsHotspot[]; bad: BadRow[] } {
  const text = (typeof data === 'string' ? data : data.toString('utf8')).replace(/^\uFEFF/, '');
  // Without `info` and `trim` csv-parse is several times faster; FIRMS writes no multi-line fields,
  // so record n (empty lines kept) is line n + 1.
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, bom: true }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as unknown as { lines?: number }).lines;
      throw badRequest(`${fileName} is not a readable CSV file${line ? ` (line ${line})` : ''}: ${error.message}`, [
        { path: 'body.file', message: `${fileName}: ${error.message}` },
      ]);
    }
    throw error;
  }
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const instrument = header.includes('bright_ti4') ? 'VIIRS' : header.includes('brightness') ? 'MODIS' : null;
  if (missing.length || !instrument) {
    throw badRequest(
      `${fileName} has no FIRMS header (VIIRS or MODIS${header[0] === 'country_id' ? ' country file' : ''}): ${
        missing.length ? `missing ${missing.join(', ')}` : 'neither bright_ti4 nor brightness'
      }`,
      [{ path: 'body.file', message: `${fileName}: unknown header ${header.slice(0, 15).join(',').slice(0, 200)}` }],
    );
  }
  const at = Object.fromEntries(header.map((h, i) => [h, i])) as Record<string, number>;
  const rows: FirmsHotspot[] = [];
  const bad: BadRow[] = [];
  const latest = now.getTime() + FUTURE_SLACK_MS;
  for (let r = 1; r < records.length; r++) {
    const record = records[r];
    const line = r + 1;
    if (record.length <= 1 && (record[0] ?? '').trim() === '') continue;
    const cell = (name: string) => (at[name] === undefined ? '' : (record[at[name]] ?? ''));
    const problem = (p: Problem) => bad.push({ line, ...p });
    if (record.some((v) => !isStorableText(v))) {
      problem(problemOf('unstorable', 'the row holds characters that cannot be stored (U+0000 or broken UTF-16)'));
      continue;
    }
    const coordinate = (column: 'latitude' | 'longitude', limit: number): number | Problem => {
      const text = cell(column);
      const value = decimal(text);
      if (value === null)
        return text.trim()
          ? problemOf('not_a_number', `${column} is not a number: ${text.slice(0, 30)}`, { column, value: text.slice(0, 30) })
          : problemOf('missing', `${column} missing`, { column });
      if (value < -limit || value > limit)
        return problemOf('out_of_range', `${column} ${value} is outside −${limit}…${limit}`, {
          column,
          value: String(value),
          range: `−${limit}…${limit}`,
        });
      return value;
    };
    const lat = coordinate('latitude', 90);
    if (typeof lat !== 'number') {
      problem(lat);
      continue;
    }
    const lon = coordinate('longitude', 180);
    if (typeof lon !== 'number') {
      problem(lon);
      continue;
    }
    const detectedAt = detectionTime(cell('acq_date'), cell('acq_time'));
    if (!(detectedAt instanceof Date)) {
      problem(detectedAt);
      continue;
    }
    if (detectedAt.getTime() > latest) {
      const time = detectedAt.toISOString();
      problem(problemOf('in_future', `detection time ${time} lies in the future`, { value: time }));
      continue;
    }
    const code = cell('satellite').trim();
    if (!code) {
      problem(problemOf('missing', 'satellite missing', { column: 'satellite' }));
      continue;
    }
    const rawConfidence = cell('confidence').trim();
    let confidence: Confidence | null = null;
    if (rawConfidence) {
      const percent = decimal(rawConfidence);
      confidence =
        instrument === 'MODIS' || percent !== null
          ? percent !== null && percent >= 0 && percent <= 100
            ? modisConfidence(percent)
            : null
          : (VIIRS_CONFIDENCE[rawConfidence.toLowerCase()] ?? null);
      if (confidence === null) {
        problem(
          problemOf('bad_confidence', `confidence is neither l/n/h, low/nominal/high nor 0–100: ${rawConfidence.slice(0, 30)}`, {
            value: rawConfidence.slice(0, 30),
          }),
        );
        continue;
      }
    }
    const daynight = cell('daynight').trim().toUpperCase();
    rows.push({
      line,
      satellite: satelliteName(code).slice(0, 40),
      satelliteCode: code.slice(0, 40),
      instrument: (cell('instrument').trim() || instrument).slice(0, 40),
      detectedAt,
      lon,
      lat,
      confidence,
      confidenceRaw: rawConfidence ? rawConfidence.slice(0, 20) : null,
      frp: decimal(cell('frp')),
      brightness: decimal(cell(instrument === 'VIIRS' ? 'bright_ti4' : 'brightness')),
      brightness2: decimal(cell(instrument === 'VIIRS' ? 'bright_ti5' : 'bright_t31')),
      scan: decimal(cell('scan')),
      track: decimal(cell('track')),
      daynight: daynight === 'D' || daynight === 'N' ? daynight : null,
      dataVersion: cell('version').trim().slice(0, 20) || null,
    });
  }
  return { rows, bad };
}
