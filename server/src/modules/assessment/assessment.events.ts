import { z } from 'zod';
import { defineEvents, eventsOf } from '../../platform/events.js';
import { ENTRY_STATUSES } from './assessment.schema.js';

/** Live events of the assessment year (topic `assessment`): the reviewers see self-checks arrive, the unit sees its result. */
export const assessmentEvents = defineEvents({
  'assessment.entry.changed': {
    topic: 'assessment',
    payload: z.object({
      entryId: z.uuid(),
      roundId: z.uuid(),
      status: z.enum(ENTRY_STATUSES),
      by: z.string().describe('the login name of who saved, submitted, reviewed or finalized it'),
    }),
    scopedBy: 'the assessed unit: its own accounts and the offices above it (who review it)',
  },
});
type AssessmentEvents = typeof assessmentEvents;
declare module '../../platform/events.js' {
  interface EventCatalogue extends AssessmentEvents {}
}

export const assessmentEvent = eventsOf(assessmentEvents);
