/**
 * Positioning devices of the ranger network (notice clause 十: 护林员定位管理系统): what each
 * device sends as its identity, its optional key, and which ranger carried it when.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { conflict, notFound, validationFailed } from '../../platform/errors.js';
import type { LiveEvent } from '../../platform/events.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import type { DevicesRepo } from './devices.repo.js';
import type { CreateDeviceInput, UpdateDeviceInput } from './devices.schema.js';

/** Device keys are random secrets sent with every fix: a fast hash suffices and keeps ingest fast. */
export const hashDeviceKey = (key: string) => createHash('sha256').update(key).digest('hex');

type Deps = {
  db: Db;
  devicesRepo: DevicesRepo;
  orgRepo: Pick<OrgRepo, 'findInScope'>;
  runChange: RunChange;
};

export function createDevicesService({ db, devicesRepo, orgRepo, runChange }: Deps) {
  async function mustFind(actor: Actor, id: string, tx: ChangeContext['tx'] = db) {
    const device = await devicesRepo.findInScope(tx, actor, id);
    if (!device) throw notFound('Device');
    return device;
  }

  async function rangerOf(tx: ChangeContext['tx'], actor: Actor, rangerId: string) {
    const ranger = await devicesRepo.rangerInScope(tx, actor, rangerId);
    if (!ranger) throw validationFailed([{ path: 'body.rangerId', message: 'no such ranger in your area' }]);
    return ranger;
  }

  /** The event every instance's ingest directory listens to, so a new key or binding applies at once. */
  const changed = (path: string, uniqueId: string): LiveEvent => ({
    topic: 'devices',
    type: 'device.changed',
    orgPath: path,
    payload: { uniqueId },
  });

  return {
    async list(actor: Actor, f: { orgUnitId?: number; rangerId?: string; q?: string; status?: string; page: number; pageSize: number }) {
      const subtreePath = f.orgUnitId ? (await orgRepo.findInScope(db, actor, f.orgUnitId))?.path : undefined;
      if (f.orgUnitId && !subtreePath) throw notFound('Org unit');
      return devicesRepo.list(db, actor, { ...f, subtreePath, limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
    },

    get: (actor: Actor, id: string) => mustFind(actor, id),

    bindings: async (actor: Actor, id: string) => devicesRepo.bindings(db, (await mustFind(actor, id)).id),

    /** Registers a device, optionally bound to a ranger from now on; a generated key is returned once. */
    async create(actor: Actor, input: CreateDeviceInput) {
      const key = input.generateKey ? randomBytes(18).toString('base64url') : input.key;
      return runChange(actor, async (ctx) => {
        if (await devicesRepo.uniqueIdTaken(ctx.tx, input.uniqueId)) throw conflict(`A device ${input.uniqueId} is already registered`);
        const ranger = input.rangerId ? await rangerOf(ctx.tx, actor, input.rangerId) : null;
        const unitId = input.orgUnitId ?? ranger?.orgUnitId ?? actor.orgUnitId;
        const unit = await orgRepo.findInScope(ctx.tx, actor, unitId);
        if (!unit) throw validationFailed([{ path: 'body.orgUnitId', message: 'no such org unit in your area' }]);
        const id = await devicesRepo.insert(ctx.tx, {
          uniqueId: input.uniqueId,
          name: input.name,
          orgUnitId: unit.id,
          model: input.model ?? null,
          phone: input.phone ?? null,
          keyHash: key ? hashDeviceKey(key) : null,
        });
        if (ranger) await devicesRepo.startBinding(ctx.tx, id, ranger.id, new Date());
        const device = await mustFind(actor, id, ctx.tx);
        ctx.audit({ action: 'device.create', entity: 'device', entityId: id, orgUnitId: unit.id, after: device });
        ctx.emit(changed(unit.path, device.uniqueId));
        return { ...device, ...(input.generateKey && key ? { key } : {}) };
      });
    },

    /** Renames, re-keys or hands a device to another ranger; the old binding ends now, history stays. */
    async update(actor: Actor, id: string, input: UpdateDeviceInput) {
      const { version, rangerId, key, ...fields } = input;
      return runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        if (before.version !== version)
          throw conflict('The device was changed by someone else; reload it', { currentVersion: before.version });
        if (rangerId !== undefined && rangerId !== before.rangerId) {
          const now = new Date();
          await devicesRepo.endBinding(ctx.tx, id, now);
          if (rangerId) await devicesRepo.startBinding(ctx.tx, id, (await rangerOf(ctx.tx, actor, rangerId)).id, now);
        }
        const values = { ...fields, ...(key !== undefined ? { keyHash: key ? hashDeviceKey(key) : null } : {}) };
        if (!(await devicesRepo.update(ctx.tx, id, version, values))) throw conflict('The device was changed by someone else; reload it');
        const after = await mustFind(actor, id, ctx.tx);
        ctx.audit({ action: 'device.update', entity: 'device', entityId: id, orgUnitId: after.orgUnitId, before, after });
        const unit = await orgRepo.findInScope(ctx.tx, actor, after.orgUnitId);
        ctx.emit(changed(unit?.path ?? actor.orgPath, after.uniqueId));
        return after;
      });
    },

    /** Retires a device: its binding ends, its positions stay, its identity is not reused. */
    async remove(actor: Actor, id: string, reason: string) {
      await runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        await devicesRepo.endBinding(ctx.tx, id, new Date());
        await devicesRepo.softDelete(ctx.tx, id);
        ctx.audit({ action: 'device.delete', entity: 'device', entityId: id, orgUnitId: before.orgUnitId, before, after: { reason } });
        const unit = await orgRepo.findInScope(ctx.tx, actor, before.orgUnitId);
        ctx.emit(changed(unit?.path ?? actor.orgPath, before.uniqueId));
      });
    },
  };
}
export type DevicesService = ReturnType<typeof createDevicesService>;
