/**
 * The ranger register (护林员), the first cut of the forces register of notice clause 七: each
 * ranger is assigned an area (a grid or township) and commanded, trained and assessed by a forest
 * police station of the same county; a ranger may sign in with their own account and carries
 * positioning devices (bound in the devices module).
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { assertVersion, conflict, type FieldProblem, found, validationFailed } from '../../platform/errors.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import type { OrgUnit } from '../../platform/org/org.schema.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { subtreeFilter } from '../../platform/scope.js';
import { type SheetColumn, writeWorkbook } from '../../platform/spreadsheet.js';
import { deviceEvent } from '../devices/devices.events.js';
import { rangerEvent } from './rangers.events.js';
import type { RangersRepo } from './rangers.repo.js';
import {
  type CreateRangerInput,
  RANGER_KIND_LABELS,
  RANGER_SHEET_COLUMNS,
  type RANGER_SORTS,
  RANGER_STATUS_LABELS,
  type Ranger,
  type RangerFilter,
  type UpdateRangerInput,
} from './rangers.schema.js';

type Deps = {
  db: Db;
  rangersRepo: RangersRepo;
  orgRepo: Pick<OrgRepo, 'findInScope' | 'findManyByCode'>;
  runChange: RunChange;
};

/** The kinds of unit a ranger can be assigned to. */
const AREA_KINDS: readonly string[] = ['grid', 'township'];

type Area = Pick<OrgUnit, 'id' | 'path' | 'name'>;

const STALE = 'The ranger was changed by someone else; reload it';

export function createRangersService({ db, rangersRepo, orgRepo, runChange }: Deps) {
  async function mustFind(actor: Actor, id: string, tx = db as ChangeContext['tx']) {
    const ranger = found(await rangersRepo.findInScope(tx, actor, id), 'Ranger');
    return ranger;
  }

  /** The area a ranger is assigned to: a grid or township in the actor's scope. */
  async function checkArea(tx: ChangeContext['tx'], actor: Actor, orgUnitId: number): Promise<Area> {
    const area = await orgRepo.findInScope(tx, actor, orgUnitId);
    if (!area || !AREA_KINDS.includes(area.kind)) {
      throw validationFailed([{ path: 'body.orgUnitId', message: 'no such grid or township in your area' }]);
    }
    return area;
  }

  /** The commanding unit: a forest police station in the actor's scope, of the county that holds the area. */
  async function checkCommand(tx: ChangeContext['tx'], actor: Actor, stationId: number | null | undefined, area: Area) {
    if (stationId == null) return;
    if (!(await rangersRepo.stationCommandsArea(tx, actor, stationId, area.path))) {
      throw validationFailed([
        { path: 'body.commandingUnitId', message: `not a forest police station of the county that holds ${area.name}` },
      ]);
    }
  }

  /** The account to link must be in scope and not linked to another ranger (409 if it is). */
  async function checkAccount(tx: ChangeContext['tx'], actor: Actor, userId: string, rangerId?: string) {
    const user = await rangersRepo.lockUserInScope(tx, actor, userId);
    if (!user) throw validationFailed([{ path: 'body.userId', message: 'no such user account in your area' }]);
    if (await rangersRepo.rangerLinkedTo(tx, userId, rangerId)) {
      const problem: FieldProblem = { path: 'body.userId', message: `the account ${user.username} is already linked to another ranger` };
      throw conflict(problem.message, [problem]);
    }
  }

  return {
    /** One page of the register within the actor's scope. */
    async list(actor: Actor, filter: RangerFilter, page: PageRequest & { sort: (typeof RANGER_SORTS)[number] }) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      return rangersRepo.list(db, actor, { ...filter, subtreePath }, { ...pageWindow(page), sort: page.sort });
    },

    /** One ranger; 404 when outside the actor's scope or deleted. */
    get: (actor: Actor, id: string) => mustFind(actor, id),

    /** The ranger record linked to the signed-in account; 404 when there is none. */
    async mine(actor: Actor) {
      const ranger = found(await rangersRepo.findByUser(db, actor.userId), 'Ranger');
      return ranger;
    },

    /** Registers a ranger after checking area, commanding station and account. */
    async create(actor: Actor, input: CreateRangerInput) {
      return runChange(actor, async (ctx) => {
        const area = await checkArea(ctx.tx, actor, input.orgUnitId);
        await checkCommand(ctx.tx, actor, input.commandingUnitId, area);
        if (input.userId) await checkAccount(ctx.tx, actor, input.userId);
        const id = await rangersRepo.insert(ctx.tx, input);
        const ranger = await mustFind(actor, id, ctx.tx);
        ctx.audit({ action: 'ranger.create', entity: 'ranger', entityId: id, orgUnitId: area.id, after: ranger });
        ctx.emit(rangerEvent('ranger.created', area, { ranger }));
        return ranger;
      });
    },

    /** Changes a ranger if nobody changed it since `version` was read (else 409 with the current version). */
    async update(actor: Actor, id: string, input: UpdateRangerInput) {
      const { version, ...changes } = input;
      return runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        assertVersion(STALE, before, version);
        const oldArea = await rangersRepo.areaOf(ctx.tx, id);
        // Moving a ranger needs the new area in the actor's scope (a county's work); the station that
        // commands a ranger may change the rest. A new area can leave the station in another county,
        // so either change rechecks the command.
        const newAreaId = changes.orgUnitId !== undefined && changes.orgUnitId !== before.orgUnitId ? changes.orgUnitId : null;
        const area = newAreaId === null ? oldArea : await checkArea(ctx.tx, actor, newAreaId);
        const commandingUnitId = changes.commandingUnitId === undefined ? before.commandingUnitId : changes.commandingUnitId;
        if (newAreaId !== null || commandingUnitId !== before.commandingUnitId) await checkCommand(ctx.tx, actor, commandingUnitId, area);
        if (changes.userId && changes.userId !== before.userId) await checkAccount(ctx.tx, actor, changes.userId, id);
        if (!(await rangersRepo.update(ctx.tx, actor, id, version, changes))) throw conflict(STALE);
        const after = await mustFind(actor, id, ctx.tx);
        ctx.audit({ action: 'ranger.update', entity: 'ranger', entityId: id, orgUnitId: area.id, before, after });
        if (oldArea.id !== area.id) {
          ctx.emit(rangerEvent('ranger.deleted', oldArea, { ranger: { id } }));
          // The ranger's devices move along; the ingest directory reads them (and the new area) again.
          for (const uniqueId of await rangersRepo.moveDevices(ctx.tx, id, area.id))
            ctx.emit(deviceEvent('device.changed', area, { uniqueId }));
        }
        ctx.emit(rangerEvent('ranger.updated', area, { ranger: after }));
        return after;
      });
    },

    /**
     * Removes a ranger from the register with the reason given; the record stays for the patrol
     * history, and the devices they carried are released (their bindings end now).
     */
    async remove(actor: Actor, id: string, reason: string, version?: number) {
      await runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        assertVersion(STALE, before, version);
        await rangersRepo.softDelete(ctx.tx, actor, id);
        const releasedDevices = await rangersRepo.endBindings(ctx.tx, id);
        ctx.audit({
          action: 'ranger.delete',
          entity: 'ranger',
          entityId: id,
          orgUnitId: before.orgUnitId,
          before,
          after: { reason, releasedDevices },
        });
        ctx.emit(rangerEvent('ranger.deleted', await rangersRepo.areaOf(ctx.tx, id), { ranger: { id } }));
      });
    },

    /** The filtered register as an Excel workbook. */
    async exportWorkbook(actor: Actor, filter: RangerFilter) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const { items } = await rangersRepo.list(db, actor, { ...filter, subtreePath }, { limit: 50_000, offset: 0, sort: 'name' });
      // Codes of areas outside the actor's subtree (rangers seen through their station) stay blank.
      const codes = await orgRepo.findManyByCode(db, actor, { ids: [...new Set(items.map((r) => r.orgUnitId))] });
      const codeOf = new Map(codes.map((u) => [u.id, u.code]));
      const value: Record<(typeof RANGER_SHEET_COLUMNS)[number]['field'], (r: Ranger) => string | null> = {
        name: (r) => r.name,
        kind: (r) => RANGER_KIND_LABELS[r.kind],
        orgUnitCode: (r) => codeOf.get(r.orgUnitId) ?? null,
        orgUnitName: (r) => r.orgUnitName,
        commandingUnitName: (r) => r.commandingUnitName,
        phone: (r) => r.phone,
        username: (r) => r.username,
        status: (r) => RANGER_STATUS_LABELS[r.status],
        devices: (r) => r.devices.map((d) => d.uniqueId).join(', ') || null,
        notes: (r) => r.notes,
      };
      const columns: SheetColumn<Ranger>[] = RANGER_SHEET_COLUMNS.map((c) => ({
        header: c.header,
        width: c.field === 'orgUnitName' || c.field === 'commandingUnitName' ? 28 : 14,
        value: value[c.field],
      }));
      return writeWorkbook('护林员', columns, items);
    },
  };
}
export type RangersService = ReturnType<typeof createRangersService>;
