import { z } from 'zod';
import { badRequest } from '../errors.js';
import { type App, actorOf, ErrorResponse, errorResponses } from '../http.js';
import { FileIdParams, MAX_FILE_BYTES, StoredFile } from './files.schema.js';
import { type FilesService, fileTooLarge } from './files.service.js';
import { inlineImageType } from './image-check.js';

/** The policy of every served file: it loads nothing and runs in a sandbox (no script, no same-origin access). */
export const FILE_CSP = "default-src 'none'; sandbox";

export function registerFileRoutes(app: App, { filesService }: { filesService: FilesService }) {
  app.post('/api/files', {
    config: { access: 'files:write' },
    schema: {
      operationId: 'uploadFile',
      tags: ['files'],
      summary: 'Upload a photo (JPEG, PNG, WebP, HEIC) or a PDF of at most 10 MB as multipart field `file`; it belongs to your unit',
      consumes: ['multipart/form-data'],
      response: { 201: StoredFile, ...errorResponses, 413: ErrorResponse },
    },
    handler: async (request, reply) => {
      if (!request.isMultipart()) throw badRequest('Send the file as multipart/form-data', [{ path: 'body.file', message: 'required' }]);
      const part = await request.file({ limits: { fileSize: MAX_FILE_BYTES, files: 1 } });
      if (part?.fieldname !== 'file') throw badRequest('No file in the upload', [{ path: 'body.file', message: 'required' }]);
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge();
        throw error;
      }
      const stored = await filesService.upload(actorOf(request), { fileName: part.filename, data });
      return reply.status(201).send(stored);
    },
  });

  app.get('/api/files/:id', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getFile',
      tags: ['files'],
      summary:
        'The bytes of an uploaded file, with its content type (404 outside your area); shown inline only when the whole file is a PNG, JPEG or WebP image, else a download',
      params: FileIdParams,
      produces: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'],
      response: { 200: z.any().describe('the file'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const file = await filesService.download(actorOf(request), request.params.id);
      const etag = `"${file.sha256}"`;
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      // Only a file that is one displayable image from end to end is shown in the browser; every
      // other file is a download, and none may run script or be read as another type.
      const image = inlineImageType(file.data, file.contentType);
      return reply
        .header('Content-Type', image ?? file.contentType)
        .header('Content-Disposition', `${image ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', FILE_CSP)
        .header('Cache-Control', 'private, max-age=86400')
        .header('ETag', etag)
        .send(file.data);
    },
  });
}
