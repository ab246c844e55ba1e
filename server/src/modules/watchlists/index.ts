import type { App } from '../../platform/http.js';
import { createWatchlistsRepo } from './watchlists.repo.js';
import { registerWatchlistRoutes } from './watchlists.routes.js';
import { createWatchlistsService } from './watchlists.service.js';

export { normalizePlate, plateProblem } from './plates.js';
export { createWatchlistsRepo } from './watchlists.repo.js';
export type { Passage } from './watchlists.schema.js';
export type { WatchlistsService } from './watchlists.service.js';

/** What the watchlist module is created from: its service's narrow dependencies, less its own repo. */
export type WatchlistsModuleDeps = Omit<Parameters<typeof createWatchlistsService>[0], 'watchlistsRepo'>;

/** Watchlists (布控): the service with the in-memory matcher the capture ingest calls, and `/api/watchlists`. */
export function createWatchlistsModule(deps: WatchlistsModuleDeps) {
  const watchlistsService = createWatchlistsService({ ...deps, watchlistsRepo: createWatchlistsRepo() });
  return { name: 'watchlists', watchlistsService, registerRoutes: (app: App) => registerWatchlistRoutes(app, { watchlistsService }) };
}
