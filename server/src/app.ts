import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/connection.js';
import { createSitesRepo } from './modules/sites/sites.repo.js';
import { registerSiteRoutes } from './modules/sites/sites.routes.js';
import { createSitesService } from './modules/sites/sites.service.js';
import { createAuditRepo } from './platform/audit/audit.repo.js';
import { registerAuditRoutes } from './platform/audit/audit.routes.js';
import { createAuthRepo } from './platform/auth/auth.repo.js';
import { registerAuthRoutes } from './platform/auth/auth.routes.js';
import { createAuthService } from './platform/auth/auth.service.js';
import { createChangeRunner } from './platform/change.js';
import { EventBus } from './platform/events.js';
import { type App, ErrorResponse, installAccessControl, installErrorHandler } from './platform/http.js';
import { JobRegistry, registerJobRoutes } from './platform/jobs.js';
import { registerLiveRoutes } from './platform/live.js';
import { createOrgRepo } from './platform/org/org.repo.js';
import { registerOrgRoutes } from './platform/org/org.routes.js';
import { createOrgService } from './platform/org/org.service.js';

export const VERSION = '0.1.0';

export type AppConfig = Pick<Config, 'logLevel' | 'cookieSecure' | 'sessionHours' | 'trustProxy' | 'tileUrl' | 'webDist'>;

/** Builds the whole application on an open database: plugins, then every module's routes. */
export async function buildApp(config: AppConfig, database: DatabaseHandle) {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 20 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
  }).withTypeProvider() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const { db } = database;
  const events = new EventBus();
  const jobs = new JobRegistry();
  const auditRepo = createAuditRepo();
  const runChange = createChangeRunner({ db, auditRepo, events });
  const authRepo = createAuthRepo();
  const orgRepo = createOrgRepo();
  const authService = createAuthService({ db, authRepo, auditRepo, runChange, sessionHours: config.sessionHours });
  const orgService = createOrgService({ db, orgRepo });
  const sitesService = createSitesService({ db, sitesRepo: createSitesRepo(), orgRepo, runChange, jobs });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:', 'http:'],
        connectSrc: ["'self'", 'ws:', 'wss:', 'https:', 'http:'],
        workerSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyWebsocket);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SafeForest API',
        version: VERSION,
        description: 'SafeForest 平安林区综合防控平台. Sign in at POST /api/auth/login; the session cookie authorises every other call.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sf_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  installErrorHandler(app);
  installAccessControl(app, (token, address) => authService.actorOfSession(token, address));

  app.get('/api/health', {
    config: { access: 'public' },
    schema: {
      operationId: 'getHealth',
      tags: ['system'],
      summary: 'Liveness and which database the server runs on',
      response: {
        200: z.object({ status: z.literal('ok'), database: z.enum(['embedded', 'postgres']), version: z.string(), postgis: z.string() }),
        503: ErrorResponse,
      },
    },
    handler: async () => {
      const { rows } = await database.pool.query<{ v: string }>('SELECT postgis_lib_version() AS v');
      return { status: 'ok' as const, database: database.mode, version: VERSION, postgis: rows[0].v };
    },
  });

  app.get('/api/settings/public', {
    config: { access: 'public' },
    schema: {
      operationId: 'getPublicSettings',
      tags: ['system'],
      summary: 'Settings the web client needs before sign-in (the optional raster basemap)',
      response: { 200: z.object({ tileUrl: z.string().nullable() }) },
    },
    handler: async () => ({ tileUrl: config.tileUrl ?? null }),
  });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  registerAuthRoutes(app, { authService, cookieSecure: config.cookieSecure });
  registerOrgRoutes(app, { orgService });
  registerAuditRoutes(app, { db, auditRepo });
  registerJobRoutes(app, { jobs });
  registerLiveRoutes(app, { events });
  registerSiteRoutes(app, { sitesService });

  serveWebClient(app, config.webDist);
  return { app, events, jobs, services: { authService, orgService, sitesService }, runChange };
}

/** Serves the built web client; unknown non-API paths get index.html so client routes work on reload. */
function serveWebClient(app: App, webDist: string) {
  const index = path.join(webDist, 'index.html');
  const built = fs.existsSync(index);
  if (built) void app.register(fastifyStatic, { root: webDist, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET' || !built) {
      return reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
    }
    return reply.type('text/html').send(fs.readFileSync(index));
  });
}
