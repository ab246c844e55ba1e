import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';
import { Ranger } from './rangers.schema.js';

const scopedBy = 'the ranger’s assigned unit (a ranger moved to another unit: deleted at the old one, updated at the new)';

/** Live events of the ranger register (topic `rangers`). */
export const rangerEvents = defineEvents({
  'ranger.created': { topic: 'rangers', payload: z.object({ ranger: Ranger }), scopedBy },
  'ranger.updated': { topic: 'rangers', payload: z.object({ ranger: Ranger }), scopedBy },
  'ranger.deleted': { topic: 'rangers', payload: z.object({ ranger: z.object({ id: z.string() }) }), scopedBy },
});
type RangerEvents = typeof rangerEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends RangerEvents {}
}

export const rangerEvent = eventsOf(rangerEvents);
