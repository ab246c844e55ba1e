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
