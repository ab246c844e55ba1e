import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, real, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Road-checkpoint vehicle captures (卡口抓拍, notice clause 九). A city's checkpoints send hundreds
 * of thousands a day, so the table is PARTITIONED BY RANGE (captured_at), one partition a month
 * and a default one (`captures.partitions.ts` keeps them; the migration holds the DDL drizzle-kit
 * cannot write). This definition is for queries: keys and indexes include the partition key, as
 * PostgreSQL requires of a partitioned table. No foreign keys: a capture names its checkpoint
 * (a site) and carries that site's unit and county code, so scope and county figures never join
 * the register. The snapshot lives in the capture store under `snapshot_key`, never in the row.
 */
export const captures = pgTable(
  'captures',
  {
    id: uuid('id').notNull().defaultRandom(),
    checkpointId: uuid('checkpoint_id').notNull(),
    orgUnitId: integer('org_unit_id').notNull(),
    countyCode: text('county_code'),
    plate: text('plate').notNull(),
    plateColor: text('plate_color').notNull(),
    vehicleType: text('vehicle_type'),
    direction: text('direction').notNull(),
    lane: smallint('lane'),
    speed: real('speed'),
    capturedAt: timestamp('captured_at', { withTimezone: true }).notNull(),
    snapshotKey: text('snapshot_key'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.capturedAt] }),
    // Idempotent ingest: the same passage sent twice is stored once.
    uniqueIndex('captures_passage_idx').on(t.checkpointId, t.capturedAt, t.plate),
    // Exact plates and prefixes (`云F12%`, and `云F_2345` up to its first unknown character) within each partition.
    index('captures_plate_idx').using('btree', sql`${t.plate} text_pattern_ops`, t.capturedAt),
    // Plates whose known end is longer than their known start (`云A?1234`, a misread third character):
    // the reversed plate turns the known end into a prefix.
    index('captures_plate_reversed_idx').using('btree', sql`reverse(${t.plate}) text_pattern_ops`, t.capturedAt),
    index('captures_org_unit_idx').on(t.orgUnitId, t.capturedAt),
    index('captures_captured_at_idx').on(t.capturedAt),
  ],
);
