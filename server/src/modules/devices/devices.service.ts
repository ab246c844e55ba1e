/**
 * Positioning devices of the ranger network (notice clause 十: 护林员定位管理系统): what each
 * device sends as its identity, its optional key, and which ranger carried it when.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { AppError, assertVersion, conflict, found, notFound, validationFailed } from '../../platform/errors.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import { pageWindow } from '../../platform/paging.js';
import { subtreeFilter } from '../../platform/scope.js';
import { generateDeviceKey, hashDeviceKey } from './device-keys.js';
import { deviceEvent } from './devices.events.js';
import type { DevicesRepo, NewDevice } from './devices.repo.js';

export type { DirectoryRow } from './devices.repo.js';

import type { CreateDeviceInput, KeyPolicy, UpdateDeviceInput } from './devices.schema.js';

/** Registering an identity that exists answers this, wherever the device is: the answer tells no other county's devices. */
const STALE = 'The device was changed by someone else; reload it';
const identityTaken = () => conflict('This device ID is already registered');

const keyRequired = () => validationFailed([{ path: 'body.key', message: 'the county requires device keys: give a key or generate one' }]);

type Deps = {
  db: Db;
  devicesRepo: DevicesRepo;
  orgRepo: Pick<OrgRepo, 'findInScope'>;
  runChange: RunChange;
};

export function createDevicesService({ db, devicesRepo, orgRepo, runChange }: Deps) {
  async function mustFind(actor: Actor, id: string, tx: ChangeContext['tx'] = db) {
    const device = found(await devicesRepo.findInScope(tx, actor, id), 'Device');
    return device;
  }

  /** A ranger of the actor's subtree; another county's ranger is unknown (404), like every foreign id. */
  async function rangerOf(tx: ChangeContext['tx'], actor: Actor, rangerId: string) {
    const ranger = await devicesRepo.rangerInScope(tx, actor, rangerId);
    if (!ranger) throw new AppError(404, 'not_found', 'Ranger not found', [{ path: 'body.rangerId', message: 'no such ranger' }]);
    return ranger;
  }

  /** The event every instance's ingest directory listens to, so a new key or binding applies at once. */
  const changed = (path: string, uniqueId: string) => deviceEvent('device.changed', { path }, { uniqueId });

  /**
   * Registers a device inside a change (an officer's registration, the ranger page's own device):
   * stored with its key hash, bound to a ranger from `binding.from` when given, audited, and
   * announced to every instance's ingest directory. Answers the device as the register shows it.
   */
  async function createIn(ctx: ChangeContext, values: NewDevice, binding?: { rangerId: string; from: Date }) {
    const id = await devicesRepo.insert(ctx.tx, values);
    if (binding) await devicesRepo.startBinding(ctx.tx, id, binding.rangerId, binding.from);
    const written = await devicesRepo.findWritten(ctx.tx, id);
    if (!written) throw new Error(`Device ${id} vanished in its own change`);
    const { orgPath, ...device } = written;
    ctx.audit({ action: 'device.create', entity: 'device', entityId: id, orgUnitId: device.orgUnitId, after: device });
    ctx.emit(changed(orgPath, device.uniqueId));
    return device;
  }

  return {
    createIn,

    /** Devices as the ingest directory holds them (identity, key hash, owner, bindings): all, or those with these identities. */
    directory: (uniqueIds?: string[]) => devicesRepo.directory(db, uniqueIds),

    async list(actor: Actor, f: { orgUnitId?: number; rangerId?: string; q?: string; status?: string; page: number; pageSize: number }) {
      const subtreePath = await subtreeFilter(db, actor, f.orgUnitId);
      return devicesRepo.list(db, actor, { ...f, subtreePath, ...pageWindow(f) });
    },

    get: (actor: Actor, id: string) => mustFind(actor, id),

    bindings: async (actor: Actor, id: string) => devicesRepo.bindings(db, (await mustFind(actor, id)).id),

    /**
     * Registers a device, optionally bound to a ranger from now on (it then belongs to the
     * ranger's unit); a generated key is returned once. Without a key the device is keyless,
     * which a county requiring keys refuses.
     */
    async create(actor: Actor, input: CreateDeviceInput) {
      const key = input.generateKey ? generateDeviceKey() : input.key;
      return runChange(actor, async (ctx) => {
        const ranger = input.rangerId ? await rangerOf(ctx.tx, actor, input.rangerId) : null;
        if (ranger && input.orgUnitId !== undefined && input.orgUnitId !== ranger.orgUnitId)
          throw validationFailed([{ path: 'body.orgUnitId', message: 'a device bound to a ranger belongs to the ranger’s unit' }]);
        const unit = await orgRepo.findInScope(ctx.tx, actor, ranger?.orgUnitId ?? input.orgUnitId ?? actor.orgUnitId);
        if (!unit) throw validationFailed([{ path: 'body.orgUnitId', message: 'no such org unit in your area' }]);
        if (!key && (await devicesRepo.keysRequiredAt(ctx.tx, unit.id))) throw keyRequired();
        // After every check of the request itself, so a taken identity answers the same whatever else was sent.
        if (await devicesRepo.uniqueIdTaken(ctx.tx, input.uniqueId)) throw identityTaken();
        const device = await createIn(
          ctx,
          {
            uniqueId: input.uniqueId,
            name: input.name,
            kind: input.kind ?? 'phone',
            orgUnitId: unit.id,
            model: input.model ?? null,
            phone: input.phone ?? null,
            keyHash: key ? hashDeviceKey(key) : null,
          },
          ranger ? { rangerId: ranger.id, from: new Date() } : undefined,
        );
        return { ...device, ...(input.generateKey && key ? { key } : {}) };
      });
    },

    /**
     * Renames, re-keys or hands a device to another ranger (it moves to that ranger's unit); the
     * old binding ends now, history stays. A generated key is returned once.
     */
    async update(actor: Actor, id: string, input: UpdateDeviceInput) {
      const { version, rangerId, key: givenKey, generateKey, ...fields } = input;
      const key = generateKey ? generateDeviceKey() : givenKey;
      return runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        assertVersion(STALE, before, version);
        let orgUnitId = before.orgUnitId;
        if (rangerId !== undefined && rangerId !== before.rangerId) {
          const now = new Date();
          await devicesRepo.endBinding(ctx.tx, id, now);
          if (rangerId) {
            const ranger = await rangerOf(ctx.tx, actor, rangerId);
            await devicesRepo.startBinding(ctx.tx, id, ranger.id, now);
            orgUnitId = ranger.orgUnitId;
          }
        }
        const keyless = key === undefined ? !before.hasKey : key === null;
        if (keyless && (await devicesRepo.keysRequiredAt(ctx.tx, orgUnitId))) throw keyRequired();
        const values = {
          ...fields,
          ...(orgUnitId !== before.orgUnitId ? { orgUnitId } : {}),
          ...(key !== undefined ? { keyHash: key ? hashDeviceKey(key) : null } : {}),
        };
        if (!(await devicesRepo.update(ctx.tx, actor, id, version, values))) throw conflict(STALE);
        const after = await mustFind(actor, id, ctx.tx);
        ctx.audit({ action: 'device.update', entity: 'device', entityId: id, orgUnitId: after.orgUnitId, before, after });
        const unit = await orgRepo.findInScope(ctx.tx, actor, after.orgUnitId);
        ctx.emit(changed(unit?.path ?? actor.orgPath, after.uniqueId));
        return { ...after, ...(generateKey && key ? { key } : {}) };
      });
    },

    /** The device-key policy of each county in the actor's subtree. */
    keyPolicies: async (actor: Actor): Promise<KeyPolicy[]> =>
      (await devicesRepo.keyPolicies(db, actor)).map(({ orgPath: _, ...policy }) => policy),

    /**
     * Requires keys of a county's devices, or stops requiring them. Every instance's ingest
     * directory reloads, so fixes of keyless devices there are refused from the next request on.
     */
    async setKeyPolicy(actor: Actor, countyId: number, requireKeys: boolean): Promise<KeyPolicy> {
      return runChange(actor, async (ctx) => {
        const [before] = await devicesRepo.keyPolicies(ctx.tx, actor, countyId);
        if (!before) throw notFound('County');
        await devicesRepo.setKeyPolicy(ctx.tx, countyId, requireKeys, actor.username);
        const { orgPath, ...after } = { ...before, requireKeys };
        ctx.audit({
          action: 'device.key_policy',
          entity: 'org_unit',
          entityId: String(countyId),
          orgUnitId: countyId,
          before: { requireKeys: before.requireKeys },
          after: { requireKeys },
        });
        ctx.emit(deviceEvent('device.key_policy', { orgPath }, { orgUnitId: countyId, requireKeys }));
        return after;
      });
    },

    /** Retires a device: its binding ends, its positions stay, its identity is not reused. */
    async remove(actor: Actor, id: string, reason: string) {
      await runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        await devicesRepo.endBinding(ctx.tx, id, new Date());
        await devicesRepo.softDelete(ctx.tx, actor, id);
        ctx.audit({ action: 'device.delete', entity: 'device', entityId: id, orgUnitId: before.orgUnitId, before, after: { reason } });
        const unit = await orgRepo.findInScope(ctx.tx, actor, before.orgUnitId);
        ctx.emit(changed(unit?.path ?? actor.orgPath, before.uniqueId));
      });
    },
  };
}
export type DevicesService = ReturnType<typeof createDevicesService>;
