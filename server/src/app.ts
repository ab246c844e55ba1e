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
import { type Config, DEFAULT_LOGIN_FAILURES_PER_MINUTE } from './config.js';
import type { DatabaseHandle } from './db/connection.js';
import { createIngestModule } from './ingest/index.js';
import { createAlertsModule } from './modules/alerts/index.js';
import { createAssessmentModule } from './modules/assessment/index.js';
import { createCamerasModule } from './modules/cameras/index.js';
import { createCapModule } from './modules/cap/index.js';
import { createCapturesModule, type SnapshotStore } from './modules/captures/index.js';
import { createCirclesModule } from './modules/circles/index.js';
import { createDevicesModule } from './modules/devices/index.js';
import { createDispatchModule } from './modules/dispatch/index.js';
import { createDutyReportModule } from './modules/duty-report/index.js';
import { createFieldReportsModule } from './modules/field-reports/index.js';
import { createGoalsModule } from './modules/goals/index.js';
import { createHotspotsModule } from './modules/hotspots/index.js';
import { createIncidentsModule } from './modules/incidents/index.js';
import { createIndicatorsModule } from './modules/indicators/index.js';
import { createNotificationsModule, createSecretBox, loadSecretsKey } from './modules/notifications/index.js';
import { createPatrolsModule } from './modules/patrols/index.js';
import { createPerformanceModule } from './modules/performance/index.js';
import { createPlansModule } from './modules/plans/index.js';
import { createPositionStore, createPositionsModule, createPositionsRepo } from './modules/positions/index.js';
import { trackRulesOf } from './modules/positions/track.js';
import { createRangersModule } from './modules/rangers/index.js';
import { createResponsibilitiesModule } from './modules/responsibilities/index.js';
import { createSitesModule } from './modules/sites/index.js';
import { createStationStandardsModule } from './modules/station-standards/index.js';
import { createTipoffsModule, type TipoffLimits } from './modules/tipoffs/index.js';
import { createWatchlistsModule } from './modules/watchlists/index.js';
import { createAuditModule } from './platform/audit/index.js';
import { createAuthModule } from './platform/auth/index.js';
import { createBasemapsModule } from './platform/basemaps/index.js';
import { createChangeRunner } from './platform/change.js';
import { installCsrfGuard, registerCsrfRoutes } from './platform/csrf.js';
import { EventBus } from './platform/events.js';
import { createFilesModule } from './platform/files/index.js';
import { type App, answerFrameworkError, installAccessControl, installErrorHandler, installTextGuard } from './platform/http.js';
import { createIndicatorRegistry } from './platform/indicators.js';
import { JobRegistry, registerJobRoutes } from './platform/jobs.js';
import { registerLiveRoutes } from './platform/live.js';
import { loggerOptions } from './platform/logging.js';
import type { AppModule } from './platform/module.js';
import { documentTransform } from './platform/openapi.js';
import { createOrgModule } from './platform/org/index.js';
import { installRateLimits } from './platform/rate-limit.js';
import { createSettingsModule, createSettingsRepo } from './platform/settings/index.js';
import { createSystemModule } from './platform/system/index.js';

export const VERSION = '0.1.0';

/** Public tip-offs per address and hour, status look-ups per address and minute. */
export const DEFAULT_TIPOFF_LIMITS: TipoffLimits = { reportsPerHour: 20, statusChecksPerMinute: 60 };

export type AppConfig = Pick<Config, 'logLevel' | 'cookieSecure' | 'sessionHours' | 'trustProxy' | 'tileUrl' | 'webDist' | 'dataDir'> & {
  /** Failed sign-ins per address and minute (`LOGIN_FAILURES_PER_MINUTE`); its default when left out. */
  loginFailuresPerMinute?: number;
  /** How often the timed analyzers run; 0 leaves them to be run by hand (tests). */
  analyzerIntervalMs: number;
  /** How often the delivery worker sends queued notifications; 0 or left out leaves it to be run by hand (tests). */
  notifyIntervalMs?: number;
  /** The key of stored integration secrets (`SECRETS_KEY`); left out, `secrets.key` in the data directory. */
  secretsKey?: string;
  /** Where log lines go instead of standard output (tests read them). */
  logStream?: NodeJS.WritableStream;
  /** How often a live socket checks that its session still holds (default 30 s). */
  liveSessionCheckMs?: number;
  /** Satellite hotspots polled from a folder or URL (off when left out or its interval is 0). */
  hotspotPoll?: Config['hotspotPoll'];
  /** Public tip-offs one client address may send in an hour (`PUBLIC_TIPOFFS_PER_HOUR`), and status look-ups a minute. */
  tipoffLimits?: Partial<TipoffLimits>;
  /** The address the public reaches SafeForest at (`PUBLIC_URL`): CAP alerts' sender and web link, the Atom feed's links. */
  publicUrl?: string;
  /** An S3-compatible store for capture snapshots (`CAPTURE_S3_*`); else `<dataDir>/captures`. */
  captureS3?: Config['captureS3'];
  /** A snapshot store to use instead (tests). */
  captureStore?: SnapshotStore;
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

/** Builds the whole application on an open database: plugins, then every listed module's routes. */
export async function buildApp(config: AppConfig, database: DatabaseHandle) {
  const app = createFastify(config);
  database.reportErrorsTo((err) => app.log.error({ err }, 'database connection error'));
  const platform = await createPlatform(config, database);
  const business = await createBusinessModules(database, platform, app, config);
  const { auth, basemaps } = platform;
  // Images and data come from this server and from the hosts of the basemap in force only.
  await business.cameras.camerasService.loadStreamOrigins();
  await registerPlugins(app, () => basemaps.basemapsService.tileOrigins().join(' '), business.cameras.camerasService.streamOrigins);
  installErrorHandler(app);
  installTextGuard(app);
  installAccessControl(app, (token, address) => auth.authService.actorOfSession(token, address));
  installCsrfGuard(app);

  // The modules, in the order their routes appear in the API document.
  const modules: AppModule[] = [
    platform.system,
    auth,
    platform.org,
    platform.audit,
    { name: 'jobs', registerRoutes: (a) => registerJobRoutes(a, { jobs: platform.jobs }) },
    { name: 'csrf', registerRoutes: registerCsrfRoutes },
    {
      name: 'live',
      registerRoutes: (a) =>
        registerLiveRoutes(a, {
          events: platform.events,
          actorOfSession: (token, address) => auth.authService.actorOfSession(token, address),
          sessionCheckMs: config.liveSessionCheckMs ?? 30_000,
        }),
    },
    business.sites,
    platform.files,
    basemaps,
    business.patrols,
    business.fieldReports,
    business.performance,
    business.devices,
    business.ingest,
    business.positions,
    business.alerts,
    createSettingsModule({ analyzers: business.alerts.analyzerSettings, hotspots: business.hotspots.hotspotSettings }),
    business.rangers,
    business.notifications,
    business.plans,
    business.incidents,
    business.dispatch,
    business.hotspots,
    business.tipoffs,
    business.cap,
    business.dutyReport,
    business.indicators,
    business.assessment,
    business.responsibilities,
    business.goals,
    business.stationStandards,
    business.cameras,
    business.watchlists,
    business.captures,
    business.circles,
  ];
  for (const module of modules) module.registerRoutes(app);

  const { network } = business.ingest;
  if (config.analyzerIntervalMs > 0)
    network.startAnalyzerLoop(config.analyzerIntervalMs, (err) => app.log.error({ err }, 'analyzer pass failed'));
  const { notificationsService } = business.notifications;
  // Started after the routes: its first pass sends what was left queued before a restart.
  if (config.notifyIntervalMs && config.notifyIntervalMs > 0)
    notificationsService.startWorker(config.notifyIntervalMs, (err) => app.log.error({ err }, 'notification delivery pass failed'));
  app.addHook('onClose', () => notificationsService.stopWorker());
  // Acknowledged fixes are written before the database closes.
  app.addHook('onClose', () => network.close());
  app.addHook('onClose', async () => business.dispatch.stopFollowing());
  app.addHook('onClose', () => basemaps.basemapsService.close());
  business.circles.watch.start();
  app.addHook('onClose', async () => business.circles.watch.stop());
  if (config.hotspotPoll) business.hotspots.poller.start(config.hotspotPoll);
  const { camerasService } = business.cameras;
  if (config.analyzerIntervalMs > 0)
    camerasService.startWatch(config.analyzerIntervalMs, (err) => app.log.error({ err }, 'checking for silent cameras failed'));
  app.addHook('onClose', async () => camerasService.stopWatch());
  app.addHook('onClose', () => business.hotspots.poller.stop());
  // Capture retention runs with the other timed work (off in tests and tools).
  if (config.analyzerIntervalMs > 0) {
    const stopPurge = business.captures.capturesService.startPurge(6 * 3600_000, (err) => app.log.error({ err }, 'capture purge failed'));
    app.addHook('onClose', async () => stopPurge());
  }

  serveWebClient(app, config.webDist);
  return {
    app,
    events: platform.events,
    jobs: platform.jobs,
    network,
    /** The indicator registry the modules with figures fill (tests may register their own). */
    indicators: platform.indicators,
    /** The hotspot poller (started here when configured; tests run its rounds by hand). */
    hotspotPoller: business.hotspots.poller,
    services: {
      authService: auth.authService,
      orgService: platform.org.orgService,
      sitesService: business.sites.sitesService,
      alertsService: business.alerts.alertsService,
      devicesService: business.devices.devicesService,
      positionsService: business.positions.positionsService,
      patrolsService: business.patrols.patrolsService,
      notificationsService,
      incidentsService: business.incidents.incidentsService,
      hotspotsService: business.hotspots.hotspotsService,
      camerasService: business.cameras.camerasService,
      watchlistsService: business.watchlists.watchlistsService,
      capturesService: business.captures.capturesService,
    },
  };
}

function createFastify(config: AppConfig): App {
  const app = Fastify({
    ...loggerOptions(config.logLevel, config.logStream ? { stream: config.logStream } : undefined),
    trustProxy: config.trustProxy,
    bodyLimit: 20 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  return app;
}

/** The pieces every module is handed (events, jobs, the change runner) and the platform modules. */
async function createPlatform(config: AppConfig, database: DatabaseHandle) {
  const { db } = database;
  const events = new EventBus();
  const jobs = new JobRegistry();
  // Filled by the business modules as they are created; read by the assessment.
  const indicators = createIndicatorRegistry();
  const audit = createAuditModule({ db });
  const runChange = createChangeRunner({ db, auditRepo: audit.auditRepo, events });
  const auth = createAuthModule({
    db,
    runChange,
    sessionHours: config.sessionHours,
    loginFailuresPerMinute: config.loginFailuresPerMinute ?? DEFAULT_LOGIN_FAILURES_PER_MINUTE,
    cookieSecure: config.cookieSecure,
  });
  const org = createOrgModule({ db });
  const files = createFilesModule({ db, runChange });
  const settingsRepo = createSettingsRepo();
  const basemaps = await createBasemapsModule({
    db,
    settingsRepo,
    runChange,
    events,
    storeDir: path.join(config.dataDir, 'basemaps'),
    envTileUrl: config.tileUrl,
  });
  const system = createSystemModule({ database, version: VERSION, basemapsService: basemaps.basemapsService });
  return { db, events, jobs, indicators, runChange, settingsRepo, audit, auth, org, files, basemaps, system };
}

/** The business modules and the position network, each handed only what it uses. */
async function createBusinessModules(
  database: DatabaseHandle,
  { db, events, jobs, indicators, runChange, settingsRepo, org, files }: Awaited<ReturnType<typeof createPlatform>>,
  app: App,
  config: AppConfig,
) {
  const { orgRepo } = org;
  // Tracks follow the analyzer settings of the moment (alerts is created below, read later).
  const trackRules = () => trackRulesOf(alerts.alertsService.settings());
  const sites = createSitesModule({ db, orgRepo, runChange, jobs, indicators });
  const patrols = createPatrolsModule({ db, orgRepo, runChange, trackRules });
  const performance = createPerformanceModule({ db, trackRules, indicators });
  const alerts = createAlertsModule({ db, settingsRepo, runChange, indicators });
  const notifications = createNotificationsModule({
    db,
    runChange,
    settingsRepo,
    secretBox: createSecretBox(() => loadSecretsKey({ envKey: config.secretsKey, dataDir: config.dataDir })),
  });
  const incidents = createIncidentsModule({
    db,
    orgRepo,
    filesRepo: files.filesRepo,
    alertsService: alerts.alertsService,
    outbox: notifications.notificationsService,
    runChange,
    indicators,
  });
  // An SOS opens an incident and resolving either resolves the other; incidents depend on alerts, so the linkage is handed back.
  alerts.alertsService.linkSos(incidents.incidentsService.sosLinkage);
  const fieldReports = createFieldReportsModule({
    db,
    patrolsRepo: patrols.patrolsRepo,
    filesRepo: files.filesRepo,
    incidents: incidents.incidentsService,
    runChange,
  });
  const rangers = createRangersModule({ db, orgRepo, runChange });
  const devices = createDevicesModule({ db, orgRepo, runChange });
  const positionsRepo = createPositionsRepo();
  const ingest = await createIngestModule({
    db,
    events,
    orgRepo,
    devices: devices.devicesService,
    positions: createPositionStore({ db, positionsRepo }),
    runChange,
    alertsService: alerts.alertsService,
    patrolsService: patrols.patrolsService,
    // Dispatch is created below (it reads positions); the pipeline calls it only once fixes arrive.
    arrivals: { check: (fixes) => dispatch.arrivals.check(fixes) },
    onError: (err) => app.log.error({ err }, 'opening a patrol on movement failed'),
    // PostgreSQL writes two batches at once on two backends; the embedded database runs one statement at a time.
    pipelineOptions: { concurrentCommits: database.mode === 'postgres' ? 2 : 1 },
  });
  const positions = createPositionsModule({
    db,
    positionsRepo,
    devicesRepo: devices.devicesRepo,
    devices: devices.devicesService,
    rangersRepo: rangers.rangersRepo,
    alertsService: alerts.alertsService,
    ingest: ingest.network.ingest,
    runChange,
  });
  const dispatch = await createDispatchModule({
    db,
    runChange,
    events,
    incidents: incidents.incidentsService,
    positions: positions.positionsService,
    sites: sites.sitesService,
    rangers: rangers.rangersService,
    onError: (err) => app.log.error({ err }, 'recording an arrival from positions failed'),
  });
  const hotspots = createHotspotsModule({
    db,
    orgRepo,
    filesRepo: files.filesRepo,
    settingsRepo,
    runChange,
    incidents: incidents.incidentsService,
    onPollError: (err) => app.log.error({ err }, 'polling satellite hotspots failed'),
    indicators,
  });
  const { incidentsService } = incidents;
  const tipoffs = createTipoffsModule({
    db,
    orgRepo,
    filesRepo: files.filesRepo,
    incidents: incidentsService,
    runChange,
    limits: { ...DEFAULT_TIPOFF_LIMITS, ...config.tipoffLimits },
  });
  const cap = createCapModule({
    db,
    incidents: incidentsService,
    outbox: notifications.notificationsService,
    runChange,
    publicUrl: config.publicUrl,
  });
  const plans = createPlansModule({
    db,
    orgRepo,
    runChange,
    incidents: incidents.incidentsService,
    notifications: notifications.notificationsService,
  });
  const dutyReport = createDutyReportModule({
    db,
    orgRepo,
    incidents: incidentsService,
    dispatch: dispatch.dispatchService,
    hotspots: hotspots.hotspotsService,
    alerts: alerts.alertsService,
    tipoffs: tipoffs.tipoffsService,
  });
  const stationStandards = createStationStandardsModule({ db, filesRepo: files.filesRepo, indicators, runChange });
  const circles = createCirclesModule({
    db,
    sites: sites.sitesService,
    orgRepo,
    settingsRepo,
    runChange,
    events,
    indicators,
    watchIntervalMs: config.analyzerIntervalMs > 0 ? 60_000 : 0,
    onWatchError: (err) => app.log.error({ err }, 'announcing mobile deployments failed'),
  });
  // After every module that contributes indicators: it lists what they registered.
  const indicatorRoutes = createIndicatorsModule({ db, registry: indicators });
  const assessment = createAssessmentModule({ db, runChange, indicators, filesRepo: files.filesRepo });
  const responsibilities = createResponsibilitiesModule({
    db,
    orgRepo,
    filesRepo: files.filesRepo,
    runChange,
    indicators,
    assessment: assessment.assessmentService,
  });
  const goals = createGoalsModule({ db, orgRepo, filesRepo: files.filesRepo, indicators, runChange });
  const cameras = createCamerasModule({
    db,
    orgRepo,
    sites: sites.sitesService,
    settingsRepo,
    filesRepo: files.filesRepo,
    alertsService: alerts.alertsService,
    incidents: incidentsService,
    keyPolicy: devices.devicesRepo,
    runChange,
    jobs,
    indicators,
  });
  const watchlists = createWatchlistsModule({
    db,
    orgRepo,
    runChange,
    events,
    alertsService: alerts.alertsService,
    incidents: incidentsService,
  });
  const captures = createCapturesModule({
    db,
    sites: sites.sitesService,
    watchlists: watchlists.watchlistsService,
    settingsRepo,
    runChange,
    dataDir: config.dataDir,
    s3: config.captureS3,
    store: config.captureStore,
  });
  return {
    assessment,
    sites,
    patrols,
    performance,
    fieldReports,
    rangers,
    devices,
    alerts,
    ingest,
    positions,
    incidents,
    dispatch,
    hotspots,
    tipoffs,
    cap,
    notifications,
    plans,
    dutyReport,
    indicators: indicatorRoutes,
    responsibilities,
    goals,
    stationStandards,
    cameras,
    watchlists,
    captures,
    circles,
  };
}

/** Security headers, cookies, forms, uploads, WebSockets and the API document with its UI. */
async function registerPlugins(app: App, tileOrigins: () => string, streamOrigins: () => string) {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', tileOrigins],
        // The registered cameras' stream servers (HLS and FLV are fetched by script, then played from blob: media).
        connectSrc: ["'self'", 'data:', 'blob:', tileOrigins, streamOrigins],
        mediaSrc: ["'self'", 'blob:', streamOrigins],
        workerSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: null,
      },
    },
  });
  await installRateLimits(app);
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
