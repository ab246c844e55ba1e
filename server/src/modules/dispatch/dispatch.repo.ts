import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { ASSIGNMENT_STATUS_LABELS, type Assignment, type AssignmentStatus, OPEN_STATUSES, type UnitKind } from './dispatch.schema.js';
import { incidentAssignments as a } from './dispatch.tables.js';

const assignmentColumns = {
  id: a.id,
  incidentId: a.incidentId,
  unitKind: a.unitKind,
  unitId: a.unitId,
  unitName: a.unitName,
  unitOrgUnitId: a.unitOrgUnitId,
  rangerUserId: a.rangerUserId,
  status: a.status,
  distanceM: a.distanceM,
  note: a.note,
  assignedAt: a.assignedAt,
  acceptedAt: a.acceptedAt,
  enRouteAt: a.enRouteAt,
  onSceneAt: a.onSceneAt,
  doneAt: a.doneAt,
  declinedAt: a.declinedAt,
  declineReason: a.declineReason,
  arrivalSource: a.arrivalSource,
  version: a.version,
};

export type AssignmentRow = Assignment & { unitOrgUnitId: number };

function present(row: Record<string, unknown>): AssignmentRow {
  const r = row as Omit<AssignmentRow, 'statusLabel'>;
  return {
    ...r,
    distanceM: r.distanceM === null ? null : Math.round(r.distanceM),
    statusLabel: ASSIGNMENT_STATUS_LABELS[r.status as AssignmentStatus],
  } as AssignmentRow;
}

/** The column of the time a status is reached. */
const timeColumn = {
  accepted: 'acceptedAt',
  en_route: 'enRouteAt',
  on_scene: 'onSceneAt',
  done: 'doneAt',
  declined: 'declinedAt',
} as const satisfies Record<Exclude<AssignmentStatus, 'assigned'>, keyof typeof a.$inferInsert>;

const open = inArray(a.status, [...OPEN_STATUSES]);

/**
 * All SQL of dispatch. Assignments hang off an incident: the service reaches them only through an
 * incident it found in the actor's scope (the incident module's scope rule), or, for a ranger,
 * through the ranger's own account; so the methods take the incident or the user, not an actor.
 */
export function createDispatchRepo() {
  return {
    /** The assignments of an incident, in the order they were made. */
    async ofIncident(tx: Tx, incidentId: string) {
      const rows = await tx.select(assignmentColumns).from(a).where(eq(a.incidentId, incidentId)).orderBy(asc(a.assignedAt), asc(a.id));
      return rows.map(present);
    },

    /** One assignment of an incident, locked for a change, or null. */
    async lockOfIncident(tx: Tx, incidentId: string, id: string) {
      const [row] = await tx
        .select(assignmentColumns)
        .from(a)
        .where(and(eq(a.id, id), eq(a.incidentId, incidentId)))
        .for('update');
      return row ? present(row) : null;
    },

    /** One assignment, locked for a change, or null (the arrival detector's own change; no actor). */
    async lockById(tx: Tx, id: string) {
      const [row] = await tx.select(assignmentColumns).from(a).where(eq(a.id, id)).for('update');
      return row ? present(row) : null;
    },

    /** One assignment of a ranger's account, locked for a change, or null (another ranger's is unknown). */
    async lockOfUser(tx: Tx, userId: string, id: string) {
      const [row] = await tx
        .select(assignmentColumns)
        .from(a)
        .where(and(eq(a.id, id), eq(a.rangerUserId, userId), eq(a.unitKind, 'ranger')))
        .for('update');
      return row ? present(row) : null;
    },

    /** The open assignments of a ranger's account, newest first. */
    async openOfUser(tx: Tx, userId: string) {
      const rows = await tx
        .select(assignmentColumns)
        .from(a)
        .where(and(eq(a.rangerUserId, userId), eq(a.unitKind, 'ranger'), open))
        .orderBy(sql`${a.assignedAt} DESC`, asc(a.id));
      return rows.map(present);
    },

    /** How many open assignments each of these units has, on any incident. */
    async openCounts(tx: Tx, units: { kind: UnitKind; id: string }[]) {
      if (units.length === 0) return new Map<string, number>();
      const rows = await tx
        .select({ kind: a.unitKind, id: a.unitId, n: count() })
        .from(a)
        .where(and(open, inArray(a.unitId, [...new Set(units.map((u) => u.id))])))
        .groupBy(a.unitKind, a.unitId);
      return new Map(rows.map((r) => [`${r.kind}:${r.id}`, Number(r.n)]));
    },

    async insert(
      tx: Tx,
      row: Pick<
        typeof a.$inferInsert,
        | 'incidentId'
        | 'unitKind'
        | 'unitId'
        | 'unitName'
        | 'unitOrgUnitId'
        | 'rangerUserId'
        | 'distanceM'
        | 'note'
        | 'assignedBy'
        | 'assignedAt'
      >,
    ) {
      const [inserted] = await tx.insert(a).values(row).returning(assignmentColumns);
      return present(inserted);
    },

    /**
     * Moves an assignment to a status at a time, if it is still at the version read; answers the
     * new row, or null when the version moved on.
     */
    async setStatus(
      tx: Tx,
      id: string,
      version: number,
      change: { status: Exclude<AssignmentStatus, 'assigned'>; at: Date; declineReason?: string; arrivalSource?: 'reported' | 'position' },
    ) {
      const set: Record<string, unknown> = {
        status: change.status,
        [timeColumn[change.status]]: change.at,
        version: sql`${a.version} + 1`,
        updatedAt: new Date(),
      };
      if (change.declineReason !== undefined) set.declineReason = change.declineReason;
      if (change.arrivalSource !== undefined) set.arrivalSource = change.arrivalSource;
      const [row] = await tx
        .update(a)
        .set(set)
        .where(and(eq(a.id, id), eq(a.version, version)))
        .returning(assignmentColumns);
      return row ? present(row) : null;
    },

    /**
     * The ranger assignments on the way (accepted or en route), with the ranger and the
     * incident's point: what the arrival detector holds in memory.
     */
    arriving: (tx: Tx, statuses: readonly AssignmentStatus[]) =>
      tx
        .select({ id: a.id, incidentId: a.incidentId, rangerId: a.unitId })
        .from(a)
        .where(and(eq(a.unitKind, 'ranger'), inArray(a.status, [...statuses]))),
  };
}
export type DispatchRepo = ReturnType<typeof createDispatchRepo>;
