import { describe, expect, it } from 'vitest';
import {
  batteryPercent,
  FixError,
  flattenInto,
  KMH_TO_MPS,
  KNOTS_TO_MPS,
  normalizeCourse,
  parseTimestamp,
  readBoolean,
  readNumber,
  typedAttribute,
} from './position.js';

const NOW = Date.UTC(2025, 5, 16, 0, 0, 0);
const FIX_AT = '2024-06-15T13:45:12.000Z';

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FixError) return error.field;
    throw error;
  }
  throw new Error('expected a FixError');
}

describe('fix times from devices', () => {
  it('reads epoch seconds as a number and as text', () => {
    expect(parseTimestamp(1718459112, NOW).toISOString()).toBe(FIX_AT);
    expect(parseTimestamp('1718459112', NOW).toISOString()).toBe(FIX_AT);
  });

  it('reads epoch milliseconds, told apart from seconds by size', () => {
    expect(parseTimestamp(1718459112000, NOW).toISOString()).toBe(FIX_AT);
    expect(parseTimestamp('1718459112862', NOW).toISOString()).toBe('2024-06-15T13:45:12.862Z');
  });

  it('reads ISO 8601 in UTC, with an offset, and without a zone as UTC', () => {
    expect(parseTimestamp('2024-06-15T13:45:12Z', NOW).toISOString()).toBe(FIX_AT);
    expect(parseTimestamp('2024-06-15T13:45:12.862Z', NOW).toISOString()).toBe('2024-06-15T13:45:12.862Z');
    expect(parseTimestamp('2024-06-15T21:45:12+08:00', NOW).toISOString()).toBe(FIX_AT);
    expect(parseTimestamp('2024-06-15T21:45:12+0800', NOW).toISOString()).toBe(FIX_AT);
    expect(parseTimestamp('2024-06-15T13:45:12', NOW).toISOString()).toBe(FIX_AT);
  });

  it('reads the yyyy-MM-dd HH:mm:ss form as UTC', () => {
    expect(parseTimestamp('2024-06-15 13:45:12', NOW).toISOString()).toBe(FIX_AT);
  });

  it('refuses text that is not a time, naming the timestamp', () => {
    for (const bad of ['yesterday', '', '15/06/2024 13:45', '2024-06-15', 'NaN']) {
      expect(fieldOf(() => parseTimestamp(bad, NOW))).toBe('timestamp');
    }
  });

  it('refuses a calendar date that does not exist', () => {
    expect(() => parseTimestamp('2025-02-30 10:00:00', NOW)).toThrow(/not a valid date/);
    expect(() => parseTimestamp('2024-06-15T24:10:00Z', NOW)).toThrow(FixError);
  });

  it('refuses a fix from before 2000 or more than a day ahead of the server clock', () => {
    expect(() => parseTimestamp(0, NOW)).toThrow(/before 2000/);
    expect(() => parseTimestamp('1999-12-31T23:59:59Z', NOW)).toThrow(/before 2000/);
    expect(() => parseTimestamp(NOW + 25 * 3600 * 1000, NOW)).toThrow(/future/);
    expect(parseTimestamp(NOW + 23 * 3600 * 1000, NOW).getTime()).toBe(NOW + 23 * 3600 * 1000);
  });

  it('names the field the caller reads the time from', () => {
    expect(fieldOf(() => parseTimestamp('soon', NOW, 'tst'))).toBe('tst');
  });
});

describe('units and readings', () => {
  it('converts knots and km/h to metres per second', () => {
    expect(10 * KNOTS_TO_MPS).toBeCloseTo(5.14444, 5);
    expect(36 * KMH_TO_MPS).toBeCloseTo(10, 10);
  });

  it('reads numbers as sent by devices, including a locale decimal comma', () => {
    expect(readNumber('24.35', 'lat')).toBe(24.35);
    expect(readNumber(' -12 ', 'lat')).toBe(-12);
    expect(readNumber('24,35', 'lat')).toBe(24.35);
    expect(readNumber(undefined, 'lat')).toBeNull();
    expect(readNumber('', 'lat')).toBeNull();
  });

  it('refuses hex, infinity and words where a number belongs', () => {
    for (const bad of ['0x10', 'Infinity', 'north', '1.2.3', true]) expect(fieldOf(() => readNumber(bad, 'speed'))).toBe('speed');
  });

  it('reads booleans in the forms devices use', () => {
    expect(readBoolean('true', 'valid')).toBe(true);
    expect(readBoolean('0', 'valid')).toBe(false);
    expect(readBoolean('FALSE', 'valid')).toBe(false);
    expect(() => readBoolean('maybe', 'valid')).toThrow(FixError);
  });

  it('treats a negative course or battery as unknown and wraps a full turn', () => {
    expect(normalizeCourse(-1)).toBeNull();
    expect(normalizeCourse(360)).toBe(360);
    expect(normalizeCourse(450)).toBe(90);
    expect(batteryPercent(-1)).toBeNull();
    expect(batteryPercent(101)).toBe(100);
  });
});

describe('attributes', () => {
  it('types parameters as numbers and booleans without changing identifiers', () => {
    expect(typedAttribute('42')).toBe(42);
    expect(typedAttribute('-3.5')).toBe(-3.5);
    expect(typedAttribute('true')).toBe(true);
    expect(typedAttribute('0123')).toBe('0123');
    expect(typedAttribute('89860012345678901234')).toBe('89860012345678901234');
    expect(typedAttribute('1e5')).toBe('1e5');
    expect(typedAttribute('gps')).toBe('gps');
  });

  it('flattens nested JSON into dotted names and keeps arrays as JSON text', () => {
    const attributes = {};
    flattenInto(attributes, 'extras', { patrol: { route: 'R7' }, crew: ['A', 'B'], note: null, fuel: 0.5 });
    expect(attributes).toEqual({ 'extras.patrol.route': 'R7', 'extras.crew': '["A","B"]', 'extras.fuel': 0.5 });
  });
});
