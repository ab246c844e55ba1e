/**
 * Whether a file is, from its first byte to its last, one image of a type browsers display: a
 * PNG, JPEG or WebP whose structure walks cleanly to the end of the file. Only such files are
 * shown inline; anything else — a PDF, a HEIC, a PNG with an HTML page behind its end — is served
 * as a download. (The magic bytes alone say nothing about what follows them.)
 */
import { crc32 } from 'node:zlib';

export type InlineImageType = 'image/png' | 'image/jpeg' | 'image/webp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG: the signature, then chunks (length, type, data, CRC) with correct CRCs, IHDR first and IEND as the last bytes. */
function isWholePng(data: Buffer): boolean {
  if (data.length < PNG_SIGNATURE.length || !data.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
  let at = 8;
  let first = true;
  while (at + 12 <= data.length) {
    const length = data.readUInt32BE(at);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > data.length) return false;
    const type = data.toString('latin1', at + 4, at + 8);
    if (!/^[A-Za-z]{4}$/.test(type) || (first && type !== 'IHDR')) return false;
    if (crc32(data.subarray(at + 4, at + 8 + length)) !== data.readUInt32BE(at + 8 + length)) return false;
    first = false;
    at = end;
    if (type === 'IEND') return at === data.length;
  }
  return false;
}

/**
 * JPEG: SOI, then marker segments; after each start of scan the entropy-coded data runs to the
 * next marker (0xFF not followed by 0x00 or a restart marker); EOI must be the last two bytes.
 */
function isWholeJpeg(data: Buffer): boolean {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return false;
  let at = 2;
  while (at + 1 < data.length) {
    if (data[at] !== 0xff) return false;
    const marker = data[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) return at + 2 === data.length;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (at + 4 > data.length) return false;
    const length = data.readUInt16BE(at + 2);
    if (length < 2) return false;
    at += 2 + length;
    if (at > data.length) return false;
    if (marker === 0xda) {
      while (at + 1 < data.length && !(data[at] === 0xff && data[at + 1] !== 0x00 && !(data[at + 1] >= 0xd0 && data[at + 1] <= 0xd7))) at++;
    }
  }
  return false;
}

/** WebP: a RIFF container whose declared size is the file's, holding chunks that end exactly at its end. */
function isWholeWebp(data: Buffer): boolean {
  if (data.length < 20 || data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WEBP') return false;
  if (data.readUInt32LE(4) + 8 !== data.length) return false;
  let at = 12;
  let first = true;
  while (at + 8 <= data.length) {
    const type = data.toString('latin1', at, at + 4);
    if (first && !['VP8 ', 'VP8L', 'VP8X'].includes(type)) return false;
    first = false;
    const size = data.readUInt32LE(at + 4);
    at += 8 + size + (size % 2);
    if (at === data.length) return true;
  }
  return false;
}

/** The image type to show inline, or null when the file must be downloaded. */
export function inlineImageType(data: Buffer, declared: string): InlineImageType | null {
  if (declared === 'image/png' && isWholePng(data)) return 'image/png';
  if (declared === 'image/jpeg' && isWholeJpeg(data)) return 'image/jpeg';
  if (declared === 'image/webp' && isWholeWebp(data)) return 'image/webp';
  return null;
}
