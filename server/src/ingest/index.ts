import type { App } from '../platform/http.js';
import { createPositionNetwork } from './ingest.js';
import { registerIngestRoutes } from './ingest.routes.js';

/** What the position network is created from (see ingest.ts). */
export type IngestModuleDeps = Parameters<typeof createPositionNetwork>[0];

/**
 * Device protocols into the position pipeline: the network (directory, pipeline, live feed,
 * analyzer loop) and the HTTP ingest routes. `serve` also opens the OsmAnd port and MQTT on it.
 */
export async function createIngestModule(deps: IngestModuleDeps) {
  const network = await createPositionNetwork(deps);
  return { name: 'ingest', network, registerRoutes: (app: App) => registerIngestRoutes(app, { ingest: network.ingest }) };
}
