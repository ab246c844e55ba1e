/**
 * Cross-site request forgery. The session cookie is sent by the browser with any request to the
 * server, also one a foreign page makes (a form posting url-encoded, text/plain or multipart data,
 * which needs no CORS preflight). So a state-changing request authorised by the cookie must
 * - come from this site when the browser says where it comes from (`Origin`, else `Referer`), and
 * - either carry a JSON body (a foreign page cannot send `application/json` without a preflight,
 *   which this server never grants) or the `X-CSRF-Token` header, a token bound to the session.
 * Device ingest routes do not use the cookie and are not guarded.
 */
import { createHash } from 'node:crypto';
import Tokens from '@fastify/csrf';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from './errors.js';
import { type App, ErrorResponse, SESSION_COOKIE } from './http.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Guard a public route too (sign-in: login CSRF); routes that need a session are always guarded. */
    csrf?: boolean;
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const tokens = Tokens();

// The token's secret is derived from the session token, which the page cannot read (httpOnly):
// a token is valid for one session only and dies with it. The prefix keeps it apart from the
// session's stored hash.
const secretOf = (sessionToken: string) => createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');

/** A CSRF token for the session. */
export const csrfTokenFor = (sessionToken: string) => tokens.create(secretOf(sessionToken));

/**
 * Whether the browser says the request comes from this site: the host of `Origin` (else of
 * `Referer`) is the host the request was sent to. Requests with neither (device clients, curl)
 * are not from a browser page and pass.
 */
export function isSameOrigin(request: FastifyRequest): boolean {
  const claimed = request.headers.origin ?? request.headers.referer;
  if (claimed === undefined) return true;
  try {
    const from = new URL(claimed);
    // Read the Host header as a URL of the same scheme, so that `example.org:80` equals `example.org`.
    return from.host === new URL(`${from.protocol}//${request.host}`).host;
  } catch {
    return false; // `Origin: null` (sandboxed or file pages) and garbage
  }
}

const isJson = (request: FastifyRequest) => request.headers['content-type']?.split(';')[0].trim().toLowerCase() === 'application/json';

function hasValidToken(request: FastifyRequest): boolean {
  const session = request.cookies[SESSION_COOKIE];
  const token = request.headers[CSRF_HEADER];
  return Boolean(session && typeof token === 'string' && tokens.verify(secretOf(session), token));
}

/** Installs the guard on every state-changing request of a route that a session authorises. */
export function installCsrfGuard(app: App) {
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (!STATE_CHANGING.has(request.method) || !config?.access) return;
    if (config.access === 'public' && !config.csrf) return;
    if (!isSameOrigin(request)) {
      throw new AppError(403, 'cross_site_request', 'Requests from another site are refused', [
        { path: request.headers.origin === undefined ? 'headers.referer' : 'headers.origin', message: 'not this site' },
      ]);
    }
    if (isJson(request) || hasValidToken(request)) return;
    throw new AppError(
      403,
      'csrf_token_required',
      `A change needs a JSON body (application/json) or the ${CSRF_HEADER} header with a token from GET /api/auth/csrf`,
      [{ path: `headers.${CSRF_HEADER}`, message: 'missing or not valid for this session' }],
    );
  });
}

export function registerCsrfRoutes(app: App) {
  app.get('/api/auth/csrf', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getCsrfToken',
      tags: ['auth'],
      summary: `A token for the ${CSRF_HEADER} header, needed by changes that do not send JSON (uploads, bodyless requests); valid while the session lasts`,
      response: { 200: z.object({ token: z.string() }), 401: ErrorResponse },
    },
    handler: async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return { token: csrfTokenFor(request.cookies[SESSION_COOKIE] ?? '') };
    },
  });
}
