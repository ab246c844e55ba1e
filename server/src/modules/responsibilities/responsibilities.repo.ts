import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { FileContentType } from '../../platform/files/files.schema.js';
import { type Scope, unitOwned } from '../../platform/scope.js';
import type { CheckSummary, Progress, Task } from './responsibilities.schema.js';
import {
  responsibilityChecks as checks,
  responsibilityProgress as progress,
  responsibilityProgressFiles as progressFiles,
  responsibilityRegisters as registers,
  responsibilityTasks as tasks,
  responsibilityYears as years,
} from './responsibilities.tables.js';

/** Today in China: deadlines are calendar days there. */
const TODAY = sql`(now() AT TIME ZONE 'Asia/Shanghai')::date`;
/** The work plan deadline of a register's year: the one set for the year, else 31 March. */
const deadlineOf = (year: SQL) =>
  sql`COALESCE((SELECT y.plan_deadline FROM responsibility_years y WHERE y.year = ${year}), make_date(${year}, 3, 31))`;

/** A register as stored, with its unit, its plan file and the counts of its tasks. */
export type RegisterRow = {
  id: string;
  orgUnitId: number;
  orgUnitName: string;
  orgUnitKind: string;
  orgUnitCode: string | null;
  orgPath: string;
  year: number;
  leaderName: string | null;
  leaderPost: string | null;
  leaderPhone: string | null;
  inChargeName: string | null;
  inChargePost: string | null;
  inChargePhone: string | null;
  planTitle: string | null;
  planDate: string | null;
  planFile: { id: string; name: string; contentType: FileContentType; size: number } | null;
  planDeadline: string;
  planStatus: 'on_time' | 'late' | 'pending' | 'missing';
  taskCount: number;
  completedCount: number;
  overdueCount: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

/** A task with where its register's unit sits (for the checks of the level above). */
export type TaskRow = Task & { orgPath: string; year: number };

type RawRegister = Record<string, unknown> & { plan_file_id: string | null };

function registerOf(r: RawRegister): RegisterRow {
  return {
    id: r.id as string,
    orgUnitId: Number(r.org_unit_id),
    orgUnitName: r.org_unit_name as string,
    orgUnitKind: r.org_unit_kind as string,
    orgUnitCode: (r.org_unit_code as string | null) ?? null,
    orgPath: r.org_path as string,
    year: Number(r.year),
    leaderName: r.leader_name as string | null,
    leaderPost: r.leader_post as string | null,
    leaderPhone: r.leader_phone as string | null,
    inChargeName: r.in_charge_name as string | null,
    inChargePost: r.in_charge_post as string | null,
    inChargePhone: r.in_charge_phone as string | null,
    planTitle: r.plan_title as string | null,
    planDate: r.plan_date as string | null,
    planFile: r.plan_file_id
      ? {
          id: r.plan_file_id,
          name: r.plan_file_name as string,
          contentType: r.plan_file_type as FileContentType,
          size: Number(r.plan_file_size),
        }
      : null,
    planDeadline: r.plan_deadline as string,
    planStatus: r.plan_status as RegisterRow['planStatus'],
    taskCount: Number(r.task_count),
    completedCount: Number(r.completed_count),
    overdueCount: Number(r.overdue_count),
    version: Number(r.version),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
  };
}

/** The registers matching `where`, with everything a list shows; `r` is the register, `u` its unit. */
const selectRegisters = (where: SQL, tail: SQL = sql``) => sql`
  SELECT r.id, r.org_unit_id, u.name AS org_unit_name, u.kind AS org_unit_kind, u.code AS org_unit_code, u.path AS org_path,
    r.year, r.leader_name, r.leader_post, r.leader_phone, r.in_charge_name, r.in_charge_post, r.in_charge_phone,
    r.plan_title, r.plan_date::text AS plan_date, r.plan_file_id, f.name AS plan_file_name, f.content_type AS plan_file_type,
    f.size AS plan_file_size, d.deadline::text AS plan_deadline,
    CASE
      WHEN r.plan_file_id IS NOT NULL AND r.plan_date IS NOT NULL THEN CASE WHEN r.plan_date <= d.deadline THEN 'on_time' ELSE 'late' END
      WHEN ${TODAY} <= d.deadline THEN 'pending'
      ELSE 'missing'
    END AS plan_status,
    n.task_count, n.completed_count, n.overdue_count, r.version, r.created_at, r.updated_at
  FROM responsibility_registers r
  JOIN org_units u ON u.id = r.org_unit_id
  LEFT JOIN files f ON f.id = r.plan_file_id
  CROSS JOIN LATERAL (SELECT ${deadlineOf(sql`r.year`)} AS deadline) d
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS task_count,
      count(*) FILTER (WHERE lp.percent = 100)::int AS completed_count,
      count(*) FILTER (WHERE t.deadline < ${TODAY} AND COALESCE(lp.percent, 0) < 100)::int AS overdue_count
    FROM responsibility_tasks t
    LEFT JOIN LATERAL (
      SELECT p.percent FROM responsibility_progress p WHERE p.task_id = t.id ORDER BY p.reported_at DESC, p.id DESC LIMIT 1
    ) lp ON true
    WHERE t.register_id = r.id AND t.deleted_at IS NULL
  ) n
  WHERE ${where}
  ${tail}`;

const checkOf = (r: Record<string, unknown>, prefix = ''): CheckSummary => ({
  id: r[`${prefix}id`] as string,
  result: r[`${prefix}result`] as CheckSummary['result'],
  comments: (r[`${prefix}comments`] as string | null) ?? null,
  checkedBy: r[`${prefix}checked_by`] as string,
  checkedByName: r[`${prefix}checked_by_name`] as string,
  checkerOrgUnitName: r[`${prefix}checker_org_unit_name`] as string,
  checkedAt: new Date(r[`${prefix}checked_at`] as string),
});

function taskOf(r: Record<string, unknown>): TaskRow {
  return {
    id: r.id as string,
    registerId: r.register_id as string,
    orgUnitId: Number(r.org_unit_id),
    orgPath: r.org_path as string,
    year: Number(r.year),
    title: r.title as string,
    description: r.description as string | null,
    ownerName: r.owner_name as string | null,
    ownerUnit: r.owner_unit as string | null,
    deadline: r.deadline as string,
    measureKind: r.measure_kind as Task['measureKind'],
    measureRef: r.measure_ref as string | null,
    measureNote: r.measure_note as string | null,
    percent: Number(r.percent),
    lastProgressAt: r.last_progress_at ? new Date(r.last_progress_at as string) : null,
    overdue: r.overdue === true,
    latestCheck: r.c_id ? checkOf(r, 'c_') : null,
    version: Number(r.version),
    createdAt: new Date(r.created_at as string),
  };
}

/** The tasks matching `where` (`t` the task), each with its latest progress and latest check; overdue is computed here. */
const selectTasks = (where: SQL) => sql`
  SELECT t.id, t.register_id, t.org_unit_id, u.path AS org_path, r.year, t.title, t.description, t.owner_name, t.owner_unit,
    t.deadline::text AS deadline, t.measure_kind, t.measure_ref, t.measure_note, t.version, t.created_at,
    COALESCE(lp.percent, 0) AS percent, lp.reported_at AS last_progress_at,
    (t.deadline < ${TODAY} AND COALESCE(lp.percent, 0) < 100) AS overdue,
    lc.id AS c_id, lc.result AS c_result, lc.comments AS c_comments, lc.checked_by AS c_checked_by,
    lc.checked_by_name AS c_checked_by_name, cu.name AS c_checker_org_unit_name, lc.checked_at AS c_checked_at
  FROM responsibility_tasks t
  JOIN responsibility_registers r ON r.id = t.register_id
  JOIN org_units u ON u.id = t.org_unit_id
  LEFT JOIN LATERAL (
    SELECT p.percent, p.reported_at FROM responsibility_progress p WHERE p.task_id = t.id ORDER BY p.reported_at DESC, p.id DESC LIMIT 1
  ) lp ON true
  LEFT JOIN LATERAL (
    SELECT c.* FROM responsibility_checks c WHERE c.task_id = t.id ORDER BY c.checked_at DESC, c.id DESC LIMIT 1
  ) lc ON true
  LEFT JOIN org_units cu ON cu.id = lc.checker_org_unit_id
  WHERE t.deleted_at IS NULL AND ${where}
  ORDER BY t.deadline, t.created_at, t.id`;

type RegisterColumns = Partial<
  Pick<
    typeof registers.$inferInsert,
    | 'leaderName'
    | 'leaderPost'
    | 'leaderPhone'
    | 'inChargeName'
    | 'inChargePost'
    | 'inChargePhone'
    | 'planTitle'
    | 'planDate'
    | 'planFileId'
  >
>;
type TaskColumns = Omit<typeof tasks.$inferInsert, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

export function createResponsibilitiesRepo() {
  return {
    /** One page of the registers of the scope (the actor's, or a subtree inside it), by year, then unit. */
    async listRegisters(tx: Tx, actor: Scope, filter: { year?: number }, page: { limit: number; offset: number }) {
      const conditions: SQL[] = [unitOwned(actor, sql.raw('r.org_unit_id'))];
      if (filter.year !== undefined) conditions.push(sql`r.year = ${filter.year}`);
      const where = sql.join(conditions, sql` AND `);
      const [rows, count] = await Promise.all([
        tx.execute<RawRegister>(
          selectRegisters(where, sql`ORDER BY r.year DESC, u.depth, u.sort_order, u.code, u.id LIMIT ${page.limit} OFFSET ${page.offset}`),
        ),
        tx.execute<{ total: number }>(sql`SELECT count(*)::int AS total FROM responsibility_registers r WHERE ${where}`),
      ]);
      return { items: rows.rows.map(registerOf), total: Number(count.rows[0].total) };
    },

    /** A register of the actor's scope, or null. */
    async findRegisterInScope(tx: Tx, actor: Actor, id: string) {
      const { rows } = await tx.execute<RawRegister>(selectRegisters(sql`r.id = ${id} AND ${unitOwned(actor, sql.raw('r.org_unit_id'))}`));
      return rows[0] ? registerOf(rows[0]) : null;
    },

    /** The tasks (not deleted) of these registers of the actor's scope, by deadline. */
    async tasksOfRegisters(tx: Tx, actor: Actor, registerIds: string[]) {
      if (registerIds.length === 0) return [];
      const ids = sql.join(
        registerIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      );
      const { rows } = await tx.execute(selectTasks(sql`t.register_id IN (${ids}) AND ${unitOwned(actor, sql.raw('t.org_unit_id'))}`));
      return rows.map(taskOf);
    },

    /** A task (not deleted) of the actor's scope, or null. */
    async findTaskInScope(tx: Tx, actor: Actor, id: string) {
      const { rows } = await tx.execute(selectTasks(sql`t.id = ${id} AND ${unitOwned(actor, sql.raw('t.org_unit_id'))}`));
      return rows[0] ? taskOf(rows[0]) : null;
    },

    /** The progress reports of a task of the actor's scope, newest first, with their files. */
    async progressOfTask(tx: Tx, actor: Actor, taskId: string): Promise<Progress[]> {
      const { rows } = await tx.execute<Record<string, unknown>>(sql`
        SELECT p.id, p.task_id, p.percent, p.text, p.reported_by, p.reported_by_name, p.reported_at,
          COALESCE((SELECT json_agg(json_build_object('id', f.id, 'name', f.name, 'contentType', f.content_type, 'size', f.size) ORDER BY f.name)
            FROM responsibility_progress_files pf JOIN files f ON f.id = pf.file_id WHERE pf.progress_id = p.id), '[]'::json) AS files
        FROM responsibility_progress p
        WHERE p.task_id = ${taskId} AND ${unitOwned(actor, sql.raw('p.org_unit_id'))}
        ORDER BY p.reported_at DESC, p.id DESC`);
      return rows.map((r) => ({
        id: r.id as string,
        taskId: r.task_id as string,
        percent: Number(r.percent),
        text: r.text as string,
        files: (typeof r.files === 'string' ? JSON.parse(r.files) : r.files) as Progress['files'],
        reportedBy: r.reported_by as string,
        reportedByName: r.reported_by_name as string,
        reportedAt: new Date(r.reported_at as string),
      }));
    },

    /** The checks of a task of the actor's scope, newest first. */
    async checksOfTask(tx: Tx, actor: Actor, taskId: string) {
      const { rows } = await tx.execute<Record<string, unknown>>(sql`
        SELECT c.id, c.result, c.comments, c.checked_by, c.checked_by_name, cu.name AS checker_org_unit_name, c.checked_at
        FROM responsibility_checks c JOIN org_units cu ON cu.id = c.checker_org_unit_id
        WHERE c.task_id = ${taskId} AND ${unitOwned(actor, sql.raw('c.org_unit_id'))}
        ORDER BY c.checked_at DESC, c.id DESC`);
      return rows.map((r) => checkOf(r));
    },

    /** Records a register; null when the unit has one for the year already. */
    async insertRegister(tx: Tx, row: RegisterColumns & { orgUnitId: number; year: number; createdBy: string }) {
      const [created] = await tx.insert(registers).values(row).onConflictDoNothing().returning({ id: registers.id });
      return created?.id ?? null;
    },

    /** Changes a register of the actor's scope if the version is still the one read; false otherwise. */
    async updateRegister(tx: Tx, actor: Actor, id: string, version: number, changes: RegisterColumns) {
      const rows = await tx
        .update(registers)
        .set({ ...changes, version: sql`${registers.version} + 1`, updatedAt: new Date() })
        .where(and(eq(registers.id, id), eq(registers.version, version), unitOwned(actor, registers.orgUnitId)))
        .returning({ id: registers.id });
      return rows.length === 1;
    },

    async insertTask(tx: Tx, row: TaskColumns) {
      const [created] = await tx.insert(tasks).values(row).returning({ id: tasks.id });
      return created.id;
    },

    /** Changes a task of the actor's scope if the version is still the one read; false otherwise. */
    async updateTask(tx: Tx, actor: Actor, id: string, version: number, changes: Partial<TaskColumns>) {
      const rows = await tx
        .update(tasks)
        .set({ ...changes, version: sql`${tasks.version} + 1`, updatedAt: new Date() })
        .where(and(eq(tasks.id, id), eq(tasks.version, version), isNull(tasks.deletedAt), unitOwned(actor, tasks.orgUnitId)))
        .returning({ id: tasks.id });
      return rows.length === 1;
    },

    /** Hides a task of the actor's scope; its progress and checks stay. */
    async softDeleteTask(tx: Tx, actor: Actor, id: string) {
      await tx
        .update(tasks)
        .set({ deletedAt: new Date(), version: sql`${tasks.version} + 1`, updatedAt: new Date() })
        .where(and(eq(tasks.id, id), isNull(tasks.deletedAt), unitOwned(actor, tasks.orgUnitId)));
    },

    async insertProgress(tx: Tx, row: Omit<typeof progress.$inferInsert, 'id' | 'reportedAt'>, fileIds: readonly string[]) {
      const [created] = await tx.insert(progress).values(row).returning({ id: progress.id });
      if (fileIds.length)
        await tx.insert(progressFiles).values([...new Set(fileIds)].map((fileId) => ({ progressId: created.id, fileId })));
      return created.id;
    },

    async insertCheck(tx: Tx, row: Omit<typeof checks.$inferInsert, 'id' | 'checkedAt'>) {
      const [created] = await tx.insert(checks).values(row).returning({ id: checks.id });
      return created.id;
    },

    /** The work plan deadline of a year: the one set, or 31 March. */
    async deadline(tx: Tx, year: number) {
      const [row] = await tx.select({ planDeadline: years.planDeadline }).from(years).where(eq(years.year, year));
      return row
        ? { year, planDeadline: row.planDeadline, isDefault: false }
        : { year, planDeadline: `${String(year).padStart(4, '0')}-03-31`, isDefault: true };
    },

    async setDeadline(tx: Tx, year: number, planDeadline: string, updatedBy: string) {
      await tx
        .insert(years)
        .values({ year, planDeadline, updatedBy })
        .onConflictDoUpdate({ target: years.year, set: { planDeadline, updatedBy, updatedAt: new Date() } });
    },

    /**
     * Whether the unit's work plan of the year is on file and dated on or before the deadline
     * (`null` without a register); with the register's id for the link.
     */
    async workPlanOnTime(tx: Tx, orgUnitId: number, year: number) {
      const { rows } = await tx.execute<{ id: string; on_time: boolean }>(sql`
        SELECT r.id, (r.plan_file_id IS NOT NULL AND r.plan_date IS NOT NULL AND r.plan_date <= ${deadlineOf(sql`r.year`)}) AS on_time
        FROM responsibility_registers r WHERE r.org_unit_id = ${orgUnitId} AND r.year = ${year}`);
      return rows[0] ? { registerId: rows[0].id, onTime: rows[0].on_time === true } : null;
    },

    /** The unit's tasks of the year, and how many reached 100 % in a report made by the end of their deadline day (China). */
    async taskCompletion(tx: Tx, orgUnitId: number, year: number) {
      const { rows } = await tx.execute<{ register_id: string | null; tasks: number; done: number }>(sql`
        SELECT min(r.id::text) AS register_id, count(t.id)::int AS tasks,
          count(t.id) FILTER (WHERE EXISTS (
            SELECT 1 FROM responsibility_progress p
            WHERE p.task_id = t.id AND p.percent = 100
              AND p.reported_at < ((t.deadline + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')))::int AS done
        FROM responsibility_registers r
        LEFT JOIN responsibility_tasks t ON t.register_id = r.id AND t.deleted_at IS NULL
        WHERE r.org_unit_id = ${orgUnitId} AND r.year = ${year}`);
      const row = rows[0];
      return { registerId: row?.register_id ?? null, tasks: Number(row?.tasks ?? 0), done: Number(row?.done ?? 0) };
    },
  };
}
export type ResponsibilitiesRepo = ReturnType<typeof createResponsibilitiesRepo>;
