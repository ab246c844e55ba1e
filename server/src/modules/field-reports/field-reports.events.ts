import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';
import { FieldReport } from './field-reports.schema.js';

const scopedBy = 'the org unit the report belongs to';

/** Live events of field reports (topic `reports`). */
export const fieldReportEvents = defineEvents({
  'report.created': { topic: 'reports', payload: z.object({ report: FieldReport }), scopedBy },
  'report.updated': { topic: 'reports', payload: z.object({ report: FieldReport }), scopedBy },
});
type FieldReportEvents = typeof fieldReportEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends FieldReportEvents {}
}

export const fieldReportEvent = eventsOf(fieldReportEvents);
