/**
 * The one position model every device protocol is turned into (ingest/ parses the wire formats
 * into it); it lives with the positions module so the module's own callers (the ranger page) can
 * build fixes without importing the ingest layer above it.
 */

export type AttributeValue = string | number | boolean;

export type PositionFix = {
  /** What the device sends as its identity (Traccar id/deviceid, OwnTracks tid or topic device, IMEI). */
  deviceKey: string;
  /** Time of the fix (UTC). */
  fixTime: Date;
  /** WGS 84 degrees. */
  lon: number;
  lat: number;
  /** Metres. */
  accuracy: number | null;
  /** Metres. */
  altitude: number | null;
  /** Metres per second; null = unknown. */
  speed: number | null;
  /** Degrees 0..360; null = unknown. */
  course: number | null;
  /** Percent 0..100. */
  battery: number | null;
  valid: boolean;
  /** E.g. 'sos'. */
  alarm: string | null;
  /** Everything else the device sent, typed (number, boolean or string). */
  attributes: Record<string, AttributeValue>;
  /** Device key if sent as the `key` parameter; never stored as an attribute because it is a secret. */
  key: string | null;
};
