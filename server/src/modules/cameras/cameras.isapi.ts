/**
 * Hikvision ISAPI alarm pushes (`EventNotificationAlert`, see shared/design/formats.md): the XML
 * (or, from newer firmware, JSON) message read leniently into what SafeForest keeps, and the
 * picture parts checked to be whole images. A message that is not XML at all, or not an
 * `EventNotificationAlert`, is refused: nothing of it is stored.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readDateTime } from '../../platform/dates.js';
import { badRequest } from '../../platform/errors.js';
import { type InlineImageType, inlineImageType } from '../../platform/files/image-check.js';
import type { AlarmType } from './cameras.schema.js';

/** What one alarm push says, whatever its transport. */
export type IsapiAlert = {
  /** The GB/T 28181 id the message carries itself, if any. */
  gbId: string | null;
  eventType: string;
  /** Null for a heartbeat or an event that ended (`eventState` inactive): the camera is alive, nothing to store. */
  type: AlarmType | null;
  at: Date | null;
  description: string | null;
  details: Record<string, unknown>;
};

/** ISAPI event types (lower-cased) and the alarm type each is. */
const EVENT_TYPES: Record<string, AlarmType> = {
  firedetection: 'fire',
  fireescapedetection: 'fire',
  smokedetection: 'smoke',
  smokeandfiredetection: 'fire',
  fielddetection: 'intrusion',
  regionentrance: 'intrusion',
  intrusion: 'intrusion',
  linedetection: 'line_crossing',
  vmd: 'motion',
  motiondetection: 'motion',
  shelteralarm: 'tamper',
  tamperdetection: 'tamper',
  videoloss: 'video_loss',
};

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
});

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : null);
const clip = (v: string | null, max: number) => (v === null ? null : v.slice(0, max));

/** The alert element of a parsed message, case-insensitively. */
function alertOf(root: Record<string, unknown>): Record<string, unknown> | null {
  for (const [key, value] of Object.entries(root)) {
    if (key.toLowerCase() === 'eventnotificationalert' && value && typeof value === 'object') return value as Record<string, unknown>;
  }
  return null;
}

/** A field of the alert, case-insensitively. */
function field(alert: Record<string, unknown>, ...names: string[]): string | null {
  const wanted = names.map((n) => n.toLowerCase());
  for (const [key, value] of Object.entries(alert)) if (wanted.includes(key.toLowerCase())) return text(value);
  return null;
}

/** Reads the fields SafeForest keeps from an alert object (XML or JSON alike). */
function readAlert(alert: Record<string, unknown>, where: string): IsapiAlert {
  const eventType = field(alert, 'eventType');
  if (!eventType) throw badRequest('The alarm names no eventType', [{ path: `${where}.eventType`, message: 'required' }]);
  const state = field(alert, 'eventState')?.toLowerCase();
  const dateTime = field(alert, 'dateTime');
  let at: Date | null = null;
  if (dateTime) {
    const reading = readDateTime(dateTime);
    if (!reading.ok) throw badRequest('The alarm’s dateTime is not a date', [{ path: `${where}.dateTime`, message: reading.message }]);
    at = reading.date;
  }
  const quiet = eventType.toLowerCase() === 'heartbeat' || state === 'inactive';
  const gbId = [field(alert, 'GBID', 'gbId', 'deviceGBID'), field(alert, 'deviceID')].find((v) => v && /^\d{20}$/.test(v)) ?? null;
  return {
    gbId,
    eventType: clip(eventType, 64) as string,
    type: quiet ? null : (EVENT_TYPES[eventType.toLowerCase()] ?? 'other'),
    at,
    description: clip(field(alert, 'eventDescription'), 500),
    details: Object.fromEntries(
      (['ipAddress', 'portNo', 'macAddress', 'channelID', 'channelName', 'activePostCount'] as const)
        .map((name) => [name, clip(field(alert, name), 100)])
        .filter(([, v]) => v !== null),
    ),
  };
}

/** An `EventNotificationAlert` XML document; 400 naming `where` when it is not well-formed or not one. */
export function parseIsapiXml(xml: string, where = 'body'): IsapiAlert {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw badRequest('The alarm is not well-formed XML', [
      { path: where, message: `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})` },
    ]);
  }
  const alert = alertOf(parser.parse(xml) as Record<string, unknown>);
  if (!alert)
    throw badRequest('The XML is no EventNotificationAlert', [{ path: where, message: 'root element EventNotificationAlert expected' }]);
  return readAlert(alert, where);
}

/** The JSON form newer firmware sends in the message part (the same fields, at the top or under `EventNotificationAlert`). */
export function parseIsapiJson(json: string, where = 'body'): IsapiAlert {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw badRequest('The alarm is not valid JSON', [{ path: where, message: 'not JSON' }]);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw badRequest('The alarm is not a JSON object', [{ path: where, message: 'an object expected' }]);
  return readAlert(alertOf(value as Record<string, unknown>) ?? (value as Record<string, unknown>), where);
}

/** The picture's type from its bytes (never the declared one), or 400 naming `where` when it is no whole JPEG, PNG or WebP. */
export function checkPicture(data: Buffer, where: string): InlineImageType {
  const type = inlineImageType(data, 'image/jpeg') ?? inlineImageType(data, 'image/png') ?? inlineImageType(data, 'image/webp');
  if (!type) throw badRequest('The picture is not a whole JPEG, PNG or WebP image', [{ path: where, message: 'not an image' }]);
  return type;
}
