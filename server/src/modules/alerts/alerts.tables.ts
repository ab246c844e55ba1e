import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../../platform/org/org.tables.js';

/**
 * Alerts raised by the analyzers (SOS, left the assigned area, silent, immobile, low battery):
 * new → acknowledged → resolved. At most one open alert per ranger and kind, so a burst of fixes
 * raises one alert, not hundreds.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    state: text('state').notNull().default('new'),
    rangerId: uuid('ranger_id'),
    deviceId: uuid('device_id'),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    countyCode: text('county_code'),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
    fixTime: timestamp('fix_time', { withTimezone: true }),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    details: jsonb('details'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    note: text('note'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('alerts_one_open_idx').on(t.rangerId, t.kind).where(sql`state <> 'resolved'`),
    index('alerts_org_unit_idx').on(t.orgUnitId, t.raisedAt),
    index('alerts_state_idx').on(t.state, t.raisedAt),
  ],
);
