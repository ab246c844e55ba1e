/**
 * The one reader of dates and times the API takes, in queries, bodies and spreadsheet imports.
 * A date that is not on the calendar (2026-02-30), a time that is not on the clock (24:00), or a
 * year outside 1900–2200 is refused with a message for the 400 that names the field; nothing is
 * rolled over or clamped. Without an offset, a time is China Standard Time (UTC+8), the time of
 * every SafeForest office, and a date alone is 00:00 of that day there.
 */
import { z } from 'zod';

/** Years the API accepts: older or later dates are typing mistakes, and PostgreSQL's range is far wider. */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2200;

const CST_OFFSET_MINUTES = 8 * 60;
const NOT_A_DATE_TIME = 'expected a date-time such as 2026-03-01T08:30:00+08:00';

// Year (room for a sign and extra digits, so an absurd year is named as such), month, day, then an
// optional time (T or a space) with optional seconds, fraction and offset. Dates may use / too,
// as offices write them in spreadsheets.
const DATE_TIME_TEXT =
  /^([+-]?\d{4,6})([-/])(\d{1,2})\2(\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** A date-time read from text, or why it is not one. */
export type DateReading = { ok: true; date: Date } | { ok: false; message: string };

/** Reads a date or date-time (see the module comment). */
export function readDateTime(text: string): DateReading {
  const m = DATE_TIME_TEXT.exec(text.trim());
  if (!m) return { ok: false, message: NOT_A_DATE_TIME };
  const [year, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
  const [hour, minute, second] = [Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0)];
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) {
    return { ok: false, message: `year ${year} is outside ${EARLIEST_YEAR}–${LATEST_YEAR}` };
  }
  if (!isCalendarDay(year, month, day)) return { ok: false, message: `no such date: ${m[1]}-${m[3]}-${m[4]}` };
  if (hour > 23 || minute > 59 || second > 59)
    return { ok: false, message: `no such time of day: ${m[5]}:${m[6]}${m[7] ? `:${m[7]}` : ''}` };
  const offset = m[9] === undefined ? CST_OFFSET_MINUTES : offsetMinutes(m[9]);
  if (offset === null) return { ok: false, message: `not a UTC offset: ${m[9]}` };
  const millis = m[8] ? Math.floor(Number(`0.${m[8]}`) * 1000) : 0;
  return { ok: true, date: new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * 60_000) };
}

/** True when the day exists in the Gregorian calendar. */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; setUTCFullYear keeps years below 100 as written.
  const last = new Date(0);
  last.setUTCFullYear(year, month, 0);
  return day <= last.getUTCDate();
}

function offsetMinutes(zone: string): number | null {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || 0);
  if (hours > 14 || minutes > 59) return null;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Checks a Date that arrived as such (a spreadsheet cell): a real time within the accepted years. */
export function checkDate(date: Date): DateReading {
  if (Number.isNaN(date.getTime())) return { ok: false, message: NOT_A_DATE_TIME };
  const year = date.getUTCFullYear();
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) return { ok: false, message: `year ${year} is outside ${EARLIEST_YEAR}–${LATEST_YEAR}` };
  return { ok: true, date };
}

/**
 * A date-time as every route takes it, in the query or the body: text read by `readDateTime`,
 * a `Date` to the service. Its failures are 400s on the field like every other validation error.
 */
export const DateTime = z
  .string()
  .transform((text, ctx) => {
    const reading = readDateTime(text);
    if (reading.ok) return reading.date;
    ctx.addIssue({ code: 'custom', message: reading.message });
    return z.NEVER;
  })
  .meta({ format: 'date-time', description: 'ISO 8601; without an offset, China Standard Time' });

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day `YYYY-MM-DD` (kept as text), on the calendar and within the accepted years. */
export const CalendarDate = z
  .string()
  .regex(CALENDAR_DATE, { error: 'expected YYYY-MM-DD', abort: true })
  .superRefine((text, ctx) => {
    const reading = readDateTime(text);
    if (!reading.ok) ctx.addIssue({ code: 'custom', message: reading.message });
  })
  .meta({ format: 'date' });

/** A year within the accepted range, for month and week fields (`2026-03`, `2026-W07`). */
export function yearInRange(year: number): boolean {
  return year >= EARLIEST_YEAR && year <= LATEST_YEAR;
}

/** The calendar date of an instant in China Standard Time, `YYYY-MM-DD` (the date an office writes). */
export function cstDate(at: Date = new Date()): string {
  return new Date(at.getTime() + CST_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

/** The month (1–12) and year of an instant in China Standard Time. */
export function cstMonth(at: Date = new Date()): { year: number; month: number } {
  const [year, month] = cstDate(at).split('-').map(Number);
  return { year, month };
}

/** The instant a China Standard Time calendar month begins (`month` may run past 12 or below 1). */
export function cstMonthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month - 1, 1) - CST_OFFSET_MINUTES * 60_000);
}

/** The year of an instant in China Standard Time. */
export function cstYear(at: Date = new Date()): number {
  return Number(cstDate(at).slice(0, 4));
}
