/**
 * The one request client of the web app: openapi-fetch typed by the generated `paths`, plus the
 * error envelope `{ error: { code, message, details } }` turned into a thrown `ApiError` and a 401
 * turned into a trip to the sign-in page.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ErrorEnvelope = Schemas['Error'];

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
/** The JSON request body of an operation, straight from the generated types. */
export type JsonBody<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
/** The query parameters of an operation. */
export type QueryOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** The JSON body of a successful (200/201/202) response. */
export type JsonResponse<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { responses: infer R }
    ? {
        [S in keyof R & (200 | 201 | 202)]: R[S] extends { content: { 'application/json': infer J } } ? J : never;
      }[keyof R & (200 | 201 | 202)]
    : never;

/** A field that failed validation, as the server reports it (`body.location`, `query.bbox`). */
export type FieldProblem = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The per-field problems of a 400 (`validation_failed` or `bad_request` with paths). */
  get fieldProblems(): FieldProblem[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldProblem => typeof d === 'object' && d !== null && typeof d.path === 'string' && typeof d.message === 'string',
    );
  }

  /**
   * Problems keyed by the form field they belong to: `body.location.coordinates` → `location`.
   * Problems without a body path are left out (show `message` for those).
   */
  fieldErrors(prefix = 'body'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.fieldProblems) {
      const parts = p.path.split('.');
      if (parts[0] !== prefix || parts.length < 2) continue;
      out[parts[1]] ??= p.message;
    }
    return out;
  }
}

let unauthenticatedHandler: () => void = () => {};

/** Registered once by main.ts: what to do when the session is gone (go to the sign-in page). */
export function onUnauthenticated(handler: () => void) {
  unauthenticatedHandler = handler;
}

/** A 401 outside sign-in means the session expired or was ended elsewhere. */
const sessionGuard: Middleware = {
  onResponse({ request, response }) {
    const url = new URL(request.url, window.location.origin);
    if (response.status === 401 && url.pathname !== '/api/auth/login' && url.pathname !== '/api/auth/me') {
      unauthenticatedHandler();
    }
    return undefined;
  },
};

/** Tells the app that the session is gone, as a 401 would (the live socket closed with "session ended"). */
export function sessionEnded() {
  unauthenticatedHandler();
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Responses after which the session (and so its CSRF token) is another one or none. */
const SESSION_PATHS = new Set(['/api/auth/login', '/api/auth/logout', '/api/auth/password']);
let csrfToken: Promise<string | undefined> | null = null;

/**
 * Every change carries the session's CSRF token (`X-CSRF-Token`, from GET /api/auth/csrf): the
 * server refuses changes that are neither JSON nor carry it, such as uploads and bodyless POSTs.
 * The token is fetched once per session and dropped when the session changes or a change is refused.
 */
const csrfGuard: Middleware = {
  async onRequest({ request }) {
    if (SAFE_METHODS.has(request.method)) return undefined;
    const path = new URL(request.url, window.location.origin).pathname;
    // Sign-in and the public routes (the tip-off) are made without a session: no token to fetch.
    if (path === '/api/auth/login' || path.startsWith('/api/public/')) return undefined;
    csrfToken ??= api.GET('/api/auth/csrf').then((r) => r.data?.token);
    const token = await csrfToken;
    if (!token) csrfToken = null;
    else request.headers.set('X-CSRF-Token', token);
    return request;
  },
  onResponse({ request, response }) {
    const path = new URL(request.url, window.location.origin).pathname;
    if (SESSION_PATHS.has(path) || response.status === 401 || (response.status === 403 && !SAFE_METHODS.has(request.method))) {
      csrfToken = null;
    }
    return undefined;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(sessionGuard);
api.use(csrfGuard);

function toApiError(error: unknown, response: Response): ApiError {
  const envelope = error as Partial<ErrorEnvelope> | undefined;
  if (envelope?.error && typeof envelope.error.code === 'string') {
    return new ApiError(response.status, envelope.error.code, envelope.error.message ?? response.statusText, envelope.error.details);
  }
  return new ApiError(response.status, `http_${response.status}`, typeof error === 'string' && error ? error : response.statusText);
}

type FetchResult = { data?: unknown; error?: unknown; response: Response };

/**
 * Awaits an openapi-fetch call and returns its data, or throws an `ApiError` built from the
 * envelope. Network failures become `ApiError` with code `network_error`.
 */
export async function unwrap<R extends FetchResult>(call: Promise<R>): Promise<Exclude<R['data'], undefined>> {
  let result: R;
  try {
    result = await call;
  } catch (error) {
    throw new ApiError(0, 'network_error', error instanceof Error ? error.message : String(error));
  }
  if (!result.response.ok) throw toApiError(result.error, result.response);
  return result.data as Exclude<R['data'], undefined>;
}

/** The message to show for any error thrown by a call. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
