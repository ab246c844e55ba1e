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
  // the device's key: checked, never stored
  'key',
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
  for (let index = 0; index < body.length; index++) {
    const item: unknown = body[index];
    if (!isRecord(item)) {
      problems.push({ index, field: `[${index}]`, message: `[${index}] must be an object` });
      continue;
    }
    try {
      fixes.push(readItem(item, now));
    } catch (error) {
      if (!(error instanceof FixError)) throw error;
      // Field names are put under the item's index only for the rare bad item, not built for every good one.
      const located = error.under(`[${index}]`);
      problems.push({ index, field: located.field, message: located.message });
    }
  }
  return { fixes, problems };
}

function refuse(message: string): BatchResult {
  return { fixes: [], problems: [{ index: -1, field: '', message }] };
}

/** One item; faults name the field alone (`lat`), which `parseBatch` puts under the item's index. */
function readItem(item: Record<string, unknown>, now: number): PositionFix {
  const deviceKey = requireIdentity(item.uniqueId, 'uniqueId');
  if (typeof item.fixTime !== 'string' && typeof item.fixTime !== 'number') throw new FixError('fixTime', 'fixTime is required');
  const fixTime = parseTimestamp(item.fixTime, now, 'fixTime');
  const lon = requireNumber(item.lon, 'lon');
  const lat = requireNumber(item.lat, 'lat');
  checkCoordinates(lat, lon, 'lat', 'lon');

  if (item.alarm !== undefined && item.alarm !== null && typeof item.alarm !== 'string') throw new FixError('alarm', 'alarm must be text');
  if (item.key !== undefined && item.key !== null && typeof item.key !== 'string') throw new FixError('key', 'key must be text');
  const attributes: Record<string, AttributeValue> = {};
  if (item.attributes !== undefined && item.attributes !== null) {
    if (!isRecord(item.attributes)) throw new FixError('attributes', 'attributes must be an object');
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
    accuracy: unknownIfNegative(readNumber(item.accuracy, 'accuracy')),
    altitude: readNumber(item.altitude, 'altitude'),
    speed: unknownIfNegative(readNumber(item.speed, 'speed')),
    course: normalizeCourse(readNumber(item.course, 'course')),
    battery: batteryPercent(readNumber(item.battery, 'battery')),
    valid: readBoolean(item.valid, 'valid') ?? true,
    alarm: typeof item.alarm === 'string' ? item.alarm.trim() || null : null,
    attributes,
    key: typeof item.key === 'string' ? item.key : null,
  };
}
