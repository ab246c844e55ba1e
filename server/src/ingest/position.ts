/**
 * The one position model every device protocol is turned into, and the small readers the
 * protocol parsers share. Pure code: no database, no HTTP, so each wire format can be tested
 * from its real request shapes alone.
 */

import type { AttributeValue } from '../modules/positions/position-fix.js';
import { EARLIEST_FIX_MS, MAX_FIX_AHEAD_MS } from '../modules/positions/positions.schema.js';

export type { AttributeValue, PositionFix } from '../modules/positions/position-fix.js';

/** A fix that cannot be read; `field` is the parameter or JSON path at fault so a 400 can name it. */
export class FixError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FixError';
  }

  /** The same fault inside an element: `lat` becomes `[3].lat`, in the field and at the start of the message. */
  under(prefix: string): FixError {
    const field = `${prefix}.${this.field}`;
    return new FixError(field, this.message.startsWith(this.field) ? field + this.message.slice(this.field.length) : this.message);
  }
}

/** One knot is one nautical mile (1852 m) per hour. */
export const KNOTS_TO_MPS = 1852 / 3600;
/** One km/h is 1000 m per 3600 s. */
export const KMH_TO_MPS = 1 / 3.6;

// Above 1e11 a count is milliseconds: 1e11 seconds is the year 5138, 1e11 ms is 1973.
const EPOCH_MS_THRESHOLD = 1e11;
const EPOCH_TEXT = /^[+-]?\d+(\.\d+)?$/;
// ISO 8601 (T or space between date and time) and `yyyy-MM-dd HH:mm:ss`; a missing zone means UTC.
const DATE_TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Reads a fix time sent as epoch seconds or milliseconds, ISO 8601 or `yyyy-MM-dd HH:mm:ss` (UTC); refuses absurd dates. */
export function parseTimestamp(value: string | number, now: number = Date.now(), field = 'timestamp'): Date {
  let ms: number;
  if (typeof value === 'number' || EPOCH_TEXT.test(value.trim())) {
    const count = typeof value === 'number' ? value : Number(value.trim());
    if (!Number.isFinite(count)) throw new FixError(field, `${field} is not a time: ${show(value)}`);
    ms = Math.round(count > EPOCH_MS_THRESHOLD ? count : count * 1000);
  } else {
    ms = parseDateTime(value.trim(), field);
  }
  if (ms < EARLIEST_FIX_MS) throw new FixError(field, `${field} is before 2000: ${show(value)}`);
  if (ms > now + MAX_FIX_AHEAD_MS) throw new FixError(field, `${field} is more than a day in the future: ${show(value)}`);
  return new Date(ms);
}

function parseDateTime(text: string, field: string): number {
  const m = DATE_TIME_TEXT.exec(text);
  if (!m) throw new FixError(field, `${field} is not a time: ${show(text)}`);
  const [year, month, day, hour, minute, second = 0] = m.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part)));
  const millis = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const local = Date.UTC(year!, month! - 1, day!, hour!, minute!, second, 0);
  // Date.UTC rolls 30 February over to March; a date that does not read back the same is invalid.
  const check = new Date(local);
  const same =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month! - 1 &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second;
  if (!same) throw new FixError(field, `${field} is not a valid date: ${show(text)}`);
  return local + Math.round(millis) - zoneOffsetMs(m[8]);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return (zone[0] === '-' ? -1 : 1) * minutes * 60_000;
}

// Decimal numbers only: no hex, no 'Infinity', no empty string (which Number() reads as 0).
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Reads an optional number sent as a JSON number or text (a lone decimal comma is accepted); absent or empty → null. */
export function readNumber(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
  } else if (typeof value === 'string') {
    let text = value.trim();
    if (text === '') return null;
    // Some Android locales write 24,35; with no dot present the comma can only be a decimal mark.
    if (/^[+-]?\d+,\d+$/.test(text)) text = text.replace(',', '.');
    if (DECIMAL_TEXT.test(text)) return Number(text);
  }
  throw new FixError(field, `${field} must be a number, got ${show(value)}`);
}

/** Reads a number that must be present. */
export function requireNumber(value: unknown, field: string): number {
  const n = readNumber(value, field);
  if (n === null) throw new FixError(field, `${field} is required`);
  return n;
}

/** Reads an optional boolean sent as true/false, 1/0 or yes/no (any case); absent or empty → null. */
export function readBoolean(value: unknown, field: string): boolean | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  throw new FixError(field, `${field} must be true or false, got ${show(value)}`);
}

/** Reads a device identity sent as text or a number; must be present and non-empty. */
export function requireIdentity(value: unknown, field: string): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new FixError(field, `${field} is required`);
  return text;
}

/** Refuses coordinates outside WGS 84 ranges, naming the field at fault. */
export function checkCoordinates(lat: number, lon: number, latField: string, lonField: string): void {
  if (lat < -90 || lat > 90) throw new FixError(latField, `${latField} must be between -90 and 90, got ${lat}`);
  if (lon < -180 || lon > 180) throw new FixError(lonField, `${lonField} must be between -180 and 180, got ${lon}`);
}

/** Devices send a negative speed, heading or accuracy to mean "unknown". */
export function unknownIfNegative(value: number | null): number | null {
  return value === null || value < 0 ? null : value;
}

/** A course is stored in 0..360; negative means unknown, a full turn or more is wrapped. */
export function normalizeCourse(value: number | null): number | null {
  if (value === null || value < 0) return null;
  return value > 360 ? value % 360 : value;
}

/** A battery percent is stored in 0..100; negative means unknown (Android reports -1), above full is full. */
export function batteryPercent(value: number | null): number | null {
  if (value === null || value < 0) return null;
  return Math.min(value, 100);
}

// A number only when it survives the round trip: leading zeros (0123) and long digit strings
// such as 20-digit ICCIDs stay text so nothing is silently changed.
const PLAIN_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** Types a text parameter as boolean, number or string, keeping text when a number would change it. */
export function typedAttribute(text: string): AttributeValue {
  const lower = text.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (PLAIN_NUMBER.test(text) && text.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15) return Number(text);
  return text;
}

/**
 * Copies a JSON value into flat attributes: objects become dotted names (`extras.trip.id`), arrays
 * become JSON text (their items may be anything), null is skipped.
 */
export function flattenInto(attributes: Record<string, AttributeValue>, name: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string' || typeof value === 'boolean') attributes[name] = value;
  else if (typeof value === 'number') {
    if (Number.isFinite(value)) attributes[name] = value;
  } else if (Array.isArray(value)) attributes[name] = JSON.stringify(value);
  else if (isRecord(value)) for (const [key, inner] of Object.entries(value)) flattenInto(attributes, `${name}.${key}`, inner);
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Shortens a bad value for an error message so a garbage payload cannot flood the log. */
export function show(value: unknown): string {
  const text = typeof value === 'string' || (typeof value === 'object' && value !== null) ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
