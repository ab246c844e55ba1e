#!/usr/bin/env node
/**
 * The SafeForest command line: `serve` (the default), `migrate`, `seed`, `user create`,
 * `user reset-password`. Configuration comes from the environment (see README.md).
 */
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/connection.js';
import { isDataDirectory } from './db/embedded.js';
import { migrateDatabase, PostgisMissingError } from './db/migrate.js';
import type { createAuthService } from './platform/auth/auth.service.js';
import { AppError } from './platform/errors.js';
import type { createOrgRepo } from './platform/org/org.repo.js';
import { assertPortsFree, type ListenPort, PortInUseError } from './platform/ports.js';
import { findTemplate } from './seed/template.js';

// The application's modules are imported where a command needs them: `serve` loads them while the
// embedded database starts in its worker thread.

const USAGE = `Usage: safeforest <command>

  serve                         start the server (default): migrate, seed on first start, listen on PORT
  migrate                       apply database migrations
  seed [--no-demo]              load the default Yuxi data into an empty database
  user create <username> --org <unit code> --role <role> [--role …] [--name <display name>] [--password <p>]
  user reset-password <username> [--password <p>]
  simulate [--url …] [--rangers N] [--interval s] …   walk demo rangers against a running server (simulate --help)

Environment: PORT, DATA_DIR, DATABASE_URL, DEMO_DATA, SIMULATE, LOG_LEVEL (see README.md).`;

async function openMigrated(): Promise<{ database: DatabaseHandle; config: Config }> {
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

const progress = (line: string) => console.log(`SafeForest: ${line}`);
let shuttingDown = false;

/**
 * `serve`: checks the ports before any slow work, opens the database (a new embedded one starts
 * as a copy of the prepared database), and stops everything it started on SIGTERM or SIGINT,
 * including while it is still starting.
 */
async function serveCommand() {
  const started = Date.now();
  const config = loadConfig();
  const ports: { http: ListenPort; osmand: ListenPort | null } = {
    http: { port: config.port, variable: 'PORT', purpose: 'the web UI and the API' },
    osmand:
      config.osmandPort === null
        ? null
        : { port: config.osmandPort, variable: 'OSMAND_PORT', purpose: 'the OsmAnd / Traccar Client device protocol' },
  };
  await assertPortsFree(ports.osmand ? [ports.http, ports.osmand] : [ports.http], config.host);

  const stops: (() => Promise<void>)[] = [];
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    progress(`stopping (${signal})`);
    // Last started, first stopped: the simulation and protocol servers before the app flushes the pipeline, the database last.
    for (const stop of stops.reverse()) await stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let template: string | null = null;
  if (!config.databaseUrl && !isDataDirectory(config.dataDir)) {
    const variant = config.demoData ? 'demo' : 'territory';
    template = findTemplate(variant);
    if (!template) {
      progress('preparing the embedded database once (PostGIS, migrations, territory; a minute or two)…');
      const { buildTemplate } = await import('./seed/template-build.js');
      template = await buildTemplate(variant, (line) => progress(`  ${line}`)).catch((err: unknown) => {
        progress(`could not keep a prepared copy (${err instanceof Error ? err.message : err}); creating the database in place`);
        return null;
      });
    }
    if (template) progress(`new data directory ${config.dataDir}: starting from the prepared database`);
  }
  const opening = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, template });
  // Closed last, and also when a signal comes while the database is still starting.
  stops.unshift(() => opening.then((database) => database.close()));
  const { serve } = await import('./serve.js');
  await serve(config, opening, ports, progress, stops, started);
}

async function withServices<T>(
  work: (s: {
    auth: ReturnType<typeof createAuthService>;
    actor: Awaited<ReturnType<typeof import('./platform/actor.js')['systemActor']>>;
    orgRepo: ReturnType<typeof createOrgRepo>;
    database: DatabaseHandle;
  }) => Promise<T>,
) {
  const [{ systemActor }, { createAuditRepo }, { createAuthRepo }, { createAuthService }, { createChangeRunner }, { EventBus }, org] =
    await Promise.all([
      import('./platform/actor.js'),
      import('./platform/audit/audit.repo.js'),
      import('./platform/auth/auth.repo.js'),
      import('./platform/auth/auth.service.js'),
      import('./platform/change.js'),
      import('./platform/events.js'),
      import('./platform/org/org.repo.js'),
    ]);
  const { database, config } = await openMigrated();
  try {
    const orgRepo = org.createOrgRepo();
    const root = await orgRepo.root(database.db);
    if (!root) throw new Error('The database has no org tree yet: run `safeforest seed` first');
    const runChange = createChangeRunner({ db: database.db, auditRepo: createAuditRepo(), events: new EventBus() });
    const auth = createAuthService({
      db: database.db,
      authRepo: createAuthRepo(),
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
    const { simulateCommand } = await import('./seed/simulate-commands.js');
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
      return serveCommand();
    case 'migrate': {
      const { database } = await openMigrated();
      await database.close();
      return console.log('Migrations applied.');
    }
    case 'seed': {
      const { seedDatabase, DEMO_PASSWORD } = await import('./seed/seed.js');
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
      const { generatePassword } = await import('./platform/auth/passwords.js');
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
  else if (shuttingDown)
    return; // a signal ended the start; shutdown exits
  else if (
    error instanceof PortInUseError ||
    error instanceof PostgisMissingError ||
    error instanceof AppError ||
    (error instanceof Error && error.message.startsWith('Invalid configuration'))
  )
    console.error(error.message);
  else console.error(error);
  process.exit(1);
});
