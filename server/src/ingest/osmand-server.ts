import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { AppError } from '../platform/errors.js';
import type { IngestService } from './ingest.service.js';
import { handleOsmAnd } from './osmand.js';

/**
 * The OsmAnd protocol on its own port (5055 by default), where Traccar Client and OsmAnd send
 * to `http://server:5055/?id=…&lat=…`: the same handler as `/api/ingest/osmand`.
 */
export async function startOsmAndServer(ingest: IngestService, options: { port: number; host: string; logger: FastifyBaseLogger | false }) {
  // Thousands of phones report here every few seconds: no log line per request, only failures.
  const server = Fastify({
    loggerInstance: options.logger || undefined,
    bodyLimit: 1024 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await server.register(fastifyFormbody);
  server.setErrorHandler((error: { statusCode?: number; message?: string; details?: unknown; code?: string }, request, reply) => {
    const status = error instanceof AppError ? error.statusCode : error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error, url: request.url }, 'OsmAnd request failed');
    if (status === 503) reply.header('Retry-After', '1');
    return reply.status(status).send({ error: { code: error.code ?? 'error', message: error.message, details: error.details } });
  });
  server.route({ method: ['GET', 'POST'], url: '/', handler: (request) => handleOsmAnd(ingest, request) });
  await server.listen({ port: options.port, host: options.host });
  const address = server.server.address();
  return { server, port: typeof address === 'object' && address ? address.port : options.port };
}
