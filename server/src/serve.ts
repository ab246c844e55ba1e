/**
 * `safeforest serve`: migrations, first-start data, the web UI and API, the device protocols and
 * the demo simulation, one line of progress per phase and the sign-in banner last. Loaded by
 * main.ts while the embedded database starts in its worker thread, so the two overlap.
 */
import { buildApp } from './app.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/connection.js';
import { migrateDatabase } from './db/migrate.js';
import { startOsmAndServer } from './ingest/osmand-server.js';
import { asPortError, type ListenPort } from './platform/ports.js';
import { DEMO_PASSWORD, seedDatabase } from './seed/seed.js';
import { loopbackOf, osmandTarget, startDemoSimulation, startDemoTraffic } from './seed/simulate-commands.js';

export type Progress = (line: string) => void;

/** Starts serving on the database that `opening` resolves to; `stops` receives what shutdown must close besides it. */
export async function serve(
  config: Config,
  opening: Promise<DatabaseHandle>,
  ports: { http: ListenPort; osmand: ListenPort | null },
  progress: Progress,
  stops: (() => Promise<void>)[],
  started: number,
) {
  let since = Date.now();
  const step = (line: string) => {
    progress(`${line} in ${((Date.now() - since) / 1000).toFixed(1)} s`);
    since = Date.now();
  };
  const database = await opening; // main.ts closes it on shutdown
  step(database.mode === 'embedded' ? `opened the embedded PostgreSQL + PostGIS in ${config.dataDir}` : 'connected to DATABASE_URL');
  await migrateDatabase(database.db, database.pool);
  step('checked the migrations');
  const seed = await seedDatabase(database, { demo: config.demoData });
  if (seed.seeded) step(seed.demo ? 'loaded the demo accounts, sites, rangers and devices' : 'created the administrator account');
  const { app, events, network } = await buildApp(config, database);
  stops.push(() => app.close());
  await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
    throw asPortError(error, ports.http, config.host);
  });
  const httpPort = (app.server.address() as { port?: number } | null)?.port ?? config.port;
  step(`serving the web UI and the API on port ${httpPort}`);
  if (database.mode === 'postgres') {
    const { startEventBridge } = await import('./platform/event-bridge.js');
    const bridge = await startEventBridge(database.url, events, app.log);
    stops.push(() => bridge.stop());
  }
  const protocols: string[] = [];
  let osmandPort: number | null = null;
  if (ports.osmand) {
    const osmand = await startOsmAndServer(network.ingest, { port: ports.osmand.port, host: config.host, logger: app.log }).catch(
      (error: unknown) => {
        throw asPortError(error, ports.osmand as ListenPort, config.host);
      },
    );
    osmandPort = osmand.port;
    stops.push(() => osmand.server.close());
    protocols.push(`OsmAnd / Traccar Client on port ${osmand.port}`);
  }
  if (config.mqttUrl) {
    // The MQTT client library is loaded only when an MQTT broker is configured.
    const { startMqttIngest } = await import('./ingest/mqtt.js');
    const mqtt = await startMqttIngest(network.ingest, { url: config.mqttUrl, clientId: config.mqttClientId, log: app.log });
    stops.push(() => mqtt.stop());
    protocols.push(`MQTT ${config.mqttUrl}`);
  }
  let simulationLine: string | null = null;
  if (config.simulate) {
    // Demo mode: rangers walk through the real OsmAnd port (or route); pushed last, so stopped first on shutdown.
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
    // Road-checkpoint captures through the real ingest route, as the city's checkpoint platform account.
    const traffic = await startDemoTraffic({
      db: database.db,
      apiUrl: `http://${loopbackOf(config.host)}:${httpPort}`,
      log: (message) => app.log.warn(message),
    }).catch((err: unknown) => {
      app.log.error({ err }, 'the demo traffic could not start');
      return null;
    });
    if (traffic) {
      stops.push(() => traffic.stop());
      simulationLine += `\n${traffic.description}`;
    }
  }
  const address = `http://localhost:${httpPort}`;
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
  return app;
}
