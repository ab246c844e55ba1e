import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import { jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Config, DEFAULT_LOGIN_FAILURES_PER_MINUTE } from './config.js';
import type { DatabaseHandle } from './db/connection.js';
import { createPositionNetwork } from './ingest/ingest.js';
import { registerIngestRoutes } from './ingest/ingest.routes.js';
import { createAlertsRepo } from './modules/alerts/alerts.repo.js';
import { registerAlertRoutes } from './modules/alerts/alerts.routes.js';
import { createAlertsService } from './modules/alerts/alerts.service.js';
import { createDevicesRepo } from './modules/devices/devices.repo.js';
import { registerDeviceRoutes } from './modules/devices/devices.routes.js';
import { createDevicesService } from './modules/devices/devices.service.js';
import { createFieldReportsRepo } from './modules/field-reports/field-reports.repo.js';
import { registerFieldReportRoutes } from './modules/field-reports/field-reports.routes.js';
import { createFieldReportsService } from './modules/field-reports/field-reports.service.js';
import { createCheckinsRepo } from './modules/patrols/checkins.repo.js';
import { createCheckinsService } from './modules/patrols/checkins.service.js';
import { createPatrolsRepo } from './modules/patrols/patrols.repo.js';
import { registerPatrolRoutes } from './modules/patrols/patrols.routes.js';
import { createPatrolsService } from './modules/patrols/patrols.service.js';
import { createPlansRepo } from './modules/patrols/plans.repo.js';
import { createPlansService } from './modules/patrols/plans.service.js';
import { createPerformanceRepo } from './modules/performance/performance.repo.js';
import { registerPerformanceRoutes } from './modules/performance/performance.routes.js';
import { createPerformanceService } from './modules/performance/performance.service.js';
import { createPositionsRepo } from './modules/positions/positions.repo.js';
import { registerPositionRoutes } from './modules/positions/positions.routes.js';
import { createPositionStore, createPositionsService } from './modules/positions/positions.service.js';
import { trackRulesOf } from './modules/positions/track.js';
import { createRangersRepo } from './modules/rangers/rangers.repo.js';
import { registerRangerRoutes } from './modules/rangers/rangers.routes.js';
import { createRangersService } from './modules/rangers/rangers.service.js';
import { createSitesRepo } from './modules/sites/sites.repo.js';
import { registerSiteRoutes } from './modules/sites/sites.routes.js';
import { createSitesService } from './modules/sites/sites.service.js';
import { createAuditRepo } from './platform/audit/audit.repo.js';
import { registerAuditRoutes } from './platform/audit/audit.routes.js';
import { createAuthRepo } from './platform/auth/auth.repo.js';
import { registerAuthRoutes } from './platform/auth/auth.routes.js';
import { createAuthService } from './platform/auth/auth.service.js';
import { createBasemapsRepo } from './platform/basemaps/basemaps.repo.js';
import { registerBasemapRoutes } from './platform/basemaps/basemaps.routes.js';
import { MapBasemap } from './platform/basemaps/basemaps.schema.js';
import { createBasemapsService } from './platform/basemaps/basemaps.service.js';
import { createChangeRunner } from './platform/change.js';
import { installCsrfGuard, registerCsrfRoutes } from './platform/csrf.js';
import { EventBus } from './platform/events.js';
import { createFilesRepo } from './platform/files/files.repo.js';
import { registerFileRoutes } from './platform/files/files.routes.js';
import { createFilesService } from './platform/files/files.service.js';
import {
  type App,
  answerFrameworkError,
  ErrorResponse,
  installAccessControl,
  installErrorHandler,
  installTextGuard,
} from './platform/http.js';
import { JobRegistry, registerJobRoutes } from './platform/jobs.js';
import { registerLiveRoutes } from './platform/live.js';
import { loggerOptions } from './platform/logging.js';
import { documentTransform } from './platform/openapi.js';
import { createOrgRepo } from './platform/org/org.repo.js';
import { registerOrgRoutes } from './platform/org/org.routes.js';
import { createOrgService } from './platform/org/org.service.js';
import { createSettingsRepo } from './platform/settings/settings.repo.js';

export const VERSION = '0.1.0';

export type AppConfig = Pick<Config, 'logLevel' | 'cookieSecure' | 'sessionHours' | 'trustProxy' | 'tileUrl' | 'webDist' | 'dataDir'> & {
  /** Failed sign-ins per address and minute (`LOGIN_FAILURES_PER_MINUTE`); its default when left out. */
  loginFailuresPerMinute?: number;
  /** How often the timed analyzers run; 0 leaves them to be run by hand (tests). */
  analyzerIntervalMs: number;
  /** Where log lines go instead of standard output (tests read them). */
  logStream?: NodeJS.WritableStream;
  /** How often a live socket checks that its session still holds (default 30 s). */
  liveSessionCheckMs?: number;
};

/** The configuration of an app built for tests and tools: no logs, no timed work, no web build. */
export const QUIET_APP_CONFIG: AppConfig = {
  logLevel: 'silent',
  cookieSecure: 'auto',
  sessionHours: 12,
  trustProxy: false,
  tileUrl: undefined,
  webDist: '/nonexistent',
  dataDir: path.join(os.tmpdir(), 'safeforest-app'),
  analyzerIntervalMs: 0,
};

/** Builds the whole application on an open database: plugins, then every module's routes. */
export async function buildApp(config: AppConfig, database: DatabaseHandle) {
  const app = Fastify({
    ...loggerOptions(config.logLevel, config.logStream ? { stream: config.logStream } : undefined),
    trustProxy: config.trustProxy,
    bodyLimit: 20 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const { db } = database;
  database.reportErrorsTo((err) => app.log.error({ err }, 'database connection error'));
  const events = new EventBus();
  const jobs = new JobRegistry();
  const auditRepo = createAuditRepo();
  const runChange = createChangeRunner({ db, auditRepo, events });
  const authRepo = createAuthRepo();
  const orgRepo = createOrgRepo();
  const authService = createAuthService({
    db,
    authRepo,
    runChange,
    sessionHours: config.sessionHours,
    loginFailuresPerMinute: config.loginFailuresPerMinute ?? DEFAULT_LOGIN_FAILURES_PER_MINUTE,
  });
  const orgService = createOrgService({ db, orgRepo });
  const sitesService = createSitesService({ db, sitesRepo: createSitesRepo(), orgRepo, runChange, jobs });
  const filesRepo = createFilesRepo();
  const filesService = createFilesService({ db, filesRepo, runChange });
  const patrolsRepo = createPatrolsRepo();
  // Tracks follow the analyzer settings of the moment (alertsService is created below, read later).
  const trackRules = () => trackRulesOf(alertsService.settings());
  const patrolsService = createPatrolsService({ db, patrolsRepo, orgRepo, runChange, trackRules });
  const checkinsService = createCheckinsService({ db, checkinsRepo: createCheckinsRepo(), patrolsRepo, orgRepo, runChange });
  const plansService = createPlansService({ db, plansRepo: createPlansRepo(), orgRepo, runChange });
  const performanceService = createPerformanceService({ db, performanceRepo: createPerformanceRepo(), orgRepo, trackRules });
  const fieldReportsService = createFieldReportsService({
    db,
    fieldReportsRepo: createFieldReportsRepo(),
    patrolsRepo,
    filesRepo,
    orgRepo,
    runChange,
  });
  const rangersService = createRangersService({ db, rangersRepo: createRangersRepo(), orgRepo, runChange });
  const devicesRepo = createDevicesRepo();
  const devicesService = createDevicesService({ db, devicesRepo, orgRepo, runChange });
  const alertsRepo = createAlertsRepo();
  const alertsService = createAlertsService({ db, alertsRepo, settingsRepo: createSettingsRepo(), runChange });
  const positionsRepo = createPositionsRepo();
  const network = await createPositionNetwork({
    db,
    events,
    orgRepo,
    devices: devicesService,
    positions: createPositionStore({ db, positionsRepo }),
    runChange,
    alertsService,
    patrolsService,
    onError: (err) => app.log.error({ err }, 'opening a patrol on movement failed'),
    // PostgreSQL writes two batches at once on two backends; the embedded database runs one statement at a time.
    pipelineOptions: { concurrentCommits: database.mode === 'postgres' ? 2 : 1 },
  });
  const positionsService = createPositionsService({
    db,
    positionsRepo,
    devicesRepo,
    devices: devicesService,
    alertsService,
    ingest: network.ingest,
    runChange,
  });

  const basemapsService = createBasemapsService({
    db,
    basemapsRepo: createBasemapsRepo(),
    settingsRepo: createSettingsRepo(),
    runChange,
    events,
    storeDir: path.join(config.dataDir, 'basemaps'),
    envTileUrl: config.tileUrl,
  });
  await basemapsService.loadSetting();
  // Images and data come from this server and from the hosts of the basemap in force only.
  const tileOrigins = () => basemapsService.tileOrigins().join(' ');

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', tileOrigins],
        connectSrc: ["'self'", 'data:', 'blob:', tileOrigins],
        workerSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
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
    transform: documentTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  installErrorHandler(app);
  installTextGuard(app);
  installAccessControl(app, (token, address) => authService.actorOfSession(token, address));
  installCsrfGuard(app);

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
      summary: 'Settings the web client needs before sign-in (the basemap every map draws)',
      response: { 200: z.object({ basemap: MapBasemap }) },
    },
    handler: async () => ({ basemap: basemapsService.mapBasemap() }),
  });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  registerAuthRoutes(app, { authService, cookieSecure: config.cookieSecure });
  registerOrgRoutes(app, { orgService });
  registerAuditRoutes(app, { db, auditRepo });
  registerJobRoutes(app, { jobs });
  registerCsrfRoutes(app);
  registerLiveRoutes(app, {
    events,
    actorOfSession: (token, address) => authService.actorOfSession(token, address),
    sessionCheckMs: config.liveSessionCheckMs ?? 30_000,
  });
  registerSiteRoutes(app, { sitesService });
  registerFileRoutes(app, { filesService });
  registerBasemapRoutes(app, { basemapsService });
  registerPatrolRoutes(app, { patrolsService, checkinsService, plansService });
  registerFieldReportRoutes(app, { fieldReportsService });
  registerPerformanceRoutes(app, { performanceService });
  registerDeviceRoutes(app, { devicesService });
  registerIngestRoutes(app, { ingest: network.ingest });
  registerPositionRoutes(app, { positionsService });
  registerAlertRoutes(app, { alertsService });
  registerRangerRoutes(app, { rangersService });

  if (config.analyzerIntervalMs > 0)
    network.startAnalyzerLoop(config.analyzerIntervalMs, (err) => app.log.error({ err }, 'analyzer pass failed'));
  // Acknowledged fixes are written before the database closes.
  app.addHook('onClose', () => network.close());
  app.addHook('onClose', () => basemapsService.close());

  serveWebClient(app, config.webDist);
  return {
    app,
    events,
    jobs,
    network,
    services: { authService, orgService, sitesService, alertsService, devicesService, positionsService, patrolsService },
  };
}

/**
 * Serves the built web client; unknown non-API paths get index.html so client routes work on reload.
 * Files are sent as their build-time `.br`/`.gz` twins to browsers that accept them. Hashed build
 * output (`/assets/`) never changes under its name, so browsers keep it for a year; everything else
 * (index.html, the service worker, the manifest) is revalidated on every load, so a new build shows
 * at once.
 */
function serveWebClient(app: App, webDist: string) {
  const index = path.join(webDist, 'index.html');
  const built = fs.existsSync(index);
  const assets = path.join(webDist, 'assets') + path.sep;
  // wildcard: files built after the start are served too; a missing file falls through to index.html.
  if (built) {
    void app.register(fastifyStatic, {
      root: webDist,
      wildcard: true,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, filePath) => {
        res.setHeader('cache-control', filePath.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.setHeader('vary', 'accept-encoding');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET' || !built) {
      return reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
    }
    return reply.sendFile('index.html');
  });
}
