/**
 * Positions of the ranger network (notice clause 十: 护林员定位管理系统, 动态掌握): the history
 * of each device, the live picture of every device in scope, and the ranger page's own fixes and
 * SOS, which enter the same pipeline as every device protocol.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { RunChange } from '../../platform/change.js';
import { found } from '../../platform/errors.js';
import type { AlertsService } from '../alerts/alerts.service.js';
import { type DevicesRepo, webDeviceId } from '../devices/devices.repo.js';
import { generateDeviceKey, hashDeviceKey } from '../devices/devices.service.js';
import type { PositionFix } from './position-fix.js';
import type { PositionsRepo } from './positions.repo.js';
import type { BrowserFix } from './positions.schema.js';

type Deps = {
  db: Db;
  positionsRepo: PositionsRepo;
  devicesRepo: Pick<DevicesRepo, 'findInScope' | 'rangerOfUser' | 'currentPhoneOf' | 'byUniqueId' | 'insert' | 'startBinding'>;
  alertsService: Pick<AlertsService, 'settings'>;
  /** The ingest pipeline's entry for one device's fixes (ingest sits above modules, so the app hands it in). */
  ingest: {
    ingestDevice(
      fixes: PositionFix[],
      unknownStatus: 404,
      bearerKey: null,
      viaSession: true,
    ): Promise<{ stored: number; duplicates: number }>;
  };
  runChange: RunChange;
  onDeviceChanged: (uniqueId: string) => void;
};

export function createPositionsService({ db, positionsRepo, devicesRepo, alertsService, ingest, runChange, onDeviceChanged }: Deps) {
  /**
   * The device the ranger page reports through: the ranger's registered phone when there is one
   * (the ranger's track then has one source, not the phone and a second browser device), else the
   * ranger page's own device `web-<ranger id>`, registered and bound on first use. That device gets
   * a random key nobody is told: it reports only under the ranger's session.
   */
  async function rangerPageDeviceOf(actor: Actor) {
    const ranger = found(await devicesRepo.rangerOfUser(db, actor.userId), 'Ranger record of this account');
    const phone = await devicesRepo.currentPhoneOf(db, ranger.id);
    if (phone) return phone;
    const uniqueId = webDeviceId(ranger.id);
    // Retired by an officer, or no longer this ranger's: then the pipeline refuses it like any unknown device.
    if (await devicesRepo.byUniqueId(db, uniqueId)) return uniqueId;
    await runChange(actor, async ({ tx, audit }) => {
      const id = await devicesRepo.insert(tx, {
        uniqueId,
        name: `${ranger.name}（护林员页面）`,
        kind: 'phone',
        orgUnitId: ranger.orgUnitId,
        model: 'browser',
        keyHash: hashDeviceKey(generateDeviceKey()),
      });
      await devicesRepo.startBinding(tx, id, ranger.id, new Date('2000-01-01T00:00:00Z'));
      audit({
        action: 'device.create',
        entity: 'device',
        entityId: id,
        orgUnitId: ranger.orgUnitId,
        after: { uniqueId, rangerId: ranger.id },
      });
    });
    onDeviceChanged(uniqueId);
    return uniqueId;
  }

  const toFix = (
    uniqueId: string,
    f: BrowserFix,
    alarm: string | null = null,
    attributes: PositionFix['attributes'] = {},
  ): PositionFix => ({
    deviceKey: uniqueId,
    fixTime: f.fixTime,
    lon: f.lon,
    lat: f.lat,
    accuracy: f.accuracy ?? null,
    altitude: f.altitude ?? null,
    speed: f.speed ?? null,
    course: f.course ?? null,
    battery: f.battery ?? null,
    valid: true,
    alarm,
    attributes: { source: 'ranger-page', ...attributes },
    key: null,
  });

  return {
    /** A device's fixes in a time range; the device must be in the actor's subtree. */
    async history(actor: Actor, q: { uniqueId?: string; deviceId?: string; from?: Date; to?: Date; limit: number }) {
      let deviceId = q.deviceId;
      if (!deviceId && q.uniqueId) deviceId = (await devicesRepo.byUniqueId(db, q.uniqueId))?.id;
      const device = found(deviceId ? await devicesRepo.findInScope(db, actor, deviceId) : null, 'Device');
      const to = q.to ?? new Date();
      const from = q.from ?? new Date(to.getTime() - 24 * 3_600_000);
      const items = await positionsRepo.history(db, device.id, from, to, q.limit);
      return { items: items.map(({ deviceId: _, ...p }) => ({ ...p, attributes: p.attributes as Record<string, unknown> | null })) };
    },

    /** Every device of the actor's subtree where it last was, with its state colour. */
    live: async (actor: Actor, bbox?: [number, number, number, number]) => ({
      items: await positionsRepo.live(db, actor, alertsService.settings().silentMinutes, bbox),
    }),

    /** Fixes from the ranger page (buffered offline and sent when the network returns). */
    async reportOwn(actor: Actor, fixes: BrowserFix[]) {
      const uniqueId = await rangerPageDeviceOf(actor);
      return ingest.ingestDevice(
        fixes.map((f) => toFix(uniqueId, f)),
        404,
        null,
        true,
      );
    },

    /** The SOS button: a fix with the SOS alarm, which raises the alert in the same commit. */
    async sos(actor: Actor, f: Omit<BrowserFix, 'fixTime'> & { fixTime?: Date; note?: string }) {
      const uniqueId = await rangerPageDeviceOf(actor);
      return ingest.ingestDevice(
        [toFix(uniqueId, { ...f, fixTime: f.fixTime ?? new Date() }, 'sos', f.note ? { note: f.note } : {})],
        404,
        null,
        true,
      );
    },
  };
}
export type PositionsService = ReturnType<typeof createPositionsService>;
