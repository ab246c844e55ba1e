import { describe, expect, it } from 'vitest';
import { parseOwnTracks } from './owntracks.js';
import { FixError } from './position.js';

const NOW = Date.UTC(2025, 5, 16, 0, 0, 0);

const location = {
  _type: 'location',
  tid: 'r7',
  tst: 1718459112,
  lat: 24.35,
  lon: 102.54,
  acc: 12,
  alt: 1650,
  vac: 4,
  vel: 36,
  cog: 90,
  batt: 87,
  bs: 1,
  t: 'u',
  conn: 'm',
  inregions: ['Base camp', 'Zone 3'],
  created_at: 1718459113,
  topic: 'owntracks/li/phone',
};

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FixError) return error.field;
    throw error;
  }
  throw new Error('expected a FixError');
}

describe('OwnTracks location', () => {
  it('reads a location, with vel 36 km/h stored as 10 m/s', () => {
    const fix = parseOwnTracks(location, null, NOW);
    expect(fix).toMatchObject({ deviceKey: 'r7', lat: 24.35, lon: 102.54, accuracy: 12, altitude: 1650, course: 90, battery: 87 });
    expect(fix?.speed).toBeCloseTo(10, 10);
    expect(fix?.fixTime.toISOString()).toBe('2024-06-15T13:45:12.000Z');
    expect(fix?.attributes).toEqual({
      tid: 'r7',
      trigger: 'u',
      verticalAccuracy: 4,
      batteryStatus: 'unplugged',
      charging: false,
      connection: 'm',
      inregions: '["Base camp","Zone 3"]',
      createdAt: 1718459113,
      topic: 'owntracks/li/phone',
    });
  });

  it('a phone on the charger (bs=2) is marked charging', () => {
    const fix = parseOwnTracks({ ...location, bs: 2 }, null, NOW);
    expect(fix?.attributes).toMatchObject({ batteryStatus: 'charging', charging: true });
  });

  it('an unknown battery status sets no charging flag', () => {
    const fix = parseOwnTracks({ ...location, bs: 0 }, null, NOW);
    expect(fix?.attributes.batteryStatus).toBe('unknown');
    expect(fix?.attributes.charging).toBeUndefined();
  });

  it('fields the app left out are unknown, not zero', () => {
    const fix = parseOwnTracks({ _type: 'location', tid: 'r7', tst: 1718459112, lat: 24.35, lon: 102.54 }, null, NOW);
    expect(fix).toMatchObject({ accuracy: null, altitude: null, speed: null, course: null, battery: null });
  });

  it('the device named by the X-Limit-D header or the topic wins over tid', () => {
    expect(parseOwnTracks(location, 'phone', NOW)?.deviceKey).toBe('phone');
  });

  it('refuses a location without tid when nothing else names the device', () => {
    const { tid: _tid, ...withoutTid } = location;
    expect(fieldOf(() => parseOwnTracks(withoutTid, null, NOW))).toBe('tid');
  });

  it('refuses a location without coordinates or time, naming the field', () => {
    const { lat: _lat, ...withoutLat } = location;
    expect(fieldOf(() => parseOwnTracks(withoutLat, null, NOW))).toBe('lat');
    const { tst: _tst, ...withoutTst } = location;
    expect(fieldOf(() => parseOwnTracks(withoutTst, null, NOW))).toBe('tst');
    expect(fieldOf(() => parseOwnTracks({ ...location, tst: 12 }, null, NOW))).toBe('tst');
    expect(fieldOf(() => parseOwnTracks({ ...location, lon: 200 }, null, NOW))).toBe('lon');
    expect(fieldOf(() => parseOwnTracks({ ...location, bs: 7 }, null, NOW))).toBe('bs');
  });
});

describe('OwnTracks transition', () => {
  it('entering a region becomes a fix marked with the transition and region', () => {
    const fix = parseOwnTracks(
      {
        _type: 'transition',
        wtst: 1718000000,
        lat: 24.351,
        lon: 102.541,
        tst: 1718459112,
        acc: 20,
        tid: 'r7',
        event: 'enter',
        desc: 'Fire lookout 3',
        rid: 'a1b2c3',
        t: 'c',
      },
      'phone',
      NOW,
    );
    expect(fix).toMatchObject({ deviceKey: 'phone', lat: 24.351, lon: 102.541, accuracy: 20, speed: null });
    expect(fix?.attributes).toEqual({
      tid: 'r7',
      trigger: 'c',
      transition: 'enter',
      region: 'Fire lookout 3',
      regionId: 'a1b2c3',
      regionCreated: 1718000000,
    });
  });
});

describe('other OwnTracks messages', () => {
  it('a waypoint, last will or card carries no position and is ignored', () => {
    expect(parseOwnTracks({ _type: 'waypoint', desc: 'Base', lat: 24.35, lon: 102.54, rad: 50, tst: 1718459112 }, 'phone', NOW)).toBeNull();
    expect(parseOwnTracks({ _type: 'lwt', tst: 1718459112 }, 'phone', NOW)).toBeNull();
    expect(parseOwnTracks({ _type: 'card', name: 'Li Wei' }, null, NOW)).toBeNull();
  });

  it('refuses a payload that is not an OwnTracks message', () => {
    expect(fieldOf(() => parseOwnTracks({ lat: 1, lon: 2 }, 'phone', NOW))).toBe('_type');
    expect(fieldOf(() => parseOwnTracks([location], 'phone', NOW))).toBe('');
  });
});
