/** A field that failed validation: `path` is the dotted path into the request, e.g. `body.location.coordinates`. */
export type FieldProblem = { path: string; message: string };

/** An error the API answers with a status and the one error shape `{ error: { code, message, details } }`. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: FieldProblem[]) => new AppError(400, 'bad_request', message, details);
export const validationFailed = (details: FieldProblem[]) =>
  new AppError(400, 'validation_failed', `Invalid ${details.map((d) => d.path).join(', ')}`, details);
export const unauthenticated = () => new AppError(401, 'unauthenticated', 'Sign in first');
export const forbidden = (permission?: string) =>
  new AppError(403, 'forbidden', permission ? `Missing permission ${permission}` : 'Not allowed', permission ? { permission } : undefined);
export const notFound = (entity: string) => new AppError(404, 'not_found', `${entity} not found`);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'conflict', message, details);
export const unavailable = (message: string, retryAfterSeconds: number) => new AppError(503, 'unavailable', message, { retryAfterSeconds });

/** The row a repo answered, or the standard 404 for `entity`: missing, deleted and outside the actor's scope look alike. */
export function found<T>(row: T | null | undefined, entity: string): T {
  if (row == null) throw notFound(entity);
  return row;
}

/**
 * The version check of an optimistic write: a 409 carrying the record's current version when the
 * client read an older one (no version sent: no check), so the client can reload and try again.
 */
export function assertVersion(message: string, record: { version: number }, expected: number | undefined) {
  if (expected !== undefined && record.version !== expected) throw conflict(message, { currentVersion: record.version });
}
