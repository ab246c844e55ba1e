import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { LogController } from 'fastify';
import pretty from 'pino-pretty';

/** A request slower than this is logged at `warn` whatever its status. */
export const SLOW_REQUEST_MS = 1000;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Request logging that stays quiet at the default level: every request at `debug`, client
 * errors (4xx) at `info`, slow requests at `warn`, server errors at `error`. Phones and the map
 * send a request every few seconds each; at `info` only what needs a look remains.
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const responseTime = reply.elapsedTime;
    const level = requestLogLevel(reply.statusCode, responseTime, Boolean(error));
    // Above debug the "incoming" line was not written, so the completion line names the request.
    const req = level === 'debug' ? undefined : { method: request.method, url: request.url, remoteAddress: request.ip };
    reply.log[level]({ req, res: reply, err: error ?? undefined, responseTime }, error ? 'request errored' : 'request completed');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) reply.log.error({ req: request, res: reply, err: error }, error?.message);
    else reply.log.debug({ res: reply, err: error }, error?.message);
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug(`Route ${request.method}:${request.url} not found`);
  }
}

/** The level of a finished request's log line. */
export function requestLogLevel(statusCode: number, responseTimeMs: number, failed: boolean): 'error' | 'warn' | 'info' | 'debug' {
  if (failed || statusCode >= 500) return 'error';
  if (responseTimeMs > SLOW_REQUEST_MS) return 'warn';
  if (statusCode >= 400) return 'info';
  return 'debug';
}

/**
 * Fastify's logger settings: readable lines (pino-pretty) when a person watches a terminal,
 * JSON lines otherwise (a service manager, a file, a log collector). Both write synchronously to
 * standard output (or `output.stream`), in order with the start-up lines and the banner.
 */
export function loggerOptions(
  level: LogLevel,
  output: { isTTY?: boolean; stream?: NodeJS.WritableStream } = { isTTY: process.stdout.isTTY },
): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  const logController = new RequestLogController();
  if (level === 'silent') return { logger: false, logController };
  const destination = output.stream ?? process.stdout;
  const stream = output.isTTY
    ? pretty({ destination, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', colorize: !output.stream })
    : destination;
  return { logger: { level, stream }, logController };
}
