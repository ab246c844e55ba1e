import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { plainArray } from '../../db/array-literal.js';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { unitOwned } from '../../platform/scope.js';
import { likePatternOf } from '../watchlists/plates.js';
import type { CaptureFilter } from './captures.schema.js';
import { captures } from './captures.tables.js';

/** A capture about to be stored; its id is made by the service so the hits can name it. */
export type CaptureRow = {
  id: string;
  checkpointId: string;
  orgUnitId: number;
  countyCode: string | null;
  plate: string;
  plateColor: string;
  vehicleType: string | null;
  direction: string;
  lane: number | null;
  speed: number | null;
  capturedAt: Date;
  snapshotKey: string | null;
};

/** A monthly partition: `captures_p2026_12` holds captures from the start of that month (China Standard Time) to the next. */
export type MonthPartition = { name: string; from: Date; to: Date };

const columns = {
  id: captures.id,
  checkpointId: captures.checkpointId,
  orgUnitId: captures.orgUnitId,
  countyCode: captures.countyCode,
  plate: captures.plate,
  plateColor: captures.plateColor,
  vehicleType: captures.vehicleType,
  direction: captures.direction,
  lane: captures.lane,
  speed: captures.speed,
  capturedAt: captures.capturedAt,
  snapshotKey: captures.snapshotKey,
};
export type StoredCapture = Omit<CaptureRow, 'plateColor' | 'direction'> & { plateColor: string; direction: string };

/**
 * Whether a LIKE pattern with unknown characters but no open end (`云A_1234`) has more known
 * characters after its last `_` than before its first, so the reversed plate narrows it more.
 */
function endKnownLonger(like: string): boolean {
  if (like.endsWith('%')) return false;
  const chars = [...like];
  return chars.length - 1 - chars.lastIndexOf('_') > chars.indexOf('_');
}

/** The conditions of a search: the actor's scope and the filter; the plate exact, as a prefix or with `?` (LIKE on the text_pattern_ops index, or on the reversed plate's). */
function searchConditions(actor: Actor, filter: CaptureFilter): SQL[] {
  const conditions: SQL[] = [unitOwned(actor, captures.orgUnitId)];
  if (filter.plate) {
    const like = likePatternOf(filter.plate, filter.match === 'prefix');
    conditions.push(like === null ? eq(captures.plate, filter.plate) : sql`${captures.plate} LIKE ${like}`);
    // The same condition on the reversed plate, for the reversed index, when the known end is longer than the known start.
    if (like !== null && endKnownLonger(like)) conditions.push(sql`reverse(${captures.plate}) LIKE ${[...like].reverse().join('')}`);
  }
  if (filter.from) conditions.push(gte(captures.capturedAt, filter.from));
  if (filter.to) conditions.push(lt(captures.capturedAt, filter.to));
  if (filter.checkpointId) conditions.push(eq(captures.checkpointId, filter.checkpointId));
  if (filter.plateColor) conditions.push(eq(captures.plateColor, filter.plateColor));
  if (filter.vehicleType) conditions.push(eq(captures.vehicleType, filter.vehicleType));
  if (filter.direction) conditions.push(eq(captures.direction, filter.direction));
  return conditions;
}

export function createCapturesRepo() {
  return {
    /**
     * Stores a batch in one statement; a capture stored before (same checkpoint, time and plate,
     * also twice in one batch) is skipped. Answers the ids of the rows it stored.
     */
    async insertBatch(tx: Tx, rows: CaptureRow[]): Promise<Set<string>> {
      if (rows.length === 0) return new Set();
      const plain = <K extends keyof CaptureRow>(key: K) => plainArray(rows, (r) => r[key] as string | number | Date | null);
      const text = <K extends keyof CaptureRow>(key: K) => sql.param(rows.map((r) => r[key] as string | null));
      const result = await tx.execute<{ id: string }>(sql`
        INSERT INTO captures (id, checkpoint_id, org_unit_id, county_code, plate, plate_color, vehicle_type, direction, lane, speed,
                              captured_at, snapshot_key)
        SELECT * FROM unnest(
          ${plain('id')}::uuid[], ${plain('checkpointId')}::uuid[], ${plain('orgUnitId')}::int[], ${text('countyCode')}::text[],
          ${text('plate')}::text[], ${plain('plateColor')}::text[], ${text('vehicleType')}::text[], ${plain('direction')}::text[],
          ${plain('lane')}::smallint[], ${plain('speed')}::real[], ${plain('capturedAt')}::timestamptz[], ${text('snapshotKey')}::text[])
        ON CONFLICT (checkpoint_id, captured_at, plate) DO NOTHING
        RETURNING id`);
      return new Set(result.rows.map((r) => r.id));
    },

    /**
     * One page of the captures the actor sees matching the filter, newest first, and how many match
     * up to `countLimit` + 1 (a wider search is reported as "more than").
     */
    async search(tx: Tx, actor: Actor, filter: CaptureFilter, window: { limit: number; offset: number }, countLimit: number) {
      const where = and(...searchConditions(actor, filter));
      const items = await tx
        .select(columns)
        .from(captures)
        .where(where)
        .orderBy(desc(captures.capturedAt), desc(captures.id))
        .limit(window.limit)
        .offset(window.offset);
      const counted = await tx.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${captures} WHERE ${where} LIMIT ${countLimit + 1}) q`,
      );
      return { items: items as StoredCapture[], total: counted.rows[0].n };
    },

    /** A capture the actor sees, or null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await tx
        .select(columns)
        .from(captures)
        .where(and(eq(captures.id, id), unitOwned(actor, captures.orgUnitId)));
      return (row as StoredCapture | undefined) ?? null;
    },

    /** A vehicle's passages the actor sees, in time order (a timeline and a path). */
    async passages(tx: Tx, actor: Actor, plate: string, range: { from?: Date; to?: Date }, window: { limit: number; offset: number }) {
      const conditions = [unitOwned(actor, captures.orgUnitId), eq(captures.plate, plate)];
      if (range.from) conditions.push(gte(captures.capturedAt, range.from));
      if (range.to) conditions.push(lt(captures.capturedAt, range.to));
      const rows = await tx
        .select(columns)
        .from(captures)
        .where(and(...conditions))
        .orderBy(captures.capturedAt)
        .limit(window.limit)
        .offset(window.offset);
      return rows as StoredCapture[];
    },

    /** The partitions of `captures` there are now, by name. */
    async partitionNames(tx: Tx): Promise<string[]> {
      const result = await tx.execute<{ name: string }>(sql`
        SELECT c.relname AS name FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'captures' AND p.relnamespace = to_regnamespace(current_schema())::oid`);
      return result.rows.map((r) => r.name);
    },

    /**
     * Creates a monthly partition unless it exists. Captures of that month that went to the default
     * partition before it existed are moved into it in the same transaction (PostgreSQL refuses a
     * new partition whose range the default partition holds rows of). A transaction-level advisory
     * lock keeps two instances from doing it at once.
     */
    async createMonthPartition(tx: Tx, p: MonthPartition) {
      if (!/^captures_p\d{4}_\d{2}$/.test(p.name)) throw new Error(`not a partition name: ${p.name}`);
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('captures.partitions'))`);
      const exists = await tx.execute(
        sql`SELECT 1 FROM pg_class WHERE relname = ${p.name} AND relnamespace = to_regnamespace(current_schema())::oid`,
      );
      if (exists.rows.length) return false;
      const from = p.from.toISOString();
      const to = p.to.toISOString();
      await tx.execute(sql`CREATE TEMP TABLE captures_moving ON COMMIT DROP AS
        WITH moved AS (DELETE FROM captures_default WHERE captured_at >= ${from}::timestamptz AND captured_at < ${to}::timestamptz RETURNING *)
        SELECT * FROM moved`);
      await tx.execute(sql.raw(`CREATE TABLE ${p.name} PARTITION OF captures FOR VALUES FROM ('${from}') TO ('${to}')`));
      await tx.execute(sql`INSERT INTO captures SELECT * FROM captures_moving`);
      await tx.execute(sql`DROP TABLE captures_moving`);
      return true;
    },

    /** Drops a monthly partition (every capture in it). */
    async dropPartition(tx: Tx, name: string) {
      if (!/^captures_p\d{4}_\d{2}$/.test(name)) throw new Error(`not a partition name: ${name}`);
      await tx.execute(sql.raw(`DROP TABLE IF EXISTS ${name}`));
    },

    /** Deletes the captures older than `before` that lie in the default partition; answers how many. */
    async deleteDefaultBefore(tx: Tx, before: Date) {
      const result = await tx.execute<{ n: number }>(
        sql`WITH gone AS (DELETE FROM captures_default WHERE captured_at < ${before.toISOString()}::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      );
      return result.rows[0].n;
    },

    /** How many captures a partition holds. */
    async countIn(tx: Tx, name: string) {
      if (!/^captures_(p\d{4}_\d{2}|default)$/.test(name)) throw new Error(`not a partition name: ${name}`);
      const result = await tx.execute<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${name}`));
      return result.rows[0].n;
    },
  };
}
export type CapturesRepo = ReturnType<typeof createCapturesRepo>;
