/**
 * Device keys: random secrets a device sends with every fix, stored only as their SHA-256. A fast
 * hash suffices for a random key of 144 bits, and keeps ingest fast.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const digest = (key: string) => createHash('sha256').update(key).digest();

/** What is stored of a key: its SHA-256 in hex. */
export const hashDeviceKey = (key: string) => digest(key).toString('hex');

/** A new random device key (24 characters). */
export const generateDeviceKey = () => randomBytes(18).toString('base64url');

/** Whether a key sent with a fix is the one whose hash is stored (in constant time). */
export function deviceKeyMatches(keyHash: string, key: string): boolean {
  const stored = Buffer.from(keyHash, 'hex');
  const sent = digest(key);
  return stored.length === sent.length && timingSafeEqual(sent, stored);
}

/**
 * Whether a device's fix with this key is accepted: a device with a key needs that key; a keyless
 * device is accepted unless its county requires keys (then it is refused like a wrong key).
 */
export function keyAccepted(device: { keyHash: string | null; keyRequired: boolean }, key: string | null | undefined): boolean {
  if (!device.keyHash) return !device.keyRequired;
  return Boolean(key) && deviceKeyMatches(device.keyHash, key as string);
}

/** A device key from `Authorization: Bearer …` or the password of Basic auth (OwnTracks HTTP mode). */
export function keyFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return null;
  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}
