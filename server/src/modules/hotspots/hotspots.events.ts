import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';

/** Live events of satellite hotspots (topic `hotspots`). */
export const hotspotEvents = defineEvents({
  'hotspots.imported': {
    topic: 'hotspots',
    payload: z.object({ imported: z.number().int() }),
    scopedBy: 'the org unit (grid, township or county) the new hotspots lie in; the city for those outside Yuxi',
  },
});
type HotspotEvents = typeof hotspotEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends HotspotEvents {}
}

export const hotspotEvent = eventsOf(hotspotEvents);
