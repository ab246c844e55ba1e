import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';

/**
 * What the live map receives for a device: its newest fix and what it is coloured by, at most once
 * a second per device. The state is never `silent`: the client decides that.
 */
export const LivePositionMessage = z.object({
  deviceId: z.string(),
  uniqueId: z.string(),
  rangerId: z.string().nullable(),
  fixTime: z.string(),
  lon: z.number(),
  lat: z.number(),
  speed: z.number().nullable(),
  course: z.number().nullable(),
  battery: z.number().nullable(),
  countyCode: z.string().nullable(),
  gridId: z.number().int().nullable(),
  inAssignedArea: z.boolean().nullable(),
  state: z.enum(['sos', 'patrolling', 'idle']),
});

/** Live events of positions (topic `positions`). */
export const positionEvents = defineEvents({
  position: {
    topic: 'positions',
    payload: LivePositionMessage,
    scopedBy: 'the org unit of the fix: the ranger’s assigned unit when the device was bound then, else the device’s own',
  },
});
type PositionEvents = typeof positionEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends PositionEvents {}
}

export const positionEvent = eventsOf(positionEvents);
