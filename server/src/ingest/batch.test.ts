import { describe, expect, it } from 'vitest';
import { MAX_BATCH_ITEMS, parseBatch } from './batch.js';

const NOW = Date.UTC(2025, 5, 16, 0, 0, 0);

function item(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { uniqueId: '860000000000001', fixTime: '2025-06-15T13:45:12Z', lon: 102.54, lat: 24.35, ...overrides };
}

describe('gateway batch', () => {
  it('reads every field of a full item', () => {
    const { fixes, problems } = parseBatch(
      [item({ accuracy: 5, altitude: 1650, speed: 1.2, course: 45, battery: 76, alarm: 'sos', attributes: { sat: 9, ignition: false } })],
      NOW,
    );
    expect(problems).toEqual([]);
    expect(fixes[0]).toMatchObject({
      deviceKey: '860000000000001',
      lon: 102.54,
      lat: 24.35,
      accuracy: 5,
      altitude: 1650,
      speed: 1.2,
      course: 45,
      battery: 76,
      valid: true,
      alarm: 'sos',
      attributes: { sat: 9, ignition: false },
    });
    expect(fixes[0].fixTime.toISOString()).toBe('2025-06-15T13:45:12.000Z');
  });

  it('a bad item at index 3 is reported by index and field while the others are kept', () => {
    const body = [item(), item(), item(), item({ lat: 'north' }), item()];
    const { fixes, problems } = parseBatch(body, NOW);
    expect(fixes).toHaveLength(4);
    expect(problems).toEqual([{ index: 3, field: '[3].lat', message: expect.stringContaining('must be a number') }]);
  });

  it('reports a missing device, time out of range and a non-object item', () => {
    const { fixes, problems } = parseBatch(
      [item({ uniqueId: '' }), item({ fixTime: '1990-01-01T00:00:00Z' }), 'x', item({ lon: 190 })],
      NOW,
    );
    expect(fixes).toEqual([]);
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [0, '[0].uniqueId'],
      [1, '[1].fixTime'],
      [2, '[2]'],
      [3, '[3].lon'],
    ]);
  });

  it('accepts epoch milliseconds and numeric device ids', () => {
    const { fixes } = parseBatch([item({ uniqueId: 42, fixTime: 1749995112000 })], NOW);
    expect(fixes[0].deviceKey).toBe('42');
    expect(fixes[0].fixTime.toISOString()).toBe('2025-06-15T13:45:12.000Z');
  });

  it('a negative speed means unknown', () => {
    expect(parseBatch([item({ speed: -1 })], NOW).fixes[0].speed).toBeNull();
  });

  it('refuses a body that is not an array, or longer than the limit, as one problem', () => {
    expect(parseBatch({ uniqueId: 'x' }, NOW)).toEqual({ fixes: [], problems: [{ index: -1, field: '', message: expect.any(String) }] });
    const tooMany = Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => item());
    const { fixes, problems } = parseBatch(tooMany, NOW);
    expect(fixes).toEqual([]);
    expect(problems).toEqual([{ index: -1, field: '', message: expect.stringContaining('10000') }]);
  });

  it('reads a full batch of 10,000 items', () => {
    const { fixes, problems } = parseBatch(
      Array.from({ length: MAX_BATCH_ITEMS }, () => item()),
      NOW,
    );
    expect(fixes).toHaveLength(MAX_BATCH_ITEMS);
    expect(problems).toEqual([]);
  });
});
