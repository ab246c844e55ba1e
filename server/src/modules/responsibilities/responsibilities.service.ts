/**
 * The responsibility register (责任体系, notice clause 三): "一把手"工程 — per unit and year the
 * leader in overall charge and the leader in charge, the year's work plan, and target tasks that
 * are deployed, implemented, checked, assessed and rewarded together (the five "同"). A unit's
 * office keeps its register and reports progress; the level above checks the tasks (a unit never
 * checks itself). Tasks say how they are measured: an assessment item (its code, resolved by the
 * assessment), an indicator of the registry, or evidence uploaded with the progress reports.
 */
import type { Db, Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { RunChange } from '../../platform/change.js';
import { AppError, assertVersion, conflict, type FieldProblem, found, validationFailed } from '../../platform/errors.js';
import type { FilesRepo } from '../../platform/files/files.repo.js';
import type { IndicatorRegistry } from '../../platform/indicators.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { coversWholeTree, narrowed, pathInScope, subtreeFilter } from '../../platform/scope.js';
import type { AssessmentService } from '../assessment/assessment.service.js';
import type { RegisterRow, ResponsibilitiesRepo, TaskRow } from './responsibilities.repo.js';
import {
  type CreateCheckInput,
  type CreateProgressInput,
  type CreateRegisterInput,
  type CreateTaskInput,
  type FiveSame,
  REGISTER_UNIT_KINDS,
  type Register,
  type RegisterFilter,
  type Task,
  type UpdateRegisterInput,
  type UpdateTaskInput,
} from './responsibilities.schema.js';

type Deps = {
  db: Db;
  responsibilitiesRepo: ResponsibilitiesRepo;
  orgRepo: Pick<OrgRepo, 'findInScope'>;
  filesRepo: Pick<FilesRepo, 'attachInScope'>;
  runChange: RunChange;
  /** Looked up to refuse a task measured by an indicator nobody registered. */
  indicators: Pick<IndicatorRegistry, 'get'>;
  /** The unit's assessment result of the year: the 同奖惩 of its tasks. */
  assessment: Pick<AssessmentService, 'resultOf'>;
};

const STALE_REGISTER = 'The register was changed by someone else; reload it';
const STALE_TASK = 'The task was changed by someone else; reload it';
/** An assessment item code as standards write them (`3.2.1`, `A1-2`); the assessment resolves it. */
const ITEM_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

const publicTask = ({ orgPath: _p, year: _y, ...task }: TaskRow): Task => task;

function publicRegister(row: RegisterRow, tasks: TaskRow[]): Register {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    orgUnitName: row.orgUnitName,
    orgUnitKind: row.orgUnitKind,
    orgUnitCode: row.orgUnitCode,
    year: row.year,
    leader: { name: row.leaderName, post: row.leaderPost, phone: row.leaderPhone },
    leaderInCharge: { name: row.inChargeName, post: row.inChargePost, phone: row.inChargePhone },
    workPlan: { title: row.planTitle, date: row.planDate, file: row.planFile, deadline: row.planDeadline, status: row.planStatus },
    tasks: tasks.filter((t) => t.registerId === row.id).map(publicTask),
    taskCount: row.taskCount,
    completedCount: row.completedCount,
    overdueCount: row.overdueCount,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The register's columns from the leaders and work plan sent (fields left out are left as they are; '' clears). */
function registerColumns(input: Pick<CreateRegisterInput, 'leader' | 'leaderInCharge' | 'workPlan'>) {
  const value = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());
  const columns = {
    leaderName: value(input.leader?.name),
    leaderPost: value(input.leader?.post),
    leaderPhone: value(input.leader?.phone),
    inChargeName: value(input.leaderInCharge?.name),
    inChargePost: value(input.leaderInCharge?.post),
    inChargePhone: value(input.leaderInCharge?.phone),
    planTitle: value(input.workPlan?.title),
    planDate: input.workPlan?.date,
    planFileId: input.workPlan?.fileId,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as Partial<
    Record<keyof typeof columns, string | null>
  >;
}

export function createResponsibilitiesService({
  db,
  responsibilitiesRepo: repo,
  orgRepo,
  filesRepo,
  runChange,
  indicators,
  assessment,
}: Deps) {
  const mustFindRegister = async (actor: Actor, id: string, tx: Tx = db) =>
    found(await repo.findRegisterInScope(tx, actor, id), 'Register');
  const mustFindTask = async (actor: Actor, id: string, tx: Tx = db) => found(await repo.findTaskInScope(tx, actor, id), 'Task');
  const registerWithTasks = async (actor: Actor, id: string, tx: Tx = db) => {
    const row = await mustFindRegister(actor, id, tx);
    return publicRegister(row, await repo.tasksOfRegisters(tx, actor, [row.id]));
  };

  /** Files of the actor's area, attached to a record of the unit (they live with it from now on); else a 400 naming the field. */
  async function fileProblems(
    tx: Tx,
    actor: Actor,
    unitId: number,
    fileIds: readonly (string | null | undefined)[],
    field: (i: number) => string,
  ) {
    const problems: FieldProblem[] = [];
    for (const [i, id] of fileIds.entries())
      if (id && !(await filesRepo.attachInScope(tx, actor, id, unitId)))
        problems.push({ path: field(i), message: 'no such file in your area' });
    return problems;
  }

  /** The problems of how a task is measured: an item code, a registered indicator key, or nothing for evidence. */
  function measureProblems(kind: CreateTaskInput['measureKind'], ref: string | null | undefined): FieldProblem[] {
    const path = 'body.measureRef';
    if (kind === 'evidence') return ref ? [{ path, message: 'a task measured by evidence names no item or indicator' }] : [];
    if (!ref) return [{ path, message: kind === 'indicator' ? 'name the indicator key' : 'name the assessment item code' }];
    if (kind === 'assessment_item' && !ITEM_CODE.test(ref))
      return [{ path, message: 'an item code: letters, digits, dots and dashes, e.g. 3.2.1' }];
    if (kind === 'indicator' && !indicators.get(ref)) return [{ path, message: `no indicator ${ref}` }];
    return [];
  }

  /** 403 unless the task's unit lies strictly below the actor's scope: the level above checks, a unit never checks itself. */
  function assertAbove(actor: Actor, task: TaskRow) {
    if (!pathInScope(actor, task.orgPath) || task.orgPath === actor.orgPath)
      throw new AppError(403, 'forbidden', 'Tasks are checked by the level above the unit; a unit does not check its own');
  }

  return {
    /** One page of the registers of the actor's area (or a unit's subtree in it), with their tasks. */
    async list(actor: Actor, filter: RegisterFilter, page: PageRequest) {
      const subtree = await subtreeFilter(db, actor, filter.orgUnitId);
      const { items, total } = await repo.listRegisters(db, narrowed(actor, subtree), { year: filter.year }, pageWindow(page));
      const tasks = await repo.tasksOfRegisters(
        db,
        actor,
        items.map((r) => r.id),
      );
      return { items: items.map((row) => publicRegister(row, tasks)), total };
    },

    /** One register with its tasks; 404 outside the actor's area. */
    get: (actor: Actor, id: string) => registerWithTasks(actor, id),

    /** Opens the register of a unit of the actor's area for a year (one per unit and year: 409 for a second). */
    async create(actor: Actor, input: CreateRegisterInput) {
      return runChange(actor, async (ctx) => {
        const unit = found(await orgRepo.findInScope(ctx.tx, actor, input.orgUnitId), 'Org unit');
        const problems: FieldProblem[] = [];
        if (!(REGISTER_UNIT_KINDS as readonly string[]).includes(unit.kind))
          problems.push({
            path: 'body.orgUnitId',
            message: 'a register belongs to the city, a county, township, nature reserve or forest farm',
          });
        problems.push(...(await fileProblems(ctx.tx, actor, unit.id, [input.workPlan?.fileId], () => 'body.workPlan.fileId')));
        if (problems.length) throw validationFailed(problems);
        const id = await repo.insertRegister(ctx.tx, {
          ...registerColumns(input),
          orgUnitId: unit.id,
          year: input.year,
          createdBy: actor.username,
        });
        if (!id) throw conflict(`${unit.name} has a register for ${input.year} already`);
        const after = await registerWithTasks(actor, id, ctx.tx);
        ctx.audit({ action: 'responsibility.create', entity: 'responsibility_register', entityId: id, orgUnitId: unit.id, after });
        return after;
      });
    },

    /** Changes the leaders or the work plan of a register of the actor's area, if nobody changed it since `version`. */
    async update(actor: Actor, id: string, input: UpdateRegisterInput) {
      return runChange(actor, async (ctx) => {
        const before = await registerWithTasks(actor, id, ctx.tx);
        assertVersion(STALE_REGISTER, before, input.version);
        // The document on file stays acceptable as it is, even when it was uploaded by an office above the actor's.
        const fileId = input.workPlan?.fileId;
        const problems =
          fileId === before.workPlan.file?.id
            ? []
            : await fileProblems(ctx.tx, actor, before.orgUnitId, [fileId], () => 'body.workPlan.fileId');
        if (problems.length) throw validationFailed(problems);
        if (!(await repo.updateRegister(ctx.tx, actor, id, input.version, registerColumns(input)))) throw conflict(STALE_REGISTER);
        const after = await registerWithTasks(actor, id, ctx.tx);
        ctx.audit({
          action: 'responsibility.update',
          entity: 'responsibility_register',
          entityId: id,
          orgUnitId: after.orgUnitId,
          before,
          after,
        });
        return after;
      });
    },

    /** Adds a target task to a register of the actor's area. */
    async createTask(actor: Actor, registerId: string, input: CreateTaskInput) {
      return runChange(actor, async (ctx) => {
        const register = await mustFindRegister(actor, registerId, ctx.tx);
        const problems = measureProblems(input.measureKind, input.measureRef);
        if (problems.length) throw validationFailed(problems);
        const id = await repo.insertTask(ctx.tx, {
          registerId: register.id,
          orgUnitId: register.orgUnitId,
          title: input.title,
          description: input.description ?? null,
          ownerName: input.ownerName ?? null,
          ownerUnit: input.ownerUnit ?? null,
          deadline: input.deadline,
          measureKind: input.measureKind,
          measureRef: input.measureRef ?? null,
          measureNote: input.measureNote ?? null,
          createdBy: actor.username,
        });
        const after = publicTask(await mustFindTask(actor, id, ctx.tx));
        ctx.audit({
          action: 'responsibility.task_create',
          entity: 'responsibility_task',
          entityId: id,
          orgUnitId: register.orgUnitId,
          after,
        });
        return after;
      });
    },

    /** Changes a task of the actor's area, if nobody changed it since `version`. */
    async updateTask(actor: Actor, taskId: string, input: UpdateTaskInput) {
      return runChange(actor, async (ctx) => {
        const row = await mustFindTask(actor, taskId, ctx.tx);
        const before = publicTask(row);
        assertVersion(STALE_TASK, before, input.version);
        const { version, ...changes } = input;
        const kind = changes.measureKind ?? before.measureKind;
        const ref = changes.measureRef !== undefined ? changes.measureRef : changes.measureKind ? null : before.measureRef;
        const problems = measureProblems(kind, ref);
        if (problems.length) throw validationFailed(problems);
        const columns = Object.fromEntries(Object.entries({ ...changes, measureRef: ref }).filter(([, v]) => v !== undefined));
        if (!(await repo.updateTask(ctx.tx, actor, taskId, version, columns))) throw conflict(STALE_TASK);
        const after = publicTask(await mustFindTask(actor, taskId, ctx.tx));
        ctx.audit({
          action: 'responsibility.task_update',
          entity: 'responsibility_task',
          entityId: taskId,
          orgUnitId: row.orgUnitId,
          before,
          after,
        });
        return after;
      });
    },

    /** Removes a task of the actor's area; its progress reports and checks stay recorded. */
    async deleteTask(actor: Actor, taskId: string, version?: number) {
      await runChange(actor, async (ctx) => {
        const row = await mustFindTask(actor, taskId, ctx.tx);
        assertVersion(STALE_TASK, row, version);
        await repo.softDeleteTask(ctx.tx, actor, taskId);
        ctx.audit({
          action: 'responsibility.task_delete',
          entity: 'responsibility_task',
          entityId: taskId,
          orgUnitId: row.orgUnitId,
          before: publicTask(row),
        });
      });
    },

    /** A task with its progress reports and checks, newest first. */
    async task(actor: Actor, taskId: string) {
      const row = await mustFindTask(actor, taskId);
      const [progress, checks] = [await repo.progressOfTask(db, actor, taskId), await repo.checksOfTask(db, actor, taskId)];
      return { ...publicTask(row), progress, checks };
    },

    /** Reports progress on a task of the actor's area: words, percent and files of the area. */
    async reportProgress(actor: Actor, taskId: string, input: CreateProgressInput) {
      return runChange(actor, async (ctx) => {
        const task = await mustFindTask(actor, taskId, ctx.tx);
        const problems = await fileProblems(ctx.tx, actor, task.orgUnitId, input.fileIds, (i) => `body.fileIds.${i}`);
        if (problems.length) throw validationFailed(problems);
        const id = await repo.insertProgress(
          ctx.tx,
          {
            taskId,
            orgUnitId: task.orgUnitId,
            percent: input.percent,
            text: input.text,
            reportedBy: actor.username,
            reportedByName: actor.displayName,
          },
          input.fileIds,
        );
        const [report] = (await repo.progressOfTask(ctx.tx, actor, taskId)).filter((p) => p.id === id);
        ctx.audit({
          action: 'responsibility.progress',
          entity: 'responsibility_progress',
          entityId: id,
          orgUnitId: task.orgUnitId,
          after: report,
        });
        return report;
      });
    },

    /** Records the check of a task by the level above (a county checks its townships, the city its counties). */
    async check(actor: Actor, taskId: string, input: CreateCheckInput) {
      return runChange(actor, async (ctx) => {
        const task = await mustFindTask(actor, taskId, ctx.tx);
        assertAbove(actor, task);
        const id = await repo.insertCheck(ctx.tx, {
          taskId,
          orgUnitId: task.orgUnitId,
          result: input.result,
          comments: input.comments ?? null,
          checkedBy: actor.username,
          checkedByName: actor.displayName,
          checkerOrgUnitId: actor.orgUnitId,
        });
        const [check] = (await repo.checksOfTask(ctx.tx, actor, taskId)).filter((c) => c.id === id);
        ctx.audit({
          action: 'responsibility.check',
          entity: 'responsibility_check',
          entityId: id,
          orgUnitId: task.orgUnitId,
          after: check,
        });
        return check;
      });
    },

    /**
     * The five "同" of a register: each task as deployed (owner, deadline), implemented (latest
     * progress), checked (latest check), assessed (the item or indicator it feeds) and rewarded.
     */
    async fiveSame(actor: Actor, id: string): Promise<FiveSame> {
      const register = await registerWithTasks(actor, id);
      const outcome = await assessment.resultOf(db, actor, register.orgUnitId, register.year);
      return {
        registerId: register.id,
        orgUnitId: register.orgUnitId,
        orgUnitName: register.orgUnitName,
        year: register.year,
        result: outcome?.result ?? null,
        rows: register.tasks.map((t) => ({
          taskId: t.id,
          title: t.title,
          deployed: { deadline: t.deadline, ownerName: t.ownerName, ownerUnit: t.ownerUnit, at: t.createdAt },
          implemented: { percent: t.percent, at: t.lastProgressAt, overdue: t.overdue },
          checked: t.latestCheck,
          assessed: { kind: t.measureKind, ref: t.measureRef },
          // 同奖惩: the unit's result, and the final points of the item the task feeds.
          rewarded: outcome
            ? { itemPoints: t.measureKind === 'assessment_item' && t.measureRef ? (outcome.itemPoints.get(t.measureRef) ?? null) : null }
            : null,
        })),
      };
    },

    /** The work plan deadline of a year (31 March unless the city set another). */
    deadline: (year: number) => repo.deadline(db, year),

    /** Sets the work plan deadline of a year: the city's decision (a whole-tree scope). */
    async setDeadline(actor: Actor, year: number, planDeadline: string) {
      if (!coversWholeTree(actor)) throw new AppError(403, 'forbidden', 'The work plan deadline is set by the city office');
      return runChange(actor, async (ctx) => {
        const before = await repo.deadline(ctx.tx, year);
        await repo.setDeadline(ctx.tx, year, planDeadline, actor.username);
        const after = await repo.deadline(ctx.tx, year);
        ctx.audit({
          action: 'responsibility.deadline',
          entity: 'responsibility_year',
          entityId: String(year),
          orgUnitId: actor.orgUnitId,
          before,
          after,
        });
        return after;
      });
    },
  };
}
export type ResponsibilitiesService = ReturnType<typeof createResponsibilitiesService>;
