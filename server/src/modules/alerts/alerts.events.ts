import { defineEvents, eventsOf } from '../../platform/events.js';
import { Alert } from './alerts.schema.js';

/** Live events of alerts (topic `alerts`): the alert as it now is, whenever it is raised or changes state. */
export const alertEvents = defineEvents({
  alert: { topic: 'alerts', payload: Alert, scopedBy: 'the org unit of the alert (its ranger’s assigned unit)' },
});
type AlertEvents = typeof alertEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends AlertEvents {}
}

export const alertEvent = eventsOf(alertEvents);
