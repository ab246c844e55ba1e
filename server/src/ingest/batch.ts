/**
 * The gateway batch: an array of fixes already in our model's units (m/s, degrees, percent),
 * sent by integrations that collect positions from many devices. One bad item must not cost
 * the good ones, so each item is read on its own and its problem reported by index and field.
 */
import {
  type AttributeValue,
  batteryPercent,
  checkCoordinates,
  FixError,
  flattenInto,
  isRecord,
  normalizeCourse,
  type PositionFix,
  parseTimestamp,
  readBoolean,
  readNumber,
  requireIdentity,
  requireNumber,
  unknownIfNegative,
} from './position.js';

/** The most items one request may carry; more is refused whole so the sender splits it. */
export const MAX_BATCH_ITEMS = 10_000;

export type BatchProblem = { index: number; field: string; message: string };
export type BatchResult = { fixes: PositionFix[]; problems: BatchProblem[] };

const ITEM_KNOWN = new Set([
  'uniqueId',
  'fixTime',
  'lon',
  'lat',
  'accuracy',
  'altitude',
  'speed',
  'course',
  'battery',
  'valid',
  'alarm',
  'attributes',
]);

/**
 * Reads a gateway batch; good items become fixes, each bad item one problem (its first fault,
 * field like `[3].lat`). A body that is not an array, or too long, is one problem at index -1.
 */
export function parseBatch(body: unknown, now: number = Date.now()): BatchResult {
  if (!Array.isArray(body)) return refuse('the body must be a JSON array of fixes');
  if (body.length > MAX_BATCH_ITEMS) return refuse(`a batch holds at most ${MAX_BATCH_ITEMS} fixes, got ${body.length}`);
  const fixes: PositionFix[] = [];
  const problems: BatchProblem[] = [];
  body.forEach((item, index) => {
    try {
      fixes.push(readItem(item, `[${index}]`, now));
    } catch (error) {
      if (!(error instanceof FixError)) throw error;
      problems.push({ index, field: error.field, message: error.message });
    }
  });
  return { fixes, problems };
}

function refuse(message: string): BatchResult {
  return { fixes: [], problems: [{ index: -1, field: '', message }] };
}

function readItem(item: unknown, path: string, now: number): PositionFix {
  if (!isRecord(item)) throw new FixError(path, `${path} must be an object`);
  const at = (name: string) => `${path}.${name}`;
  const deviceKey = requireIdentity(item.uniqueId, at('uniqueId'));
  if (typeof item.fixTime !== 'string' && typeof item.fixTime !== 'number') {
    throw new FixError(at('fixTime'), `${at('fixTime')} is required`);
  }
  const fixTime = parseTimestamp(item.fixTime, now, at('fixTime'));
  const lon = requireNumber(item.lon, at('lon'));
  const lat = requireNumber(item.lat, at('lat'));
  checkCoordinates(lat, lon, at('lat'), at('lon'));

  if (item.alarm !== undefined && item.alarm !== null && typeof item.alarm !== 'string') {
    throw new FixError(at('alarm'), `${at('alarm')} must be text`);
  }
  const attributes: Record<string, AttributeValue> = {};
  if (item.attributes !== undefined && item.attributes !== null) {
    if (!isRecord(item.attributes)) throw new FixError(at('attributes'), `${at('attributes')} must be an object`);
    for (const [name, value] of Object.entries(item.attributes)) flattenInto(attributes, name, value);
  }
  // Fields outside the contract are kept rather than dropped: nothing a gateway sent is lost.
  for (const [name, value] of Object.entries(item)) {
    if (!ITEM_KNOWN.has(name) && !(name in attributes)) flattenInto(attributes, name, value);
  }

  return {
    deviceKey,
    fixTime,
    lon,
    lat,
    accuracy: unknownIfNegative(readNumber(item.accuracy, at('accuracy'))),
    altitude: readNumber(item.altitude, at('altitude')),
    speed: unknownIfNegative(readNumber(item.speed, at('speed'))),
    course: normalizeCourse(readNumber(item.course, at('course'))),
    battery: batteryPercent(readNumber(item.battery, at('battery'))),
    valid: readBoolean(item.valid, at('valid')) ?? true,
    alarm: typeof item.alarm === 'string' ? item.alarm.trim() || null : null,
    attributes,
    key: null,
  };
}
