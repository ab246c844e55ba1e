import { type App, actorOf, errorResponses } from '../../platform/http.js';
import {
  CreateWatchlistBody,
  DecisionBody,
  HitList,
  ListHitsQuery,
  ListWatchlistsQuery,
  WatchlistDetail,
  WatchlistIdParams,
  WatchlistList,
} from './watchlists.schema.js';
import type { WatchlistsService } from './watchlists.service.js';

export function registerWatchlistRoutes(app: App, { watchlistsService }: { watchlistsService: WatchlistsService }) {
  app.get('/api/watchlists', {
    config: { access: 'watchlists:read' },
    schema: {
      operationId: 'listWatchlists',
      tags: ['watchlists'],
      summary: 'Watchlists (布控) of your area and the city-wide ones given to it: by state, active now, awaiting your decision, text',
      querystring: ListWatchlistsQuery,
      response: { 200: WatchlistList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return watchlistsService.list(actorOf(request), filter, { page, pageSize });
    },
  });

  app.post('/api/watchlists', {
    config: { access: 'watchlists:write' },
    schema: {
      operationId: 'createWatchlist',
      tags: ['watchlists'],
      summary:
        'File a watchlist: plates and patterns (? for one unknown character), reason, period; it belongs to your county or the city and is pending until the level above approves it',
      body: CreateWatchlistBody,
      response: { 201: WatchlistDetail, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await watchlistsService.create(actorOf(request), request.body)),
  });

  app.get('/api/watchlists/:id', {
    config: { access: 'watchlists:read' },
    schema: {
      operationId: 'getWatchlist',
      tags: ['watchlists'],
      summary: 'A watchlist with its entries, and whether you may decide it',
      params: WatchlistIdParams,
      response: { 200: WatchlistDetail, ...errorResponses },
    },
    handler: (request) => watchlistsService.get(actorOf(request), request.params.id),
  });

  for (const [action, summary] of [
    ['approve', 'Approve a pending watchlist (the level above its unit): it is active within its period'],
    ['reject', 'Reject a pending watchlist (the level above its unit), saying why'],
  ] as const) {
    app.post(`/api/watchlists/:id/${action}`, {
      config: { access: 'watchlists:approve' },
      schema: {
        operationId: `${action}Watchlist`,
        tags: ['watchlists'],
        summary,
        params: WatchlistIdParams,
        body: DecisionBody,
        response: { 200: WatchlistDetail, ...errorResponses },
      },
      handler: (request) => watchlistsService[action](actorOf(request), request.params.id, request.body.note, request.body.version),
    });
  }

  app.post('/api/watchlists/:id/revoke', {
    config: { access: 'watchlists:write' },
    schema: {
      operationId: 'revokeWatchlist',
      tags: ['watchlists'],
      summary: 'Withdraw a pending or approved watchlist of your area: it watches nothing any more',
      params: WatchlistIdParams,
      body: DecisionBody,
      response: { 200: WatchlistDetail, ...errorResponses },
    },
    handler: (request) => watchlistsService.revoke(actorOf(request), request.params.id, request.body.note, request.body.version),
  });

  app.get('/api/watchlist-hits', {
    config: { access: 'watchlists:read' },
    schema: {
      operationId: 'listWatchlistHits',
      tags: ['watchlists'],
      summary: 'Captures that hit a watchlist you see, newest first',
      querystring: ListHitsQuery,
      response: { 200: HitList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return watchlistsService.listHits(actorOf(request), filter, { page, pageSize });
    },
  });
}
