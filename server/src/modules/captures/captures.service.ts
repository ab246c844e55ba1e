/**
 * Road-checkpoint vehicle captures (卡口抓拍, notice clause 九): a checkpoint platform pushes
 * passages (single or in batches, idempotent on checkpoint, time and plate); each stored passage
 * is matched against the watchlists in memory; snapshots go to the capture store. Operators search
 * plates (exact, prefix, `?` for unknown characters), follow a vehicle through the checkpoints and
 * export what they found. Old months are dropped by the purge.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { type Principal, type RunChange, systemPrincipal } from '../../platform/change.js';
import { AppError, badRequest, found, validationFailed } from '../../platform/errors.js';
import { platformEvent } from '../../platform/events.js';
import { inlineImageType } from '../../platform/files/image-check.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import type { SettingsRepo } from '../../platform/settings/settings.repo.js';
import { type SheetColumn, writeWorkbook } from '../../platform/spreadsheet.js';
import type { SitesService } from '../sites/sites.service.js';
import type { Passage, WatchlistsService } from '../watchlists/index.js';
import { partitionEnd, partitionOf, partitionsAhead, partitionWanted } from './captures.partitions.js';
import type { CaptureRow, CapturesRepo, StoredCapture } from './captures.repo.js';
import {
  type Capture,
  type CaptureFilter,
  CaptureSettings,
  CHECKPOINT_KINDS,
  FUTURE_TOLERANCE_MS,
  type IngestCapture,
  MAX_SNAPSHOT_BYTES,
  PLATE_COLOR_LABELS,
  TOTAL_LIMIT,
} from './captures.schema.js';
import { type SnapshotStore, snapshotKey } from './captures.store.js';

type Deps = {
  db: Db;
  capturesRepo: CapturesRepo;
  sites: Pick<SitesService, 'placesIn'>;
  watchlists: Pick<WatchlistsService, 'matchIn'>;
  settingsRepo: Pick<SettingsRepo, 'get' | 'put'>;
  runChange: RunChange;
  store: SnapshotStore;
  now?: () => Date;
};

const SETTINGS_KEY = 'captures';
/** Snapshots written at once while a batch is stored. */
const SNAPSHOT_WRITES = 16;
/** Rows an export holds at most. */
export const EXPORT_LIMIT = 10_000;

type Place = Awaited<ReturnType<SitesService['placesIn']>>[number];

export function createCapturesService({
  db,
  capturesRepo,
  sites,
  watchlists,
  settingsRepo,
  runChange,
  store,
  now = () => new Date(),
}: Deps) {
  /** Partitions known to exist (read once, then kept up to date by this instance). */
  let partitions: Promise<Set<string>> | null = null;
  let settingsCache: CaptureSettings | null = null;

  async function settings(): Promise<CaptureSettings> {
    if (!settingsCache) settingsCache = CaptureSettings.parse((await settingsRepo.get(db, SETTINGS_KEY)) ?? {});
    return settingsCache;
  }

  /** The partitions there are, with this month's and the next two made on first use. */
  function knownPartitions(): Promise<Set<string>> {
    partitions ??= (async () => {
      const names = new Set(await capturesRepo.partitionNames(db));
      for (const p of partitionsAhead(now()))
        if (!names.has(p.name)) {
          await db.transaction((tx) => capturesRepo.createMonthPartition(tx, p));
          names.add(p.name);
        }
      return names;
    })().catch((error) => {
      partitions = null;
      throw error;
    });
    return partitions;
  }

  /** Makes the monthly partitions a batch needs (within retention and up to a month ahead); the rest goes to the default one. */
  async function ensurePartitions(times: Date[]) {
    const names = await knownPartitions();
    const { retentionDays } = await settings();
    const at = now();
    const wanted = new Map<string, ReturnType<typeof partitionOf>>();
    for (const t of times) {
      const p = partitionOf(t);
      if (!names.has(p.name) && !wanted.has(p.name) && partitionWanted(p, at, retentionDays)) wanted.set(p.name, p);
    }
    for (const p of wanted.values()) {
      await db.transaction((tx) => capturesRepo.createMonthPartition(tx, p));
      names.add(p.name);
    }
  }

  /** A passage's field path in the request (`body.3.plate`; a capture sent alone is `body.0`). */
  const fieldOf = (i: number, field: string) => `body.${i}.${field}`;

  /** Captures as presented: snapshot kept or not, checkpoint names from the register. */
  async function present(actor: Actor, rows: StoredCapture[]): Promise<Capture[]> {
    const { snapshotRetentionDays } = await settings();
    const keptSince = now().getTime() - snapshotRetentionDays * 86_400_000;
    const places = await placesOf(actor, rows);
    return rows.map(({ snapshotKey: key, ...r }) => ({
      ...r,
      checkpointName: places.get(r.checkpointId)?.name ?? null,
      plateColor: r.plateColor as Capture['plateColor'],
      direction: r.direction as Capture['direction'],
      hasSnapshot: key !== null && r.capturedAt.getTime() >= keptSince,
    }));
  }

  async function placesOf(actor: Actor, rows: { checkpointId: string }[]) {
    const ids = [...new Set(rows.map((r) => r.checkpointId))];
    return new Map((await sites.placesIn(db, actor, ids, CHECKPOINT_KINDS)).map((p) => [p.id, p]));
  }

  return {
    /**
     * Stores captures a checkpoint platform pushed, answering how many were new, how many repeated
     * earlier ones and how many watchlist hits they raised. A batch is checked whole before anything
     * is kept: a malformed item or a checkpoint outside the pusher's area refuses all of it.
     */
    async ingest(actor: Actor, items: IngestCapture[]) {
      const at = now();
      const problems: { path: string; message: string }[] = [];
      items.forEach((item, i) => {
        if (item.at.getTime() > at.getTime() + FUTURE_TOLERANCE_MS)
          problems.push({ path: fieldOf(i, 'at'), message: 'the capture time lies in the future' });
        if (item.snapshot) {
          if (item.snapshot.length > MAX_SNAPSHOT_BYTES)
            problems.push({ path: fieldOf(i, 'snapshot'), message: `a snapshot is at most ${MAX_SNAPSHOT_BYTES} bytes` });
          else if (inlineImageType(item.snapshot, 'image/jpeg') !== 'image/jpeg')
            problems.push({ path: fieldOf(i, 'snapshot'), message: 'the snapshot is not a whole JPEG image' });
        }
      });
      if (problems.length) throw validationFailed(problems.slice(0, 50));

      const places = new Map(
        (await sites.placesIn(db, actor, [...new Set(items.map((c) => c.checkpointId))], CHECKPOINT_KINDS)).map((p) => [p.id, p]),
      );
      const unknown = items.findIndex((c) => !places.has(c.checkpointId));
      if (unknown >= 0) {
        const path = fieldOf(unknown, 'checkpointId');
        throw new AppError(404, 'not_found', 'Checkpoint not found in your area', [
          { path, message: 'no checkpoint of this id in your area' },
        ]);
      }

      await ensurePartitions(items.map((c) => c.at));
      const rows: (CaptureRow & { place: Place; snapshot?: Buffer })[] = items.map((c) => {
        const place = places.get(c.checkpointId) as Place;
        const passage = createHash('sha256').update(`${c.checkpointId}|${c.at.getTime()}|${c.plate}`).digest('hex').slice(0, 32);
        return {
          id: randomUUID(),
          checkpointId: c.checkpointId,
          orgUnitId: place.orgUnitId,
          countyCode: place.countyCode,
          plate: c.plate,
          plateColor: c.plateColor,
          vehicleType: c.vehicleType || null,
          direction: c.direction,
          lane: c.lane ?? null,
          speed: c.speed ?? null,
          capturedAt: c.at,
          snapshotKey: c.snapshot ? snapshotKey(c.at, c.checkpointId, passage) : null,
          place,
          snapshot: c.snapshot,
        };
      });
      // Snapshots first: a row never points at a picture that is not there. A repeated capture
      // writes the same key again; pictures of a batch that then fails are left to the retention.
      const pictures = rows.filter((r) => r.snapshot);
      for (let i = 0; i < pictures.length; i += SNAPSHOT_WRITES)
        await Promise.all(pictures.slice(i, i + SNAPSHOT_WRITES).map((r) => store.put(r.snapshotKey as string, r.snapshot as Buffer)));

      return runChange(
        actor,
        async (ctx) => {
          const stored = await capturesRepo.insertBatch(ctx.tx, rows);
          const passages: Passage[] = rows
            .filter((r) => stored.has(r.id))
            .map((r) => ({
              captureId: r.id,
              plate: r.plate,
              plateColor: r.plateColor,
              vehicleType: r.vehicleType,
              direction: r.direction,
              capturedAt: r.capturedAt,
              checkpoint: r.place,
            }));
          const hits = await watchlists.matchIn(ctx, passages);
          return { stored: stored.size, duplicates: rows.length - stored.size, hits };
        },
        // Captures are data arriving, not anyone's decision; the hits they raise are audited.
        { auditOptional: true },
      );
    },

    /** One page of the captures the actor sees (their checkpoints') matching the search. */
    async search(actor: Actor, filter: CaptureFilter, page: PageRequest) {
      await knownPartitions();
      const { items, total } = await capturesRepo.search(db, actor, filter, pageWindow(page), TOTAL_LIMIT);
      return { items: await present(actor, items), total: Math.min(total, TOTAL_LIMIT), totalIsLowerBound: total > TOTAL_LIMIT };
    },

    /** A vehicle's passages through the actor's checkpoints in time order, and its path for the map. */
    async passages(actor: Actor, plate: string, range: { from?: Date; to?: Date }, page: PageRequest) {
      const rows = await capturesRepo.passages(db, actor, plate, range, pageWindow(page));
      const shown = await present(actor, rows);
      const places = await placesOf(actor, rows);
      const passages = shown.map((c) => {
        const place = places.get(c.checkpointId);
        return {
          captureId: c.id,
          checkpointId: c.checkpointId,
          checkpointName: c.checkpointName,
          direction: c.direction,
          plateColor: c.plateColor,
          vehicleType: c.vehicleType,
          capturedAt: c.capturedAt,
          lon: place?.lon ?? null,
          lat: place?.lat ?? null,
          hasSnapshot: c.hasSnapshot,
        };
      });
      const located = passages.filter((p) => p.lon !== null && p.lat !== null);
      const features = located.map((p, i) => ({
        type: 'Feature' as const,
        id: p.captureId,
        geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
        properties: { order: i + 1, checkpointName: p.checkpointName, capturedAt: p.capturedAt.toISOString(), direction: p.direction },
      }));
      const line =
        located.length >= 2
          ? [
              {
                type: 'Feature' as const,
                id: 'path',
                geometry: { type: 'LineString', coordinates: located.map((p) => [p.lon, p.lat]) },
                properties: { plate, passages: located.length },
              },
            ]
          : [];
      return { plate, passages, path: { type: 'FeatureCollection' as const, features: [...line, ...features] } };
    },

    /** A capture's snapshot, if the actor sees the capture and the picture is still kept. */
    async snapshot(actor: Actor, id: string) {
      const capture = found(await capturesRepo.findInScope(db, actor, id), 'Capture');
      const data = capture.snapshotKey ? await store.get(capture.snapshotKey) : null;
      return found(data, 'Snapshot');
    },

    /** The search as an Excel workbook (at most `EXPORT_LIMIT` rows, newest first). */
    async exportWorkbook(actor: Actor, filter: CaptureFilter) {
      const { items } = await capturesRepo.search(db, actor, filter, { limit: EXPORT_LIMIT, offset: 0 }, 0);
      const rows = await present(actor, items);
      const columns: SheetColumn<Capture>[] = [
        { header: '号牌', width: 14, value: (c) => c.plate },
        { header: '号牌颜色', width: 8, value: (c) => PLATE_COLOR_LABELS[c.plateColor] },
        { header: '车辆类型', width: 12, value: (c) => c.vehicleType },
        { header: '卡口', width: 24, value: (c) => c.checkpointName },
        { header: '方向', width: 6, value: (c) => (c.direction === 'in' ? '进' : '出') },
        { header: '车道', width: 6, value: (c) => c.lane },
        { header: '车速(km/h)', width: 10, value: (c) => c.speed },
        { header: '通过时间', width: 20, value: (c) => c.capturedAt },
        { header: '县区代码', width: 10, value: (c) => c.countyCode },
      ];
      return writeWorkbook('卡口过车', columns, rows);
    },

    /** Retention settings in force (`/api/settings/captures`). */
    settings,

    /** Changes the retention (audited); the next purge applies it. */
    async updateSettings(actor: Actor, value: CaptureSettings) {
      const before = await settings();
      if (value.snapshotRetentionDays > value.retentionDays)
        throw badRequest('Snapshots are kept no longer than captures', [
          { path: 'body.snapshotRetentionDays', message: 'at most retentionDays' },
        ]);
      await runChange(actor, async ({ tx, audit, emit }) => {
        await settingsRepo.put(tx, SETTINGS_KEY, value, actor.username);
        audit({ action: 'settings.update', entity: 'settings', entityId: SETTINGS_KEY, orgUnitId: actor.orgUnitId, before, after: value });
        emit(platformEvent('settings.changed', actor, { key: SETTINGS_KEY }));
      });
      settingsCache = value;
      return value;
    },

    /**
     * Applies the retention: drops the monthly partitions that ended before the cutoff, deletes
     * older captures of the default partition, and snapshots of the days before theirs.
     */
    async purge(principal: Principal) {
      const { retentionDays, snapshotRetentionDays } = await settings();
      const at = now();
      const cutoff = new Date(at.getTime() - retentionDays * 86_400_000);
      // Read afresh: another instance may have made partitions since this one started.
      const names = await knownPartitions();
      for (const name of await capturesRepo.partitionNames(db)) names.add(name);
      const expired = [...names].filter((name) => {
        const end = partitionEnd(name);
        return end !== null && end.getTime() <= cutoff.getTime();
      });
      const snapshotDay = new Date(at.getTime() - snapshotRetentionDays * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
      const deletedSnapshots = await store.deleteDaysBefore(snapshotDay);
      const deletedCaptures = await runChange(principal, async (ctx) => {
        for (const name of expired) await capturesRepo.dropPartition(ctx.tx, name);
        const deleted = await capturesRepo.deleteDefaultBefore(ctx.tx, cutoff);
        ctx.audit({
          action: 'captures.purge',
          entity: 'captures',
          after: { cutoff, droppedPartitions: expired, deletedFromDefault: deleted, snapshotsBefore: snapshotDay, deletedSnapshots },
        });
        return deleted;
      });
      for (const name of expired) names.delete(name);
      return { droppedPartitions: expired.sort(), deletedCaptures, deletedSnapshots };
    },

    /** Runs the purge every `intervalMs` (the first an interval after start); answers how to stop it. */
    startPurge(intervalMs: number, onError: (error: unknown) => void) {
      const timer = setInterval(() => void this.purge(systemPrincipal('system')).catch(onError), intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },

    /** The capture store in use. */
    storeKind: () => store.kind,
  };
}
export type CapturesService = ReturnType<typeof createCapturesService>;
