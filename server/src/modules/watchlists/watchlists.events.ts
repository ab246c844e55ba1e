import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';
import { WatchlistState } from './watchlists.schema.js';

/**
 * Live events of watchlists (topic `watchlists`): a watchlist created, approved, rejected or
 * revoked. Every instance's matcher reloads on it; pages refresh. A hit is an alert (topic `alerts`).
 */
export const watchlistEvents = defineEvents({
  'watchlist.changed': {
    topic: 'watchlists',
    payload: z.object({ watchlist: z.object({ id: z.string(), state: WatchlistState }) }),
    scopedBy: 'the org unit the watchlist belongs to (a county, or the city)',
  },
});
type WatchlistEvents = typeof watchlistEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends WatchlistEvents {}
}

export const watchlistEvent = eventsOf(watchlistEvents);
