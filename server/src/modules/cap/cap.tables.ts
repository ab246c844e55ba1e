import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../../platform/org/org.tables.js';
import { incidents } from '../incidents/incidents.tables.js';

/**
 * Every CAP 1.2 message SafeForest published about an incident (Alert, Update, Cancel), with its
 * XML exactly as served: what was published never changes afterwards, whatever becomes of the
 * incident. An incident is public while its latest message is not a Cancel.
 */
export const capMessages = pgTable(
  'cap_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    identifier: text('identifier').notNull().unique(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    /** The incident's unit when published (for the audit log; the messages themselves are public). */
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    msgType: text('msg_type').notNull(),
    sent: timestamp('sent', { withTimezone: true }).notNull(),
    /** `sender,identifier,sent` of the earlier messages referred to, space-separated (CAP `references`). */
    references: text('references'),
    headline: text('headline').notNull(),
    /** What the publisher chose (kept for the next Update): instruction and severity as written. */
    instruction: text('instruction').notNull(),
    severity: text('severity').notNull(),
    xml: text('xml').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('cap_messages_incident_idx').on(t.incidentId, t.sent)],
);
