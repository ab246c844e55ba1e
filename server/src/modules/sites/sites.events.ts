import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';
import { Site } from './sites.schema.js';

const scopedBy = 'the org unit the site belongs to (a site moved to another unit: deleted at the old one, updated at the new)';

/** Live events of the site register (topic `sites`). */
export const siteEvents = defineEvents({
  'site.created': { topic: 'sites', payload: z.object({ site: Site }), scopedBy },
  'site.updated': { topic: 'sites', payload: z.object({ site: Site }), scopedBy },
  'site.deleted': { topic: 'sites', payload: z.object({ site: z.object({ id: z.string() }) }), scopedBy },
  'sites.imported': {
    topic: 'sites',
    payload: z.object({ orgUnitId: z.number().int() }),
    scopedBy: 'the org unit a spreadsheet import wrote sites into',
  },
});
type SiteEvents = typeof siteEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends SiteEvents {}
}

export const siteEvent = eventsOf(siteEvents);
