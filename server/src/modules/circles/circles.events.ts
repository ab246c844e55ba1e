import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';

export const CIRCLE_CHANGES = [
  'members_added',
  'member_removed',
  'deployment_recorded',
  'deployment_cancelled',
  'deployment_started',
  'deployment_ended',
] as const;

/** Live events of the prevention circles (topic `circles`): a map showing the ring reloads it. */
export const circleEvents = defineEvents({
  'circle.changed': {
    topic: 'circles',
    payload: z.object({ circleId: z.number().int(), change: z.enum(CIRCLE_CHANGES) }),
    scopedBy: 'the county whose ring it is; for the city ring, every county (each county sees the city ring)',
  },
});
type CircleEvents = typeof circleEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends CircleEvents {}
}

export const circleEvent = eventsOf(circleEvents);
