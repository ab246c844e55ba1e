#!/usr/bin/env node
/**
 * The SafeForest command line: `serve` (the default), `migrate`, `seed`, `user create`,
 * `user reset-password`. Configuration comes from the environment (see README.md).
 */
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/connection.js';
import { migrateDatabase, PostgisMissingError } from './db/migrate.js';
import { startMqttIngest } from './ingest/mqtt.js';
import { startOsmAndServer } from './ingest/osmand-server.js';
import { systemActor } from './platform/actor.js';
import { createAuditRepo } from './platform/audit/audit.repo.js';
import { createAuthRepo } from './platform/auth/auth.repo.js';
import { createAuthService } from './platform/auth/auth.service.js';
import { generatePassword } from './platform/auth/passwords.js';
import { createChangeRunner } from './platform/change.js';
import { AppError } from './platform/errors.js';
import { startEventBridge } from './platform/event-bridge.js';
import { EventBus } from './platform/events.js';
import { createOrgRepo } from './platform/org/org.repo.js';
import { DEMO_PASSWORD, seedDatabase } from './seed/seed.js';
import { osmandTarget, simulateCommand, startDemoSimulation } from './seed/simulate-commands.js';

const USAGE = `Usage: safeforest <command>

  serve                         start the server (default): migrate, seed on first start, listen on PORT
  migrate                       apply database migrations
  seed [--no-demo]              load the default Yuxi data into an empty database
  user create <username> --org <unit code> --role <role> [--role …] [--name <display name>] [--password <p>]
  user reset-password <username> [--password <p>]
  simulate [--url …] [--rangers N] [--interval s] …   walk demo rangers against a running server (simulate --help)

Environment: PORT, DATA_DIR, DATABASE_URL, DEMO_DATA, SIMULATE, LOG_LEVEL (see README.md).`;

async function openMigrated(): Promise<{ database: DatabaseHandle; config: ReturnType<typeof loadConfig> }> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateDatabase(database.db, database.pool);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, config };
}

async function serve() {
  const started = Date.now();
  const { database, config } = await openMigrated();
  const seed = await seedDatabase(database, { demo: config.demoData });
  const { app, events, network } = await buildApp(config, database);
  const stops: (() => Promise<void>)[] = [];
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // Protocol servers first, so nothing new is acknowledged; then the app flushes the pipeline.
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  if (database.mode === 'postgres') {
    const bridge = await startEventBridge(database.url, events, app.log);
    stops.push(() => bridge.stop());
  }
  const protocols: string[] = [];
  let osmandPort: number | null = null;
  if (config.osmandPort !== null) {
    const osmand = await startOsmAndServer(network.ingest, { port: config.osmandPort, host: config.host, logger: app.log });
    osmandPort = osmand.port;
    stops.push(() => osmand.server.close());
    protocols.push(`OsmAnd / Traccar Client on port ${osmand.port}`);
  }
  if (config.mqttUrl) {
    const mqtt = await startMqttIngest(network.ingest, { url: config.mqttUrl, clientId: config.mqttClientId, log: app.log });
    stops.push(() => mqtt.stop());
    protocols.push(`MQTT ${config.mqttUrl}`);
  }
  let simulationLine: string | null = null;
  if (config.simulate) {
    // Demo mode: rangers walk through the real OsmAnd port (or route); pushed last, so stopped first on shutdown.
    const httpPort = (app.server.address() as { port?: number } | null)?.port ?? config.port;
    const simulation = await startDemoSimulation({
      db: database.db,
      baseUrl: osmandTarget(config.host, httpPort, osmandPort),
      log: (message) => app.log.warn(message),
    }).catch((err: unknown) => {
      app.log.error({ err }, 'the demo simulation could not start');
      return null;
    });
    if (simulation) stops.push(() => simulation.stop());
    simulationLine = simulation?.description ?? 'SIMULATE is on but no demo rangers could be simulated (see the log).';
  }
  const address = `http://localhost:${config.port}`;
  const lines = [
    '',
    `SafeForest 平安林区综合防控平台 is running at ${address}  (API documents: ${address}/api/docs)`,
    `Positions: ${[...protocols, `HTTP ${address}/api/ingest/{osmand,owntracks,positions}`].join('; ')}`,
    `Database: ${database.mode === 'embedded' ? `embedded PostgreSQL + PostGIS in ${config.dataDir}` : 'PostgreSQL at DATABASE_URL'}; ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ];
  if (seed.adminPassword) {
    lines.push(`Sign in as admin with the password ${seed.adminPassword} — shown this once; you will be asked to change it.`);
  } else if (config.demoData) {
    lines.push(`Sign in as admin, city, hongta (or any county by pinyin), duty or ranger1 with the demo password ${DEMO_PASSWORD}.`);
  } else {
    lines.push('Sign in with your account; `npx safeforest user reset-password admin` sets a new administrator password.');
  }
  if (simulationLine) lines.push(simulationLine);
  console.log(`${lines.join('\n')}\n`);
}

async function withServices<T>(
  work: (s: {
    auth: ReturnType<typeof createAuthService>;
    actor: ReturnType<typeof systemActor>;
    orgRepo: ReturnType<typeof createOrgRepo>;
    database: DatabaseHandle;
  }) => Promise<T>,
) {
  const { database, config } = await openMigrated();
  try {
    const orgRepo = createOrgRepo();
    const root = await orgRepo.root(database.db);
    if (!root) throw new Error('The database has no org tree yet: run `safeforest seed` first');
    const auditRepo = createAuditRepo();
    const runChange = createChangeRunner({ db: database.db, auditRepo, events: new EventBus() });
    const auth = createAuthService({
      db: database.db,
      authRepo: createAuthRepo(),
      auditRepo,
      runChange,
      sessionHours: config.sessionHours,
      loginFailuresPerMinute: config.loginFailuresPerMinute,
    });
    return await work({ auth, actor: systemActor(root.path, root.id), orgRepo, database });
  } finally {
    await database.close();
  }
}

async function main(argv: string[]) {
  if (argv[0] === 'simulate') {
    const config = loadConfig();
    return simulateCommand(argv.slice(1), { port: config.port, osmandPort: config.osmandPort });
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      role: { type: 'string', multiple: true },
      name: { type: 'string' },
      password: { type: 'string' },
      demo: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command = 'serve', sub, arg] = positionals;
  if (values.help) return console.log(USAGE);
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate': {
      const { database } = await openMigrated();
      await database.close();
      return console.log('Migrations applied.');
    }
    case 'seed': {
      const { database } = await openMigrated();
      try {
        const outcome = await seedDatabase(database, { demo: !values['no-demo'] });
        if (!outcome.seeded) return console.log('The database already holds data; nothing was loaded.');
        console.log(
          outcome.adminPassword
            ? `Loaded. Administrator: admin / ${outcome.adminPassword} (shown once)`
            : `Loaded with demo data; demo password ${DEMO_PASSWORD}.`,
        );
      } finally {
        await database.close();
      }
      return;
    }
    case 'user': {
      if (!arg) throw new UsageError('Name the user');
      // A given password is checked against the policy by the service (too short, common, the username…).
      const password = values.password ?? generatePassword(arg);
      if (sub === 'create') {
        if (!values.org || !values.role?.length) throw new UsageError('user create needs --org <unit code> and --role <role>');
        await withServices(async ({ auth, actor, orgRepo, database }) => {
          const unit = await orgRepo.findByCode(database.db, values.org as string);
          if (!unit) throw new UsageError(`No org unit with code ${values.org}`);
          await auth.createUser(actor, {
            username: arg,
            displayName: values.name ?? arg,
            orgUnitId: unit.id,
            password,
            roleIds: values.role as string[],
            mustChangePassword: !values.password,
          });
        });
        return console.log(
          `Created ${arg} in ${values.org}${values.password ? '' : ` with the password ${password} (to be changed at first sign-in)`}.`,
        );
      }
      if (sub === 'reset-password') {
        await withServices(({ auth, actor }) => auth.resetPassword(actor, arg, password));
        return console.log(`New password for ${arg}: ${password} (to be changed at next sign-in).`);
      }
      throw new UsageError(`Unknown user command ${sub}`);
    }
    default:
      throw new UsageError(`Unknown command ${command}`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else if (
    error instanceof PostgisMissingError ||
    error instanceof AppError ||
    (error instanceof Error && error.message.startsWith('Invalid configuration'))
  )
    console.error(error.message);
  else console.error(error);
  process.exit(1);
});
