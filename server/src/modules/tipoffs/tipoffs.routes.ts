import type { FastifyRequest } from 'fastify';
import { AppError, type FieldProblem, validationFailed } from '../../platform/errors.js';
import { sniffContentType } from '../../platform/files/files.service.js';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import { findUnstorableText, UNSTORABLE_MESSAGE } from '../../platform/text.js';
import {
  CreateTipoffBody,
  CreateTipoffReplyBody,
  ListTipoffsQuery,
  MAX_TIPOFF_PHOTO_BYTES,
  MAX_TIPOFF_PHOTOS,
  PublicTipoffStatusView,
  TIPOFF_PHOTO_TYPES,
  Tipoff,
  TipoffCreated,
  TipoffIdParams,
  TipoffList,
  TipoffReply,
  TrackingCodeParams,
} from './tipoffs.schema.js';
import type { TipoffPhotoUpload, TipoffsService } from './tipoffs.service.js';

/** How often one client address may report and look up, per window. */
export type TipoffLimits = { reportsPerHour: number; statusChecksPerMinute: number };

const MB = MAX_TIPOFF_PHOTO_BYTES / 1024 / 1024;
const photosProblem = (path: string, message: string) => validationFailed([{ path, message }]);

/**
 * The form of a multipart tip-off: its text fields (with `location` as GeoJSON text) become the
 * body the route's schema validates, its `photos` parts are read, size-limited and typed from
 * their bytes. Up to 3 photos of 10 MB, JPEG, PNG or WebP.
 */
async function readTipoffForm(request: FastifyRequest): Promise<{ body: Record<string, unknown>; photos: TipoffPhotoUpload[] }> {
  const body: Record<string, unknown> = {};
  const photos: TipoffPhotoUpload[] = [];
  const tooMany = () => photosProblem('body.photos', `at most ${MAX_TIPOFF_PHOTOS} photos`);
  try {
    const parts = request.parts({
      limits: { files: MAX_TIPOFF_PHOTOS + 1, fileSize: MAX_TIPOFF_PHOTO_BYTES, fields: 12, fieldSize: 16 * 1024, parts: 20 },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        const path = `body.photos.${photos.length}`;
        if (part.fieldname !== 'photos') throw photosProblem(`body.${part.fieldname}`, 'only `photos` may carry files');
        if (photos.length === MAX_TIPOFF_PHOTOS) throw tooMany();
        let data: Buffer;
        try {
          data = await part.toBuffer();
        } catch (error) {
          if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new AppError(413, 'too_large', `Photos are at most ${MB} MB`, [{ path, message: `at most ${MB} MB` }]);
          }
          throw error;
        }
        if (data.length === 0) throw photosProblem(path, 'the photo is empty');
        const type = sniffContentType(data);
        if (!type || !(TIPOFF_PHOTO_TYPES as readonly string[]).includes(type)) throw photosProblem(path, 'only JPEG, PNG or WebP photos');
        photos.push({ data, contentType: type as TipoffPhotoUpload['contentType'] });
      } else {
        const path = `body.${part.fieldname}`;
        if (part.valueTruncated) throw photosProblem(path, 'too long');
        if (typeof part.value !== 'string') continue;
        if (part.fieldname !== 'location') body[part.fieldname] = part.value;
        else {
          try {
            body.location = JSON.parse(part.value);
          } catch {
            throw photosProblem(path, 'a GeoJSON point as JSON text');
          }
        }
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') throw tooMany();
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw photosProblem('body', 'too many form fields');
    throw error;
  }
  const unstorable = findUnstorableText(body);
  if (unstorable) throw validationFailed([{ path: ['body', ...unstorable].join('.'), message: UNSTORABLE_MESSAGE } as FieldProblem]);
  return { body, photos };
}

export function registerTipoffRoutes(app: App, { tipoffsService, limits }: { tipoffsService: TipoffsService; limits: TipoffLimits }) {
  const photosOf = new WeakMap<FastifyRequest, TipoffPhotoUpload[]>();

  app.post('/api/public/tipoffs', {
    // No session is used: the report is made as the public whoever sends it, so a foreign page
    // posting it gains nothing a visitor could not do themselves (the CSRF guard leaves it be).
    config: { access: 'public', rateLimit: { max: limits.reportsPerHour, timeWindow: 3_600_000 } },
    schema: {
      operationId: 'createTipoff',
      tags: ['tipoffs'],
      summary: `Report a fire, illegal logging, occupied forest land or a wildlife crime, without an account (群众举报). JSON, or multipart/form-data with the same fields (\`location\` as GeoJSON text) and up to ${MAX_TIPOFF_PHOTOS} \`photos\` (JPEG, PNG or WebP, ${MB} MB each). Answers the tracking code for the status page; ${limits.reportsPerHour} reports per address and hour`,
      consumes: ['application/json', 'multipart/form-data'],
      body: CreateTipoffBody,
      response: { 201: TipoffCreated, 400: ErrorResponse, 413: ErrorResponse, 429: ErrorResponse },
    },
    preValidation: async (request) => {
      if (!request.isMultipart()) return;
      const { body, photos } = await readTipoffForm(request);
      (request as { body: unknown }).body = body;
      photosOf.set(request, photos);
    },
    handler: async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      const created = await tipoffsService.report(request.ip ?? null, request.body, photosOf.get(request) ?? []);
      return reply.status(201).send(created);
    },
  });

  app.get('/api/public/tipoffs/:trackingCode', {
    config: { access: 'public', rateLimit: { max: limits.statusChecksPerMinute, timeWindow: 60_000 } },
    schema: {
      operationId: 'getTipoffStatus',
      tags: ['tipoffs'],
      summary:
        'The progress of a tip-off by its tracking code (no account): its status in public words and the officers’ public replies, nothing else; 404 for any unknown code',
      params: TrackingCodeParams,
      response: { 200: PublicTipoffStatusView, 400: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse },
    },
    handler: async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return tipoffsService.publicStatus(request.params.trackingCode);
    },
  });

  app.get('/api/tipoffs', {
    config: { access: 'incidents:read' },
    schema: {
      operationId: 'listTipoffs',
      tags: ['tipoffs'],
      summary: 'Tip-offs from the public in your area, newest first: filter by category, unit subtree, tracking code, incident and time',
      querystring: ListTipoffsQuery,
      response: { 200: TipoffList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return tipoffsService.list(actorOf(request), filter, { page, pageSize });
    },
  });

  app.get('/api/tipoffs/:id', {
    config: { access: 'incidents:read' },
    schema: {
      operationId: 'getTipoff',
      tags: ['tipoffs'],
      summary: 'One tip-off with the reporter’s contact, photos and replies (the view is audited: the reporter’s identity is protected)',
      params: TipoffIdParams,
      response: { 200: Tipoff, ...errorResponses },
    },
    handler: (request) => tipoffsService.get(actorOf(request), request.params.id),
  });

  app.post('/api/tipoffs/:id/replies', {
    config: { access: 'incidents:write' },
    schema: {
      operationId: 'replyToTipoff',
      tags: ['tipoffs'],
      summary: 'Answer the reporter: the text is shown on the public status page of the tip-off',
      params: TipoffIdParams,
      body: CreateTipoffReplyBody,
      response: { 201: TipoffReply, ...errorResponses },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await tipoffsService.reply(actorOf(request), request.params.id, request.body.text)),
  });
}
