import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';
import { Camera, CameraAlarm, CameraStatus } from './cameras.schema.js';

const scopedBy = 'the org unit the camera belongs to';

/** Live events of the camera register (topic `cameras`). */
export const cameraEvents = defineEvents({
  'camera.created': { topic: 'cameras', payload: z.object({ camera: Camera }), scopedBy },
  'camera.updated': { topic: 'cameras', payload: z.object({ camera: Camera }), scopedBy },
  'camera.deleted': { topic: 'cameras', payload: z.object({ camera: z.object({ id: z.string() }) }), scopedBy },
  'camera.status': {
    topic: 'cameras',
    payload: z.object({ cameraId: z.string(), status: CameraStatus, at: z.date() }),
    scopedBy,
  },
  'camera.alarm': { topic: 'cameras', payload: z.object({ alarm: CameraAlarm }), scopedBy },
  'cameras.imported': {
    topic: 'cameras',
    payload: z.object({ orgUnitId: z.number().int() }),
    scopedBy: 'the org unit a spreadsheet import wrote cameras into',
  },
});
type CameraEvents = typeof cameraEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends CameraEvents {}
}

export const cameraEvent = eventsOf(cameraEvents);
