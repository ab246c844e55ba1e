/**
 * Uploaded files: photos that rangers attach to field reports, and documents. Stored in the
 * database (same transaction, backup and scope as the records pointing at them) and served only
 * to accounts whose subtree holds the uploader's unit.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Actor } from '../actor.js';
import type { RunChange } from '../change.js';
import { AppError, found, validationFailed } from '../errors.js';
import type { FilesRepo } from './files.repo.js';
import { type FileContentType, MAX_FILE_BYTES, type StoredFile } from './files.schema.js';

type Deps = { db: Db; filesRepo: Pick<FilesRepo, 'insert' | 'findInScope'>; runChange: RunChange };

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** The content type the bytes themselves declare (magic numbers), or null for anything not accepted. */
export function sniffContentType(data: Buffer): FileContentType | null {
  const ascii = (from: number, to: number) => data.subarray(from, to).toString('latin1');
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (data.length >= 12 && ascii(4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(8, 12))) return 'image/heic';
  if (data.length >= 5 && ascii(0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

/** The name as shown and downloaded: no directories, no control characters, at most 200 characters. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (cleaned || 'file').slice(-200);
}

export const fileTooLarge = () =>
  new AppError(413, 'too_large', `Files are at most ${MAX_FILE_BYTES / 1024 / 1024} MB`, [
    { path: 'body.file', message: `at most ${MAX_FILE_BYTES / 1024 / 1024} MB` },
  ]);

export function createFilesService({ db, filesRepo, runChange }: Deps) {
  return {
    /** Stores an upload in the uploader's unit after checking its type from its bytes and its size. */
    async upload(actor: Actor, upload: { fileName: string | undefined; data: Buffer }): Promise<StoredFile> {
      if (upload.data.length > MAX_FILE_BYTES) throw fileTooLarge();
      if (upload.data.length === 0) throw validationFailed([{ path: 'body.file', message: 'the file is empty' }]);
      const contentType = sniffContentType(upload.data);
      if (!contentType) {
        throw validationFailed([{ path: 'body.file', message: 'only JPEG, PNG, WebP or HEIC images and PDF documents are accepted' }]);
      }
      const sha256 = createHash('sha256').update(upload.data).digest('hex');
      return runChange(actor, async (ctx) => {
        const { orgUnitId, ...stored } = await filesRepo.insert(ctx.tx, {
          orgUnitId: actor.orgUnitId,
          name: cleanFileName(upload.fileName),
          contentType,
          size: upload.data.length,
          sha256,
          data: upload.data,
          uploadedBy: actor.userId,
        });
        ctx.audit({ action: 'file.upload', entity: 'file', entityId: stored.id, orgUnitId, after: { ...stored, sha256 } });
        return stored;
      });
    },

    /** A file with its bytes; 404 when its unit is outside the actor's subtree. */
    async download(actor: Actor, id: string) {
      const file = found(await filesRepo.findInScope(db, actor, id), 'File');
      return file;
    },
  };
}
export type FilesService = ReturnType<typeof createFilesService>;
