/**
 * Positions of the ranger network (notice clause 十: 护林员定位管理系统, 动态掌握): the history
 * of each device, the live picture of every device in scope, a ranger's day track for the replay,
 * and the ranger page's own fixes and SOS, which enter the same pipeline as every device protocol.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { found } from '../../platform/errors.js';
import type { AlertsService } from '../alerts/alerts.service.js';
import { generateDeviceKey, hashDeviceKey } from '../devices/device-keys.js';
import { type DevicesRepo, webDeviceId } from '../devices/devices.repo.js';
import type { DevicesService } from '../devices/devices.service.js';
import type { RangersRepo } from '../rangers/rangers.repo.js';
import type { PositionFix } from './position-fix.js';
import type { PositionRow, PositionsRepo } from './positions.repo.js';

export type { PositionRow } from './positions.repo.js';

import type { BrowserFix, DayTrack } from './positions.schema.js';
import { trackRulesOf } from './track.js';

/**
 * The positions module's in-transaction functions, for the ingest pipeline's commits: the fixes,
 * the devices' live states, and who is on patrol.
 */
export function createPositionStore({ db, positionsRepo }: { db: Db; positionsRepo: PositionsRepo }) {
  return {
    /** Stores fixes; a fix already stored (same device and time) is absorbed. Answers which rows were new. */
    storeIn: (ctx: Pick<ChangeContext, 'tx'>, rows: PositionRow[]) => positionsRepo.insertBatch(ctx.tx, rows),

    /** Moves each device's live state to its newest fix unless it holds a newer one; answers those moved and beyond the radius. */
    advanceStatesIn: (ctx: Pick<ChangeContext, 'tx'>, latest: PositionRow[], immobileRadiusM: number) =>
      positionsRepo.advanceStates(ctx.tx, latest, immobileRadiusM),

    /** Rangers among these who are on an active patrol now. */
    onPatrolIn: (ctx: Pick<ChangeContext, 'tx'>, rangerIds: string[]) => positionsRepo.onPatrol(ctx.tx, rangerIds),

    /** Rangers on an active patrol now (the live colour). */
    patrollingRangers: () => positionsRepo.activePatrolRangers(db),
  };
}
export type PositionStore = ReturnType<typeof createPositionStore>;

/** Most positions a day track carries; more are thinned to every n-th fix. */
export const DAY_TRACK_MAX_POINTS = 5_000;
/** A pause longer than this between two fixes starts a new line of the day track. */
export const DAY_TRACK_GAP_MS = 10 * 60_000;
const DAY_MS = 86_400_000;
/** China Standard Time has no daylight saving: a day there starts at 16:00 UTC the day before. */
export const CST_OFFSET_MS = 8 * 3600_000;

type Deps = {
  db: Db;
  positionsRepo: PositionsRepo;
  devicesRepo: Pick<DevicesRepo, 'findInScope' | 'rangerOfUser' | 'currentPhoneOf' | 'byUniqueId'>;
  devices: Pick<DevicesService, 'createIn'>;
  rangersRepo: Pick<RangersRepo, 'findInScope'>;
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
};

export function createPositionsService({ db, positionsRepo, devicesRepo, devices, rangersRepo, alertsService, ingest, runChange }: Deps) {
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
    // Its event reaches the ingest directory of every instance before the fixes are sent.
    await runChange(actor, (ctx) =>
      devices.createIn(
        ctx,
        {
          uniqueId,
          name: `${ranger.name}（护林员页面）`,
          kind: 'phone',
          orgUnitId: ranger.orgUnitId,
          model: 'browser',
          keyHash: hashDeviceKey(generateDeviceKey()),
        },
        { rangerId: ranger.id, from: new Date('2000-01-01T00:00:00Z') },
      ),
    );
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
    /**
     * The active rangers of the actor's scope nearest to a point by their live position (heard
     * within `onlineMinutes`), nearest first; `onDutyOnly`: only those on an active patrol.
     */
    nearestRangers: (actor: Actor, at: readonly [number, number], options: { limit: number; onlineMinutes: number }) =>
      positionsRepo.nearestOnline(db, actor, at, options),

    /** The newest live position of each of these rangers, whom the caller found in the actor's scope. */
    latestOfRangers: (rangerIds: string[]) => positionsRepo.latestOfRangers(db, rangerIds),

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

    /**
     * A ranger's fixes of one day (China Standard Time) as a GeoJSON feature for the replay
     * slider: lines split at pauses of more than 10 minutes, the time and speed of every position.
     */
    async dayTrack(actor: Actor, rangerId: string, date: string): Promise<DayTrack> {
      found(await rangersRepo.findInScope(db, actor, rangerId), 'Ranger');
      const from = new Date(Date.parse(`${date}T00:00:00Z`) - CST_OFFSET_MS);
      const fixes = await positionsRepo.dayFixes(
        db,
        rangerId,
        from,
        new Date(from.getTime() + DAY_MS),
        DAY_TRACK_MAX_POINTS,
        trackRulesOf(alertsService.settings()),
      );
      const total = fixes[0]?.total ?? 0;
      const properties = { rangerId, date, fixes: total, thinned: fixes.length < total };
      if (fixes.length === 0) return { type: 'Feature', geometry: null, properties: { ...properties, times: [], speeds: [] } };
      if (fixes.length === 1) {
        const [f] = fixes;
        return {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [f.lon, f.lat] },
          properties: { ...properties, times: [f.fixTime.toISOString()], speeds: [f.speed] },
        };
      }
      // Lines break at pauses; a lone fix between two pauses is drawn as a line of length zero so
      // every position keeps its time at the same index.
      const lines: (typeof fixes)[] = [];
      for (const [i, f] of fixes.entries()) {
        if (i === 0 || f.fixTime.getTime() - fixes[i - 1].fixTime.getTime() > DAY_TRACK_GAP_MS) lines.push([]);
        lines[lines.length - 1].push(f);
      }
      const parts = lines.map((line) => (line.length === 1 ? [line[0], line[0]] : line));
      const flat = parts.flat();
      const coordinates = parts.map((line) => line.map((f) => [f.lon, f.lat] as [number, number]));
      return {
        type: 'Feature',
        geometry: coordinates.length === 1 ? { type: 'LineString', coordinates: coordinates[0] } : { type: 'MultiLineString', coordinates },
        properties: { ...properties, times: flat.map((f) => f.fixTime.toISOString()), speeds: flat.map((f) => f.speed) },
      };
    },

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
