import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CalendarDate, cstDate, cstMonth, cstMonthStart, cstYear, DateTime, readDateTime } from './dates.js';

const read = (text: string) => {
  const reading = readDateTime(text);
  return reading.ok ? reading.date.toISOString() : reading.message;
};

describe('the API date reader', () => {
  it('reads ISO 8601 with an offset, Z, fractions, and a space instead of T', () => {
    expect(read('2026-11-28T08:00:00+08:00')).toBe('2026-11-28T00:00:00.000Z');
    expect(read('2026-11-28T08:00:00.123Z')).toBe('2026-11-28T08:00:00.123Z');
    expect(read('2026-11-28 08:00:00-0130')).toBe('2026-11-28T09:30:00.000Z');
    expect(read('2026-11-28T08:00Z')).toBe('2026-11-28T08:00:00.000Z');
  });

  it('takes a time without offset, and a date alone, as China Standard Time', () => {
    expect(read('2026-11-28T08:00:00')).toBe('2026-11-28T00:00:00.000Z');
    expect(read('2026-11-28')).toBe('2026-11-27T16:00:00.000Z');
    expect(read('2026/3/1')).toBe('2026-02-28T16:00:00.000Z');
  });

  it('refuses dates not on the calendar and times not on the clock instead of rolling them over', () => {
    expect(read('2026-02-30')).toBe('no such date: 2026-02-30');
    expect(read('2026-02-29T00:00:00Z')).toMatch(/no such date/);
    expect(read('2028-02-29T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(read('2026-13-01')).toMatch(/no such date/);
    expect(read('2026-04-31')).toMatch(/no such date/);
    expect(read('2026-04-30T24:00:00Z')).toMatch(/no such time/);
    expect(read('2026-04-30T12:00:00+25:00')).toMatch(/not a UTC offset/);
  });

  it('refuses years outside 1900–2200, naming the year', () => {
    expect(read('99999-01-01')).toBe('year 99999 is outside 1900–2200');
    expect(read('9999-01-01T00:00:00Z')).toMatch(/year 9999/);
    expect(read('1899-12-31')).toMatch(/year 1899/);
    expect(read('0000-01-01')).toMatch(/year 0/);
    expect(read('2200-12-31T23:59:59Z')).toBe('2200-12-31T23:59:59.000Z');
  });

  it('refuses what is not a date-time at all', () => {
    for (const text of ['yesterday', '', '1700000000', '2026-03', 'Sat Nov 28 2026', '2026-11-28T08:00:00+08:00x']) {
      expect(read(text)).toBe('expected a date-time such as 2026-03-01T08:30:00+08:00');
    }
  });

  it('is the zod schema of every date field: a Date out, an issue with the message in', () => {
    const Query = z.object({ from: DateTime.optional(), day: CalendarDate.optional() });
    expect(Query.parse({ from: '2026-11-28T00:00:00Z' }).from).toEqual(new Date('2026-11-28T00:00:00Z'));
    const bad = Query.safeParse({ from: '2026-02-30', day: '2026-02-30' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['from', 'no such date: 2026-02-30'],
      ['day', 'no such date: 2026-02-30'],
    ]);
    expect(Query.safeParse({ day: '20260228' }).error?.issues[0].message).toBe('expected YYYY-MM-DD');
  });
});

describe('the calendar in China Standard Time', () => {
  it('turns the day and the year at 16:00 UTC', () => {
    expect(cstDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(cstDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(cstYear(new Date('2026-12-31T15:59:59Z'))).toBe(2026);
    expect(cstYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
    expect(cstMonth(new Date('2026-03-31T15:59:59Z'))).toEqual({ year: 2026, month: 3 });
    expect(cstMonth(new Date('2026-03-31T16:00:00Z'))).toEqual({ year: 2026, month: 4 });
    expect(cstMonthStart(2026, 4).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(cstMonthStart(2026, 13).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(cstMonthStart(2026, 0).toISOString()).toBe('2025-11-30T16:00:00.000Z');
  });
});
