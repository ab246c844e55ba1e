import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../../platform/org/org.tables.js';

/**
 * Watchlists (布控, notice clause 九): plates and plate patterns a county or the city watches for
 * a reason and a period. A watchlist is created `pending` and approved or rejected by the level
 * above its unit (the city for a county's; for the city's own, another officer of the city); only
 * an approved one inside its period is active. Its owner may revoke it.
 */
export const watchlists = pgTable(
  'watchlists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    reason: text('reason').notNull(),
    /** The county or the city the watchlist belongs to: it watches the checkpoints of that unit's subtree. */
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    ownerId: uuid('owner_id').notNull(),
    ownerUsername: text('owner_username').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
    state: text('state').notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('watchlists_org_unit_idx').on(t.orgUnitId),
    index('watchlists_state_idx').on(t.state, t.validTo),
    check('watchlists_state_check', sql`${t.state} IN ('pending', 'approved', 'rejected', 'revoked')`),
    check('watchlists_period_check', sql`${t.validFrom} < ${t.validTo}`),
  ],
);

/** A plate of a watchlist (`云FA2345`), or a pattern with `?` for one unknown character (`云F?2345`). */
export const watchlistEntries = pgTable(
  'watchlist_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    watchlistId: uuid('watchlist_id')
      .notNull()
      .references(() => watchlists.id, { onDelete: 'cascade' }),
    plate: text('plate').notNull(),
    note: text('note'),
  },
  (t) => [index('watchlist_entries_watchlist_idx').on(t.watchlistId)],
);

/** Counties a city-wide watchlist was given to: they see it and its hits at their checkpoints. */
export const watchlistShares = pgTable(
  'watchlist_shares',
  {
    watchlistId: uuid('watchlist_id')
      .notNull()
      .references(() => watchlists.id, { onDelete: 'cascade' }),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
  },
  (t) => [primaryKey({ columns: [t.watchlistId, t.orgUnitId] }), index('watchlist_shares_org_unit_idx').on(t.orgUnitId)],
);

/**
 * A capture that matched an active entry: what was seen where and when, the alert it raised and
 * the incident it opened. `org_unit_id` is the checkpoint's unit (who saw it); the watchlist's
 * unit owns the record through the watchlist.
 */
export const watchlistHits = pgTable(
  'watchlist_hits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    watchlistId: uuid('watchlist_id')
      .notNull()
      .references(() => watchlists.id),
    entryId: uuid('entry_id').notNull(),
    entryPlate: text('entry_plate').notNull(),
    captureId: uuid('capture_id').notNull(),
    plate: text('plate').notNull(),
    plateColor: text('plate_color').notNull(),
    checkpointId: uuid('checkpoint_id').notNull(),
    checkpointName: text('checkpoint_name').notNull(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    capturedAt: timestamp('captured_at', { withTimezone: true }).notNull(),
    alertId: uuid('alert_id'),
    incidentId: uuid('incident_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('watchlist_hits_watchlist_idx').on(t.watchlistId, t.capturedAt),
    index('watchlist_hits_org_unit_idx').on(t.orgUnitId, t.capturedAt),
  ],
);
