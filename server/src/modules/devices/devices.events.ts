import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';

/** Live events of devices (topic `devices`); every instance's ingest directory listens to them too. */
export const deviceEvents = defineEvents({
  'device.changed': {
    topic: 'devices',
    payload: z.object({ uniqueId: z.string() }),
    scopedBy: 'the org unit the device belongs to (its ranger’s unit when bound)',
  },
  'device.key_policy': {
    topic: 'devices',
    payload: z.object({ orgUnitId: z.number().int(), requireKeys: z.boolean() }),
    scopedBy: 'the county whose key policy changed',
  },
});
type DeviceEvents = typeof deviceEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends DeviceEvents {}
}

export const deviceEvent = eventsOf(deviceEvents);
