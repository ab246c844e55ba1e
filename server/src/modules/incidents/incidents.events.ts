import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';
import { Incident } from './incidents.schema.js';

/** What happened to the incident an `incident` event carries (the webhooks word it as `incident.<change>`). */
export const INCIDENT_CHANGES = ['created', 'linked', 'updated', 'status', 'merged', 'split'] as const;

/** Live events of incidents (topic `incidents`): the incident as it now is, without the reporter's contact. */
export const incidentEvents = defineEvents({
  incident: {
    topic: 'incidents',
    payload: z.object({ change: z.enum(INCIDENT_CHANGES), incident: Incident }),
    scopedBy: 'the org unit of the incident (the deepest of grid, township and county holding its location; the city outside them)',
  },
});
type IncidentEvents = typeof incidentEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends IncidentEvents {}
}

export const incidentEvent = eventsOf(incidentEvents);
