import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from './actor.js';
import type { Permission } from './auth/roles.js';
import { AppError, badRequest, type FieldProblem, forbidden, unauthenticated, validationFailed } from './errors.js';
import { findUnstorableText, UNSTORABLE_MESSAGE } from './text.js';

/** The Fastify instance every module registers its routes on (zod schemas as the type provider). */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * What a route requires: a permission code (`sites:read`, one of `PERMISSIONS`: a typo does not
 * compile), any signed-in user, or nothing. Every `/api` route must declare it; `buildApp`
 * refuses to start otherwise.
 */
export type RouteAccess = Permission | 'signed-in' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /**
     * The route speaks a device protocol that must not lose a fix over one stray attribute: it
     * cleans text PostgreSQL cannot store itself, instead of the request being refused.
     */
    cleansText?: true;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export const SESSION_COOKIE = 'sf_session';

/** The actor of a route that requires sign-in (the access hook has already ensured it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

/** The error shape of every failure, used in route response schemas. */
export const ErrorResponse = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .meta({ id: 'Error' });

/** Standard error responses to spread into a route's `response` schema. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
};

/** Installs the access check: resolves the actor from the session cookie and enforces the route's access. */
export function installAccessControl(app: App, resolveActor: (token: string, address: string | null) => Promise<Actor | null>) {
  app.decorateRequest('actor', null);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.access) {
      throw new Error(`Route ${route.method} ${route.url} does not declare its access`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access) return;
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.actor = await resolveActor(token, request.ip);
    if (access === 'public') return;
    if (!request.actor) throw unauthenticated();
    if (access === 'signed-in') return;
    if (!request.actor.permissions.has(access) && !request.actor.permissions.has('*')) throw forbidden(access);
  });
}

/**
 * Refuses, on every route, text PostgreSQL cannot store (U+0000, unpaired surrogates) anywhere in
 * the path parameters, the query or the body: a 400 naming the first such field, before the route's
 * own validation runs. One hook rather than a text type in each schema, so a new module cannot forget it.
 */
export function installTextGuard(app: App) {
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config?.cleansText) return;
    const parts: [string, unknown][] = [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ];
    for (const [where, value] of parts) {
      const path = findUnstorableText(value);
      if (path) throw validationFailed([{ path: [where, ...path].join('.'), message: UNSTORABLE_MESSAGE }]);
    }
  });
}

// What the multipart reader (busboy) says of a body it cannot read, and the file stream's error
// when the body ends inside a part: a broken upload, not a server fault.
const MALFORMED_MULTIPART =
  /Boundary not found|Unexpected end of multipart data|terminated early|Unsupported Content-Type|Missing Content-Type|Malformed/;

function isMalformedMultipart(request: FastifyRequest, error: { statusCode?: number; code?: string; message?: string }): boolean {
  if (error.statusCode !== undefined || !String(request.headers['content-type'] ?? '').startsWith('multipart/')) return false;
  return error.code === 'ERR_STREAM_PREMATURE_CLOSE' || MALFORMED_MULTIPART.test(error.message ?? '');
}

/**
 * Fastify's answer to a request it cannot route (a URL whose percent-encoding is not UTF-8), in
 * the one error shape; given to Fastify as `frameworkErrors`.
 */
export function answerFrameworkError(error: { message: string }, _request: FastifyRequest, reply: FastifyReply) {
  return reply
    .status(400)
    .send({ error: { code: 'bad_request', message: error.message, details: [{ path: 'params', message: error.message }] } });
}

/** Turns every error into the one error shape; bad input is a 400 with field paths, never a 500. */
export function installErrorHandler(app: App) {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details: FieldProblem[] = error.validation.map((v) => ({
        path: [error.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).send({
        error: { code: 'validation_failed', message: `Invalid ${details.map((d) => d.path).join(', ')}`, details },
      });
    }
    if (error instanceof AppError) {
      if (error.statusCode === 503) {
        const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        if (retry) reply.header('Retry-After', String(retry));
      }
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message, details: error.details } });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.status(500).send({ error: { code: 'internal', message: 'Internal error' } });
    }
    const e = error as { statusCode?: number; code?: string; message?: string };
    if (isMalformedMultipart(request, e)) {
      const message = `The upload is not a readable multipart form: ${e.message}`;
      return reply.status(400).send({ error: { code: 'bad_request', message, details: [{ path: 'body', message }] } });
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, wrong content type, body too large, rate limit…
      const code =
        e.statusCode === 429
          ? 'rate_limited'
          : e.statusCode === 413
            ? 'too_large'
            : e.statusCode === 415
              ? 'unsupported_media_type'
              : 'bad_request';
      return reply
        .status(e.statusCode)
        .send({ error: { code, message: e.message ?? 'Bad request', details: [{ path: 'body', message: e.message }] } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Internal error' } });
  });
}

/** The uploaded file of a multipart request (field `file`), or a 400 naming the field. */
export async function uploadedFile(request: FastifyRequest) {
  if (!request.isMultipart()) throw badRequest('Send the file as multipart/form-data', [{ path: 'body.file', message: 'required' }]);
  const file = await request.file();
  if (file?.fieldname !== 'file') throw badRequest('No file in the upload', [{ path: 'body.file', message: 'required' }]);
  const data = await file.toBuffer();
  if (data.length === 0) throw badRequest('The file is empty', [{ path: 'body.file', message: `${file.filename || 'file'} is empty` }]);
  return { data, name: (file.filename || 'file').slice(0, 200) };
}
