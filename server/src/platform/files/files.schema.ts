import { z } from 'zod';

/** Largest file an upload takes: a phone photo or a scanned document. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** What may be uploaded: photos from the field and PDF documents (the type is read from the bytes, not trusted from the client). */
export const FILE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'] as const;
export type FileContentType = (typeof FILE_CONTENT_TYPES)[number];

export const StoredFile = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    contentType: z.enum(FILE_CONTENT_TYPES),
    size: z.number().int(),
  })
  .meta({ id: 'StoredFile' });
export type StoredFile = z.infer<typeof StoredFile>;

export const FileIdParams = z.object({ id: z.string().uuid() });
