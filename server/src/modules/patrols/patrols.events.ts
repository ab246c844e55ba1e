import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';
import { Checkin, CheckinPoint, Patrol } from './patrols.schema.js';

const byPatrol = 'the org unit of the patrol (its ranger’s assigned unit when it started)';
const byPoint = 'the org unit the check-in point belongs to';

/** Live events of patrols and check-ins (topic `patrols`). */
export const patrolEvents = defineEvents({
  'patrol.started': { topic: 'patrols', payload: z.object({ patrol: Patrol }), scopedBy: byPatrol },
  'patrol.ended': { topic: 'patrols', payload: z.object({ patrol: Patrol }), scopedBy: byPatrol },
  'checkin_point.created': { topic: 'patrols', payload: z.object({ point: CheckinPoint }), scopedBy: byPoint },
  'checkin_point.deleted': { topic: 'patrols', payload: z.object({ point: z.object({ id: z.string() }) }), scopedBy: byPoint },
  'checkin.created': {
    topic: 'patrols',
    payload: z.object({ patrolId: z.string(), rangerId: z.string(), checkin: Checkin }),
    scopedBy: byPatrol,
  },
});
type PatrolEvents = typeof patrolEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends PatrolEvents {}
}

export const patrolEvent = eventsOf(patrolEvents);
