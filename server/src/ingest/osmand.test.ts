import { describe, expect, it } from 'vitest';
import { parseOsmAndJson, parseOsmAndQuery } from './osmand.js';
import { FixError } from './position.js';

const NOW = Date.UTC(2025, 5, 16, 0, 0, 0);

function query(text: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = params[name];
    params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FixError) return error.field;
    throw error;
  }
  throw new Error('expected a FixError');
}

describe('Traccar Client query string', () => {
  it('reads the old Android client request', () => {
    const fix = parseOsmAndQuery(
      query('id=123456&timestamp=1718459112&lat=24.35&lon=102.54&speed=10&bearing=90&altitude=1650&accuracy=12&batt=87'),
      NOW,
    );
    expect(fix).toMatchObject({
      deviceKey: '123456',
      lat: 24.35,
      lon: 102.54,
      course: 90,
      altitude: 1650,
      accuracy: 12,
      battery: 87,
      valid: true,
      alarm: null,
      key: null,
      attributes: {},
    });
    expect(fix.fixTime.toISOString()).toBe('2024-06-15T13:45:12.000Z');
  });

  it('a Traccar Client speed in knots is stored in metres per second', () => {
    const fix = parseOsmAndQuery(query('id=r1&lat=24.35&lon=102.54&speed=10'), NOW);
    expect(fix.speed).toBeCloseTo(5.14444, 5);
  });

  it('reads the iOS client ISO timestamp, heading and charge flag', () => {
    const fix = parseOsmAndQuery(
      query('deviceid=ios-7&timestamp=2024-06-15T13:45:12Z&lat=24.35&lon=102.54&heading=271.5&batt=64&charge=true'),
      NOW,
    );
    expect(fix.deviceKey).toBe('ios-7');
    expect(fix.fixTime.toISOString()).toBe('2024-06-15T13:45:12.000Z');
    expect(fix.course).toBe(271.5);
    expect(fix.attributes.charge).toBe(true);
  });

  it('reads the position from one location=lat,lon parameter', () => {
    const fix = parseOsmAndQuery(query('id=r1&location=24.35,102.54'), NOW);
    expect([fix.lat, fix.lon]).toEqual([24.35, 102.54]);
  });

  it('reads yyyy-MM-dd HH:mm:ss and epoch milliseconds as UTC times', () => {
    expect(parseOsmAndQuery(query('id=r1&lat=1&lon=2&timestamp=2024-06-15+13:45:12'), NOW).fixTime.toISOString()).toBe(
      '2024-06-15T13:45:12.000Z',
    );
    expect(parseOsmAndQuery(query('id=r1&lat=1&lon=2&timestamp=1718459112862'), NOW).fixTime.toISOString()).toBe(
      '2024-06-15T13:45:12.862Z',
    );
  });

  it('a fix without a timestamp is taken at the time it arrives', () => {
    expect(parseOsmAndQuery(query('id=r1&lat=1&lon=2'), NOW).fixTime.getTime()).toBe(NOW);
  });

  it('an SOS press arrives as an alarm, the device key is kept apart from the attributes', () => {
    const fix = parseOsmAndQuery(query('id=r1&lat=24.35&lon=102.54&alarm=sos&key=s3cret'), NOW);
    expect(fix.alarm).toBe('sos');
    expect(fix.key).toBe('s3cret');
    expect(fix.attributes).toEqual({});
  });

  it('unknown parameters are kept as typed attributes', () => {
    const fix = parseOsmAndQuery(query('id=r1&lat=1&lon=2&mock=false&hdop=0.9&sat=9&provider=gps&iccid=89860012345678901234'), NOW);
    expect(fix.attributes).toEqual({ mock: false, hdop: 0.9, sat: 9, provider: 'gps', iccid: '89860012345678901234' });
  });

  it('repeated cell towers and Wi-Fi access points are kept as one list joined by ;', () => {
    const fix = parseOsmAndQuery(
      query('id=r1&lat=1&lon=2&cell=460,0,9520,3671,-70&cell=460,0,9520,3672,-85&wifi=aa:bb:cc:dd:ee:ff,-60'),
      NOW,
    );
    expect(fix.attributes.cell).toBe('460,0,9520,3671,-70;460,0,9520,3672,-85');
    expect(fix.attributes.wifi).toBe('aa:bb:cc:dd:ee:ff,-60');
  });

  it('a negative speed or bearing means unknown', () => {
    const fix = parseOsmAndQuery(query('id=r1&lat=1&lon=2&speed=-1&bearing=-1'), NOW);
    expect(fix.speed).toBeNull();
    expect(fix.course).toBeNull();
  });

  it('reads valid as true/false/1/0 and the battery parameter spelled out', () => {
    expect(parseOsmAndQuery(query('id=r1&lat=1&lon=2&valid=0'), NOW).valid).toBe(false);
    expect(parseOsmAndQuery(query('id=r1&lat=1&lon=2&valid=true&battery=55'), NOW)).toMatchObject({ valid: true, battery: 55 });
  });

  it('parameter names are read in any case', () => {
    const fix = parseOsmAndQuery(query('ID=r1&LAT=24.35&Lon=102.54'), NOW);
    expect(fix).toMatchObject({ deviceKey: 'r1', lat: 24.35, lon: 102.54 });
  });

  it('refuses a request without a device, naming id', () => {
    expect(fieldOf(() => parseOsmAndQuery(query('lat=1&lon=2'), NOW))).toBe('id');
  });

  it('refuses coordinates that are missing, not numbers or out of range, naming the parameter', () => {
    expect(fieldOf(() => parseOsmAndQuery(query('id=r1&lon=2'), NOW))).toBe('lat');
    expect(fieldOf(() => parseOsmAndQuery(query('id=r1&lat=north&lon=2'), NOW))).toBe('lat');
    expect(fieldOf(() => parseOsmAndQuery(query('id=r1&lat=91&lon=2'), NOW))).toBe('lat');
    expect(fieldOf(() => parseOsmAndQuery(query('id=r1&lat=1&lon=180.5'), NOW))).toBe('lon');
    expect(fieldOf(() => parseOsmAndQuery(query('id=r1&location=24.35'), NOW))).toBe('location');
    expect(fieldOf(() => parseOsmAndQuery(query('id=r1&lat=1&lon=2&speed=fast'), NOW))).toBe('speed');
    expect(fieldOf(() => parseOsmAndQuery(query('id=r1&lat=1&lon=2&timestamp=later'), NOW))).toBe('timestamp');
  });
});

describe('Traccar Client 9 JSON body', () => {
  const location = {
    timestamp: '2025-06-15T13:45:12.862Z',
    coords: { latitude: 24.35, longitude: 102.54, accuracy: 8.5, speed: 1.4, heading: 182, altitude: 1650, altitude_accuracy: 3 },
    is_moving: true,
    odometer: 1234.5,
    event: 'motionchange',
    mock: false,
    uuid: 'd8a7b0f1',
    battery: { level: 0.87, is_charging: false },
    activity: { type: 'on_foot', confidence: 100 },
    extras: { patrolId: 'XS-2025-061', crew: 2 },
  };

  it('reads one location, with battery level 0.87 stored as 87 percent', () => {
    const [fix] = parseOsmAndJson({ location, device_id: '123456' }, NOW);
    expect(fix).toMatchObject({ deviceKey: '123456', lat: 24.35, lon: 102.54, accuracy: 8.5, speed: 1.4, course: 182, altitude: 1650 });
    expect(fix.battery).toBe(87);
    expect(fix.fixTime.toISOString()).toBe('2025-06-15T13:45:12.862Z');
    expect(fix.attributes).toEqual({
      motion: true,
      odometer: 1234.5,
      event: 'motionchange',
      mock: false,
      charge: false,
      activity: 'on_foot',
      'activity.confidence': 100,
      'extras.patrolId': 'XS-2025-061',
      'extras.crew': 2,
      'coords.altitude_accuracy': 3,
      uuid: 'd8a7b0f1',
    });
  });

  it('reads a batch of locations buffered while offline', () => {
    const later = { ...location, timestamp: '2025-06-15T13:50:12Z', coords: { ...location.coords, latitude: 24.36 } };
    const fixes = parseOsmAndJson({ location: [location, later], device_id: '123456' }, NOW);
    expect(fixes.map((fix) => fix.lat)).toEqual([24.35, 24.36]);
  });

  it('a negative speed or heading from the library means unknown', () => {
    const [fix] = parseOsmAndJson(
      { location: { ...location, coords: { latitude: 1, longitude: 2, speed: -1, heading: -1 } }, device_id: 'x' },
      NOW,
    );
    expect(fix.speed).toBeNull();
    expect(fix.course).toBeNull();
  });

  it('an alarm is read from the location or from its extras', () => {
    const direct = parseOsmAndJson({ location: { ...location, alarm: 'sos' }, device_id: 'x' }, NOW)[0];
    const viaExtras = parseOsmAndJson({ location: { ...location, extras: { alarm: 'sos' } }, device_id: 'x' }, NOW)[0];
    expect(direct.alarm).toBe('sos');
    expect(viaExtras.alarm).toBe('sos');
    expect(viaExtras.attributes['extras.alarm']).toBeUndefined();
  });

  it('an unknown battery level (-1) is stored as unknown', () => {
    const [fix] = parseOsmAndJson({ location: { ...location, battery: { level: -1, is_charging: false } }, device_id: 'x' }, NOW);
    expect(fix.battery).toBeNull();
  });

  it('refuses a body without device_id or coordinates, naming the JSON path', () => {
    expect(fieldOf(() => parseOsmAndJson({ location }, NOW))).toBe('device_id');
    expect(fieldOf(() => parseOsmAndJson({ device_id: 'x' }, NOW))).toBe('location');
    const noLatitude = { ...location, coords: { longitude: 102.54 } };
    expect(fieldOf(() => parseOsmAndJson({ location: noLatitude, device_id: 'x' }, NOW))).toBe('location.coords.latitude');
    expect(fieldOf(() => parseOsmAndJson({ location: [location, noLatitude], device_id: 'x' }, NOW))).toBe('location[1].coords.latitude');
    expect(fieldOf(() => parseOsmAndJson({ location: { ...location, timestamp: 'x' }, device_id: 'x' }, NOW))).toBe('location.timestamp');
    expect(fieldOf(() => parseOsmAndJson('id=1', NOW))).toBe('');
  });
});
