/**
 * Tracking codes of tip-offs. A code is the reporter's only key to the progress of their report,
 * so it is a bearer token: random (`crypto.randomInt`), 10 characters of an alphabet without the
 * look-alikes 0/O, 1/I/L (31^10 ≈ 8·10^14 codes, about 50 bits), short enough to read out on the
 * phone. Only its SHA-256 is stored; a code typed with spaces, dashes or in lower case is the same code.
 */
import { createHash, randomInt } from 'node:crypto';

export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TRACKING_CODE_LENGTH = 10;
export const TRACKING_CODE_PATTERN = new RegExp(`^[${TRACKING_ALPHABET}]{${TRACKING_CODE_LENGTH}}$`);

/** A new random tracking code. */
export function newTrackingCode(): string {
  let code = '';
  for (let i = 0; i < TRACKING_CODE_LENGTH; i++) code += TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)];
  return code;
}

/** The code as stored and compared: upper case, without the spaces and dashes people group it with. */
export const normaliseTrackingCode = (typed: string) => typed.replace(/[\s-]/g, '').toUpperCase();

/** What the database keeps of a code. */
export const trackingCodeHash = (code: string) => createHash('sha256').update(`tipoff:${code}`).digest('hex');
