/**
 * OwnTracks payloads, the same JSON over HTTP POST and over MQTT (`owntracks/<user>/<device>`).
 * Only `location` and `transition` carry a position; the app also publishes waypoints, cards,
 * last wills, status and step counts, which a position feed ignores (over HTTP the caller
 * still answers 200 `[]`, or the app keeps re-sending).
 */
import {
  type AttributeValue,
  batteryPercent,
  checkCoordinates,
  FixError,
  flattenInto,
  isRecord,
  KMH_TO_MPS,
  normalizeCourse,
  type PositionFix,
  parseTimestamp,
  readNumber,
  requireNumber,
  unknownIfNegative,
} from './position.js';

const BATTERY_STATUS = ['unknown', 'unplugged', 'charging', 'full'] as const;

// Fields read into the fix or renamed; every other field is kept under its own name.
const LOCATION_KNOWN = new Set([
  '_type',
  'lat',
  'lon',
  'tst',
  'acc',
  'alt',
  'vac',
  'vel',
  'cog',
  'batt',
  'bs',
  't',
  'tid',
  'conn',
  'inregions',
  'created_at',
]);
const TRANSITION_KNOWN = new Set(['_type', 'lat', 'lon', 'tst', 'acc', 't', 'tid', 'wtst', 'event', 'desc', 'rid']);

/**
 * Reads an OwnTracks message: a fix for `location` and `transition`, null for every other type.
 * The device is `deviceFromContext` (X-Limit-D header over HTTP, last topic level over MQTT) if
 * given, else the payload's `tid`.
 *
 * OwnTracks may leave out fields whose value is zero, but it also leaves out what it does not
 * know; an absent optional field is stored as unknown (null), never guessed as zero. The
 * required `lat`, `lon` and `tst` are not guessed either.
 */
export function parseOwnTracks(body: unknown, deviceFromContext: string | null, now: number = Date.now()): PositionFix | null {
  if (!isRecord(body)) throw new FixError('', 'the body must be a JSON object');
  if (typeof body._type !== 'string') throw new FixError('_type', '_type is required');
  const type = body._type.toLowerCase();
  if (type !== 'location' && type !== 'transition') return null;

  const tid = typeof body.tid === 'string' ? body.tid.trim() : '';
  const deviceKey = deviceFromContext?.trim() || tid;
  if (!deviceKey) throw new FixError('tid', 'tid is required when the device is not named by the X-Limit-D header or the topic');

  const lat = requireNumber(body.lat, 'lat');
  const lon = requireNumber(body.lon, 'lon');
  checkCoordinates(lat, lon, 'lat', 'lon');
  const tst = body.tst;
  if (typeof tst !== 'number' && typeof tst !== 'string') throw new FixError('tst', 'tst is required');
  const fixTime = parseTimestamp(tst, now, 'tst');

  const attributes: Record<string, AttributeValue> = {};
  if (tid) attributes.tid = tid;
  if (typeof body.t === 'string' && body.t !== '') attributes.trigger = body.t;

  const fix: PositionFix = {
    deviceKey,
    fixTime,
    lon,
    lat,
    accuracy: unknownIfNegative(readNumber(body.acc, 'acc')),
    altitude: null,
    speed: null,
    course: null,
    battery: null,
    valid: true,
    alarm: null,
    attributes,
    key: null,
  };
  if (type === 'location') readLocationFields(body, fix);
  else readTransitionFields(body, fix);
  return fix;
}

function readLocationFields(body: Record<string, unknown>, fix: PositionFix): void {
  const { attributes } = fix;
  fix.altitude = readNumber(body.alt, 'alt');
  const velocityKmh = unknownIfNegative(readNumber(body.vel, 'vel'));
  fix.speed = velocityKmh === null ? null : velocityKmh * KMH_TO_MPS;
  fix.course = normalizeCourse(readNumber(body.cog, 'cog'));
  fix.battery = batteryPercent(readNumber(body.batt, 'batt'));

  const verticalAccuracy = unknownIfNegative(readNumber(body.vac, 'vac'));
  if (verticalAccuracy !== null) attributes.verticalAccuracy = verticalAccuracy;
  const bs = readNumber(body.bs, 'bs');
  if (bs !== null) {
    const status = BATTERY_STATUS[bs];
    if (status === undefined) throw new FixError('bs', `bs must be 0, 1, 2 or 3, got ${bs}`);
    attributes.batteryStatus = status;
    // iOS reports "full" only while plugged in, so both 2 and 3 mean the device is on power.
    if (bs !== 0) attributes.charging = bs >= 2;
  }
  if (typeof body.conn === 'string' && body.conn !== '') attributes.connection = body.conn;
  if (Array.isArray(body.inregions)) attributes.inregions = JSON.stringify(body.inregions);
  const createdAt = readNumber(body.created_at, 'created_at');
  if (createdAt !== null) attributes.createdAt = createdAt;
  for (const [name, value] of Object.entries(body)) {
    if (!LOCATION_KNOWN.has(name)) flattenInto(attributes, name, value);
  }
}

function readTransitionFields(body: Record<string, unknown>, fix: PositionFix): void {
  const { attributes } = fix;
  if (typeof body.event === 'string' && body.event !== '') attributes.transition = body.event.toLowerCase();
  if (typeof body.desc === 'string' && body.desc !== '') attributes.region = body.desc;
  if (typeof body.rid === 'string' && body.rid !== '') attributes.regionId = body.rid;
  // wtst is when the region (waypoint) was created; OwnTracks uses it to identify the region.
  const wtst = readNumber(body.wtst, 'wtst');
  if (wtst !== null) attributes.regionCreated = wtst;
  for (const [name, value] of Object.entries(body)) {
    if (!TRANSITION_KNOWN.has(name)) flattenInto(attributes, name, value);
  }
}
