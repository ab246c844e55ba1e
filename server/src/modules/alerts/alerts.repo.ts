import { and, desc, eq, gte, inArray, lt, ne, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { plainArray } from '../../db/array-literal.js';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { users } from '../../platform/auth/auth.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, rangerOwned, type Scope } from '../../platform/scope.js';
import { rangers } from '../rangers/rangers.tables.js';
import type { Alert, AlertCandidate, AlertNoteCode } from './alerts.schema.js';
import { alerts } from './alerts.tables.js';

/** An alert of the scope: its unit is in it, or its ranger is (platform/scope.ts). */
const alertOfScope = (scope: Scope): SQL => rangerOwned(scope, alerts.orgUnitId, alerts.rangerId);

const acknowledger = alias(users, 'acknowledger');
const resolver = alias(users, 'resolver');

/**
 * The sentences an older SafeForest stored as the note of the alerts it resolved itself, and the
 * code each now reads as; new rows store the code (`details.resolution.code`) and no note.
 */
const LEGACY_SYSTEM_NOTES: Record<string, AlertNoteCode> = {
  'back inside the assigned area': 'back_in_area',
  'battery recharged': 'battery_recharged',
};
const legacyCode = sql.join(
  [sql`CASE ${alerts.note}`, ...Object.entries(LEGACY_SYSTEM_NOTES).map(([note, code]) => sql`WHEN ${note} THEN ${code}`), sql`END`],
  sql` `,
);
const isLegacySystemNote = sql`(${alerts.resolvedBy} = 'system' AND ${alerts.details}->'resolution' IS NULL AND ${legacyCode} IS NOT NULL)`;

const alertColumns = {
  id: alerts.id,
  kind: alerts.kind,
  state: alerts.state,
  rangerId: alerts.rangerId,
  rangerName: rangers.name,
  deviceId: alerts.deviceId,
  orgUnitId: alerts.orgUnitId,
  orgUnitName: orgUnits.name,
  orgPath: orgUnits.path,
  countyCode: alerts.countyCode,
  raisedAt: alerts.raisedAt,
  fixTime: alerts.fixTime,
  lon: alerts.lon,
  lat: alerts.lat,
  details: alerts.details,
  acknowledgedAt: alerts.acknowledgedAt,
  acknowledgedBy: alerts.acknowledgedBy,
  acknowledgedByName: acknowledger.displayName,
  resolvedAt: alerts.resolvedAt,
  resolvedBy: alerts.resolvedBy,
  resolvedByName: resolver.displayName,
  note: sql<string | null>`CASE WHEN ${isLegacySystemNote} THEN NULL ELSE ${alerts.note} END`,
  noteCode: sql<AlertNoteCode | null>`COALESCE(${alerts.details}->'resolution'->>'code', CASE WHEN ${isLegacySystemNote} THEN ${legacyCode} END)`,
  version: alerts.version,
};

/** Candidates for a timed analyzer: rangers on patrol whose device is silent or has not moved. */
type TimedCandidateRow = {
  rangerId: string;
  deviceId: string;
  orgUnitId: number;
  orgPath: string;
  countyCode: string | null;
  fixTime: Date;
  lon: number;
  lat: number;
  since: Date;
};

export function createAlertsRepo() {
  const selectAlerts = (tx: Tx) =>
    tx
      .select(alertColumns)
      .from(alerts)
      .innerJoin(orgUnits, eq(orgUnits.id, alerts.orgUnitId))
      .leftJoin(rangers, eq(rangers.id, alerts.rangerId))
      // Handlers are stored by login name; readers see their display name ('system' has none).
      .leftJoin(acknowledger, eq(acknowledger.username, alerts.acknowledgedBy))
      .leftJoin(resolver, eq(resolver.username, alerts.resolvedBy));

  return {
    /** Alerts of a kind raised in [from, to) in a subtree (its units, or rangers its stations command), as the list counts them. */
    async countRaised(tx: Tx, subtree: Scope, f: { kind: string; from: Date; to: Date }) {
      const [{ count }] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(alerts)
        .where(and(alertOfScope(subtree), eq(alerts.kind, f.kind), gte(alerts.raisedAt, f.from), lt(alerts.raisedAt, f.to)));
      return Number(count);
    },

    /**
     * Raises alerts; a ranger who already has an open alert of the kind gets no second one.
     * Returns the alerts actually raised.
     */
    async raise(tx: Tx, candidates: AlertCandidate[]) {
      if (candidates.length === 0) return [];
      const rows = await tx
        .insert(alerts)
        .values(
          candidates.map((c) => ({
            kind: c.kind,
            rangerId: c.rangerId,
            deviceId: c.deviceId,
            orgUnitId: c.orgUnitId,
            countyCode: c.countyCode,
            fixTime: c.fixTime,
            lon: c.lon,
            lat: c.lat,
            details: c.details,
          })),
        )
        .onConflictDoNothing({ target: [alerts.rangerId, alerts.kind], where: sql`state <> 'resolved'` })
        .returning({ id: alerts.id, kind: alerts.kind, rangerId: alerts.rangerId, orgUnitId: alerts.orgUnitId });
      return rows;
    },

    /**
     * Resolves the open alerts of each kind for its rangers (the pipeline's commit: back inside
     * the assigned area, battery recharged) in one statement: one round trip per commit. The
     * reason is stored as a code in `details.resolution`, which readers see translated.
     */
    async resolveEach(tx: Tx, groups: { kind: string; rangerIds: string[]; code: AlertNoteCode }[]) {
      const wanted = groups.filter((g) => g.rangerIds.length > 0);
      if (wanted.length === 0) return [];
      const match = sql.join(
        wanted.map((g) => sql`(${alerts.kind} = ${g.kind} AND ${alerts.rangerId} = ANY(${plainArray(g.rangerIds)}::uuid[]))`),
        sql` OR `,
      );
      const code = sql.join([sql`CASE ${alerts.kind}`, ...wanted.map((g) => sql`WHEN ${g.kind} THEN ${g.code}`), sql`END`], sql` `);
      const details = sql`COALESCE(${alerts.details}, '{}'::jsonb) || jsonb_build_object('resolution', jsonb_build_object('code', (${code})::text))`;
      return tx
        .update(alerts)
        .set({ state: 'resolved', resolvedAt: new Date(), resolvedBy: 'system', details, version: sql`${alerts.version} + 1` })
        .where(and(ne(alerts.state, 'resolved'), sql`(${match})`))
        .returning({ id: alerts.id, rangerId: alerts.rangerId, orgUnitId: alerts.orgUnitId });
    },

    /**
     * Resolves one open alert of the kind by id, whatever the scope (SafeForest's own linkage: the
     * incident an SOS opened was resolved), with the reason as a code and what it refers to.
     */
    async resolveOne(tx: Tx, id: string, kind: string, by: string, resolution: { code: AlertNoteCode } & Record<string, string>) {
      return tx
        .update(alerts)
        .set({
          state: 'resolved',
          resolvedAt: new Date(),
          resolvedBy: by,
          details: sql`COALESCE(${alerts.details}, '{}'::jsonb) || jsonb_build_object('resolution', ${JSON.stringify(resolution)}::jsonb)`,
          version: sql`${alerts.version} + 1`,
        })
        .where(and(eq(alerts.id, id), eq(alerts.kind, kind), ne(alerts.state, 'resolved')))
        .returning({ id: alerts.id, orgUnitId: alerts.orgUnitId });
    },

    /** Resolves the open alerts of a kind about one subject named in their details (`details.cameraId`); by the system. */
    async resolveAbout(tx: Tx, kind: string, detail: { key: string; value: string }, resolution: { code: AlertNoteCode }) {
      return tx
        .update(alerts)
        .set({
          state: 'resolved',
          resolvedAt: new Date(),
          resolvedBy: 'system',
          details: sql`COALESCE(${alerts.details}, '{}'::jsonb) || jsonb_build_object('resolution', ${JSON.stringify(resolution)}::jsonb)`,
          version: sql`${alerts.version} + 1`,
        })
        .where(and(eq(alerts.kind, kind), ne(alerts.state, 'resolved'), sql`${alerts.details}->>${detail.key} = ${detail.value}`))
        .returning({ id: alerts.id, orgUnitId: alerts.orgUnitId });
    },

    /** Rangers on an active patrol whose device last reported more than `minutes` ago. */
    silentOnPatrol: (tx: Tx, minutes: number) =>
      timedCandidates(tx, sql`s.server_time < now() - make_interval(mins => ${minutes})`, sql`s.server_time`),

    /** Rangers on an active patrol who have not moved beyond the radius for `minutes`. */
    immobileOnPatrol: (tx: Tx, minutes: number) =>
      timedCandidates(
        tx,
        sql`s.moved_at < now() - make_interval(mins => ${minutes}) AND p.started_at < now() - make_interval(mins => ${minutes})`,
        sql`s.moved_at`,
      ),

    async list(
      tx: Tx,
      actor: Actor,
      f: { state?: string; kind?: string; rangerId?: string; from?: Date; to?: Date; subtreePath?: string; limit: number; offset: number },
    ) {
      const conditions: SQL[] = [alertOfScope(narrowed(actor, f.subtreePath))];
      if (f.state === 'open') conditions.push(ne(alerts.state, 'resolved'));
      else if (f.state) conditions.push(eq(alerts.state, f.state));
      if (f.kind) conditions.push(eq(alerts.kind, f.kind));
      if (f.rangerId) conditions.push(eq(alerts.rangerId, f.rangerId));
      if (f.from) conditions.push(gte(alerts.raisedAt, f.from));
      if (f.to) conditions.push(lt(alerts.raisedAt, f.to));
      const where = and(...conditions);
      const [items, [{ total }]] = await Promise.all([
        // SOS first, then the newest.
        selectAlerts(tx)
          .where(where)
          .orderBy(sql`(${alerts.kind} = 'sos' AND ${alerts.state} <> 'resolved') DESC`, desc(alerts.raisedAt))
          .limit(f.limit)
          .offset(f.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(alerts).where(where),
      ]);
      return { items: items as (Alert & { orgPath: string })[], total };
    },

    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectAlerts(tx).where(and(eq(alerts.id, id), alertOfScope(actor)));
      return (row as (Alert & { orgPath: string }) | undefined) ?? null;
    },

    /** One alert by id, whatever the scope (for the analyzer's own events). */
    async byIds(tx: Tx, ids: string[]) {
      if (ids.length === 0) return [];
      return (await selectAlerts(tx).where(inArray(alerts.id, ids))) as (Alert & { orgPath: string })[];
    },

    async setState(tx: Tx, actor: Actor, id: string, version: number, values: { state: string; by: string; note?: string }) {
      const at = new Date();
      const rows = await tx
        .update(alerts)
        .set({
          state: values.state,
          ...(values.state === 'acknowledged'
            ? { acknowledgedAt: at, acknowledgedBy: values.by }
            : { resolvedAt: at, resolvedBy: values.by }),
          ...(values.note ? { note: values.note } : {}),
          version: sql`${alerts.version} + 1`,
        })
        .where(and(eq(alerts.id, id), eq(alerts.version, version), alertOfScope(actor)))
        .returning({ id: alerts.id });
      return rows.length === 1;
    },
  };

  async function timedCandidates(tx: Tx, condition: SQL, since: SQL): Promise<TimedCandidateRow[]> {
    const result = await tx.execute<TimedCandidateRow>(sql`
      SELECT DISTINCT ON (p.ranger_id) p.ranger_id AS "rangerId", s.device_id AS "deviceId", r.org_unit_id AS "orgUnitId",
             u.path AS "orgPath", s.county_code AS "countyCode", s.fix_time AS "fixTime", s.lon, s.lat, ${since} AS since
      FROM patrols p
      JOIN rangers r ON r.id = p.ranger_id
      JOIN org_units u ON u.id = r.org_unit_id
      JOIN device_states s ON s.ranger_id = p.ranger_id
      WHERE p.ended_at IS NULL AND ${condition}
      ORDER BY p.ranger_id, s.fix_time DESC`);
    return result.rows.map((r) => ({ ...r, fixTime: new Date(r.fixTime), since: new Date(r.since) }));
  }
}
export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
