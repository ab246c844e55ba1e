import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';
import { LiveDevice } from './positions.schema.js';

/**
 * What the live map receives for a device: its newest fix and what it is coloured by, at most once
 * a second per device. The state is never `silent`: the client decides that.
 */
export const LivePositionMessage = LiveDevice.pick({
  deviceId: true,
  uniqueId: true,
  rangerId: true,
  lon: true,
  lat: true,
  speed: true,
  course: true,
  battery: true,
  countyCode: true,
  gridId: true,
  inAssignedArea: true,
}).extend({ fixTime: z.string().describe('ISO 8601'), state: z.enum(['sos', 'patrolling', 'idle']) });

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
