/**
 * OsmAnd / Traccar Client protocol: the query-string or form body of the old Android and iOS
 * clients, and the JSON body of Traccar Client 9+ (built on a background-geolocation library
 * that batches locations taken while offline).
 */
import type { FastifyRequest } from 'fastify';
import { type IngestService, keyFromAuthorization, parseOr400 } from './ingest.service.js';
import {
  type AttributeValue,
  batteryPercent,
  checkCoordinates,
  FixError,
  flattenInto,
  isRecord,
  KNOTS_TO_MPS,
  normalizeCourse,
  type PositionFix,
  parseTimestamp,
  readBoolean,
  readNumber,
  requireIdentity,
  requireNumber,
  show,
  typedAttribute,
  unknownIfNegative,
} from './position.js';

export type QueryParams = Record<string, string | string[] | undefined>;

// Parameters read into the fix itself; every other parameter becomes an attribute.
const KNOWN = new Set([
  'id',
  'deviceid',
  'lat',
  'lon',
  'location',
  'timestamp',
  'speed',
  'bearing',
  'heading',
  'altitude',
  'accuracy',
  'hdop',
  'batt',
  'battery',
  'charge',
  'valid',
  'alarm',
  'key',
]);

// Cell towers and Wi-Fi access points may be reported several times in one request. Their
// entries only hold digits, hex, colons, minus signs and commas, so joining them with ';'
// keeps one plain attribute that splits back into the list without ambiguity.
const LIST_SEPARATOR = ';';

/**
 * Reads one fix from the query-string or form-body form of the OsmAnd protocol.
 * Names are matched case-insensitively; a repeated single-valued parameter keeps its last value
 * (as Traccar reads them in order); a repeated attribute keeps all values joined with ';'.
 */
export function parseOsmAndQuery(params: QueryParams, now: number = Date.now()): PositionFix {
  const known = new Map<string, string>();
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, raw] of Object.entries(params)) {
    if (raw === undefined) continue;
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0) continue;
    const lower = name.toLowerCase();
    if (KNOWN.has(lower)) known.set(lower, values[values.length - 1]);
    else if (values.length > 1 || lower === 'cell' || lower === 'wifi') attributes[name] = values.join(LIST_SEPARATOR);
    else attributes[name] = typedAttribute(values[0]);
  }

  const idField = !known.get('id')?.trim() && known.has('deviceid') ? 'deviceid' : 'id';
  const deviceKey = requireIdentity(known.get(idField), idField);
  const { lat, lon } = readQueryCoordinates(known);
  const timestamp = known.get('timestamp')?.trim();
  const fixTime = timestamp ? parseTimestamp(timestamp, now) : new Date(now);

  const speedKnots = readNumber(known.get('speed'), 'speed');
  const courseField = known.has('bearing') ? 'bearing' : 'heading';
  const batteryField = known.has('batt') ? 'batt' : 'battery';
  const hdop = readNumber(known.get('hdop'), 'hdop');
  if (hdop !== null) attributes.hdop = hdop;
  const charge = readBoolean(known.get('charge'), 'charge');
  if (charge !== null) attributes.charge = charge;
  const alarm = known.get('alarm')?.trim();
  const key = known.get('key')?.trim();

  return {
    deviceKey,
    fixTime,
    lon,
    lat,
    accuracy: unknownIfNegative(readNumber(known.get('accuracy'), 'accuracy')),
    altitude: readNumber(known.get('altitude'), 'altitude'),
    speed: speedKnots === null || speedKnots < 0 ? null : speedKnots * KNOTS_TO_MPS,
    course: normalizeCourse(readNumber(known.get(courseField), courseField)),
    battery: batteryPercent(readNumber(known.get(batteryField), batteryField)),
    valid: readBoolean(known.get('valid'), 'valid') ?? true,
    alarm: alarm || null,
    attributes,
    key: key || null,
  };
}

function readQueryCoordinates(known: Map<string, string>): { lat: number; lon: number } {
  let lat: number;
  let lon: number;
  if (!known.has('lat') && !known.has('lon') && known.has('location')) {
    const parts = known.get('location')!.split(',');
    if (parts.length !== 2) throw new FixError('location', `location must be "lat,lon", got ${show(known.get('location'))}`);
    lat = requireNumber(parts[0], 'location');
    lon = requireNumber(parts[1], 'location');
    checkCoordinates(lat, lon, 'location', 'location');
  } else {
    lat = requireNumber(known.get('lat'), 'lat');
    lon = requireNumber(known.get('lon'), 'lon');
    checkCoordinates(lat, lon, 'lat', 'lon');
  }
  return { lat, lon };
}

// Location fields read into the fix or into named attributes; the rest are flattened as sent.
const JSON_LOCATION_KNOWN = new Set([
  'timestamp',
  'coords',
  'is_moving',
  'odometer',
  'event',
  'mock',
  'alarm',
  'battery',
  'activity',
  'extras',
]);
const JSON_COORDS_KNOWN = new Set(['latitude', 'longitude', 'accuracy', 'speed', 'heading', 'altitude']);

/**
 * Reads the Traccar Client 9+ JSON body, whose `location` is one object or an array of them.
 * An alarm may arrive as `location.alarm` (formats.md) or `location.extras.alarm`; the former wins.
 */
export function parseOsmAndJson(body: unknown, now: number = Date.now()): PositionFix[] {
  if (!isRecord(body)) throw new FixError('', 'the body must be a JSON object');
  const deviceKey = requireIdentity(body.device_id, 'device_id');
  const location = body.location;
  if (Array.isArray(location)) return location.map((item, i) => readJsonLocation(item, `location[${i}]`, deviceKey, now));
  if (location === undefined || location === null) throw new FixError('location', 'location is required');
  return [readJsonLocation(location, 'location', deviceKey, now)];
}

function readJsonLocation(location: unknown, path: string, deviceKey: string, now: number): PositionFix {
  if (!isRecord(location)) throw new FixError(path, `${path} must be an object`);
  const coords = location.coords;
  if (!isRecord(coords)) throw new FixError(`${path}.coords`, `${path}.coords is required`);

  const at = (name: string) => `${path}.coords.${name}`;
  const lat = requireNumber(coords.latitude, at('latitude'));
  const lon = requireNumber(coords.longitude, at('longitude'));
  checkCoordinates(lat, lon, at('latitude'), at('longitude'));

  const timestamp = location.timestamp;
  if (typeof timestamp !== 'string' && typeof timestamp !== 'number') {
    throw new FixError(`${path}.timestamp`, `${path}.timestamp is required`);
  }
  const fixTime = parseTimestamp(timestamp, now, `${path}.timestamp`);

  const attributes: Record<string, AttributeValue> = {};
  const motion = readBoolean(location.is_moving, `${path}.is_moving`);
  if (motion !== null) attributes.motion = motion;
  const odometer = readNumber(location.odometer, `${path}.odometer`);
  if (odometer !== null) attributes.odometer = odometer;
  if (typeof location.event === 'string' && location.event !== '') attributes.event = location.event;
  const mock = readBoolean(location.mock, `${path}.mock`);
  if (mock !== null) attributes.mock = mock;

  let battery: number | null = null;
  if (isRecord(location.battery)) {
    // The library reports the level as a fraction and -1 when it cannot tell.
    const level = readNumber(location.battery.level, `${path}.battery.level`);
    battery = level === null ? null : batteryPercent(Math.round(level * 10_000) / 100);
    const charging = readBoolean(location.battery.is_charging, `${path}.battery.is_charging`);
    if (charging !== null) attributes.charge = charging;
  }
  if (isRecord(location.activity)) {
    if (typeof location.activity.type === 'string') attributes.activity = location.activity.type;
    for (const [name, value] of Object.entries(location.activity)) {
      if (name !== 'type') flattenInto(attributes, `activity.${name}`, value);
    }
  }

  let alarm = typeof location.alarm === 'string' ? location.alarm.trim() : '';
  if (isRecord(location.extras)) {
    for (const [name, value] of Object.entries(location.extras)) {
      if (name === 'alarm' && typeof value === 'string') alarm ||= value.trim();
      else flattenInto(attributes, `extras.${name}`, value);
    }
  }
  for (const [name, value] of Object.entries(coords)) {
    if (!JSON_COORDS_KNOWN.has(name)) flattenInto(attributes, `coords.${name}`, value);
  }
  for (const [name, value] of Object.entries(location)) {
    if (!JSON_LOCATION_KNOWN.has(name)) flattenInto(attributes, name, value);
  }

  return {
    deviceKey,
    fixTime,
    lon,
    lat,
    accuracy: unknownIfNegative(readNumber(coords.accuracy, at('accuracy'))),
    altitude: readNumber(coords.altitude, at('altitude')),
    speed: unknownIfNegative(readNumber(coords.speed, at('speed'))),
    course: normalizeCourse(readNumber(coords.heading, at('heading'))),
    battery,
    valid: true,
    alarm: alarm || null,
    attributes,
    key: null,
  };
}

/**
 * The OsmAnd / Traccar Client protocol: the query-string and form forms (one fix) and the JSON
 * body of Traccar Client 9+ (one or more fixes). Shared by `/api/ingest/osmand` and the OsmAnd port.
 */
export async function handleOsmAnd(ingest: IngestService, request: FastifyRequest) {
  const bearer = keyFromAuthorization(request.headers.authorization);
  const body = request.body;
  if (request.method === 'POST' && body && typeof body === 'object' && !isFormBody(request)) {
    const fixes = parseOr400('body', () => parseOsmAndJson(body));
    return ingest.ingestDevice(fixes, 404, bearer);
  }
  const params: QueryParams = { ...(request.query as QueryParams), ...(isFormBody(request) ? (body as QueryParams) : {}) };
  const fix = parseOr400(isFormBody(request) ? 'body' : 'query', () => parseOsmAndQuery(params));
  return ingest.ingestDevice([fix], 400, bearer);
}

const isFormBody = (request: FastifyRequest) => (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
