import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';
import { Assignment } from './dispatch.schema.js';

const scopedBy = 'the org unit of the incident the unit was sent to';

/** Live events of dispatch (topic `incidents`): the duty officer's map and the incident page follow each unit. */
export const dispatchEvents = defineEvents({
  'incident.assignment': {
    topic: 'incidents',
    payload: z.object({
      change: z.enum(['dispatched', 'status', 'arrived']).describe('arrived: on scene detected from the unit’s position'),
      incidentId: z.string(),
      incidentCode: z.string(),
      assignment: Assignment,
    }),
    scopedBy,
  },
});
type DispatchEvents = typeof dispatchEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends DispatchEvents {}
}

export const dispatchEvent = eventsOf(dispatchEvents);
