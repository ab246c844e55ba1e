import { api, type JsonBody, type QueryOf, unwrap } from './client';

export type WatchlistQuery = QueryOf<'/api/watchlists', 'get'>;
export type CreateWatchlistInput = JsonBody<'/api/watchlists', 'post'>;

export const listWatchlists = (query: WatchlistQuery) => unwrap(api.GET('/api/watchlists', { params: { query } }));
export const getWatchlist = (id: string) => unwrap(api.GET('/api/watchlists/{id}', { params: { path: { id } } }));
export const createWatchlist = (body: CreateWatchlistInput) => unwrap(api.POST('/api/watchlists', { body }));
export const decideWatchlist = (id: string, action: 'approve' | 'reject' | 'revoke', body: { note?: string; version?: number }) => {
  const params = { path: { id } };
  if (action === 'approve') return unwrap(api.POST('/api/watchlists/{id}/approve', { params, body }));
  if (action === 'reject') return unwrap(api.POST('/api/watchlists/{id}/reject', { params, body }));
  return unwrap(api.POST('/api/watchlists/{id}/revoke', { params, body }));
};
export const listWatchlistHits = (query: QueryOf<'/api/watchlist-hits', 'get'>) =>
  unwrap(api.GET('/api/watchlist-hits', { params: { query } }));

export type Watchlist = Awaited<ReturnType<typeof listWatchlists>>['items'][number];
export type WatchlistDetail = Awaited<ReturnType<typeof getWatchlist>>;
export type WatchlistHit = Awaited<ReturnType<typeof listWatchlistHits>>['items'][number];
export type WatchlistState = Watchlist['state'];

export const WATCHLIST_STATES: WatchlistState[] = ['pending', 'approved', 'rejected', 'revoked'];
