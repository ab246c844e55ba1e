/**
 * The position pipeline: every protocol hands its parsed fixes here. Fixes are matched to their
 * device and ranger (in memory), located in the org tree (in memory), queued, and written in
 * batches: whatever arrives while a batch is being committed goes into the next one (group
 * commit), so many small requests cost few transactions. A caller is answered only after its fixes
 * are committed. Per-fix analyzers (SOS, left the assigned area, low battery) raise their alerts in
 * the same transaction, so an acknowledged SOS is never lost.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { AlertsRepo } from '../modules/alerts/alerts.repo.js';
import type { AlertCandidate, AnalyzerSettings } from '../modules/alerts/alerts.schema.js';
import type { PositionRow, PositionsRepo } from '../modules/positions/positions.repo.js';
import type { AuditRepo } from '../platform/audit/audit.repo.js';
import { unavailable } from '../platform/errors.js';
import { DeviceDirectory, type DirectoryEntry } from './device-directory.js';
import type { GeoIndex } from './geo-index.js';
import type { LivePosition, LivePositionFeed } from './live-feed.js';
import type { PositionFix } from './position.js';

/** A fix the pipeline refused, by its place in the request. */
export type RejectedFix = { index: number; uniqueId: string; reason: 'unknown_device' | 'device_disabled' | 'key_invalid' };

export type WriteOutcome = { stored: number; duplicates: number };

/** A fix matched and located, with what analyzers and the live feed need beyond the stored row. */
type PreparedFix = { row: PositionRow; uniqueId: string; unitId: number; unitPath: string };

export type PipelineOptions = {
  /** Largest number of fixes in one transaction. */
  batchRows: number;
  /** Fixes waiting beyond this answer 503 with Retry-After. */
  maxQueuedRows: number;
};

type Deps = {
  db: Db;
  directory: DeviceDirectory;
  geoIndex: GeoIndex;
  positionsRepo: PositionsRepo;
  alertsRepo: Pick<AlertsRepo, 'raise' | 'resolveFor'>;
  auditRepo: Pick<AuditRepo, 'insert'>;
  liveFeed: LivePositionFeed;
  analyzerSettings: () => AnalyzerSettings;
  /** Called after commit with the alerts raised or resolved, to publish them. */
  onAlerts: (ids: string[]) => void;
  /** Rangers on patrol now, as the analyzer loop last saw them (for the live colour). */
  patrolling: () => ReadonlySet<string>;
  options?: Partial<PipelineOptions>;
};

const sha256 = (s: string) => createHash('sha256').update(s).digest();
export const ANALYZER_ACTOR = { userId: '00000000-0000-0000-0000-000000000000', username: 'analyzer', address: null };

function keyMatches(entry: DirectoryEntry, key: string | null | undefined): boolean {
  if (!entry.keyHash) return true;
  if (!key) return false;
  return timingSafeEqual(sha256(key), Buffer.from(entry.keyHash, 'hex'));
}

export class PositionPipeline {
  private readonly options: PipelineOptions;
  private queue: { fixes: PreparedFix[]; resolve: (o: WriteOutcome) => void; reject: (e: unknown) => void }[] = [];
  private queuedRows = 0;
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: Deps) {
    this.options = { batchRows: 10_000, maxQueuedRows: 200_000, ...deps.options };
  }

  /** Fixes waiting to be written (for health and benchmarks). */
  get backlog() {
    return this.queuedRows;
  }

  /**
   * Matches fixes to devices and rangers and locates them. Fixes of unknown or disabled devices,
   * or with a wrong key, are returned as rejected with their index.
   */
  async prepare(fixes: PositionFix[], bearerKey?: string | null): Promise<{ prepared: PreparedFix[]; rejected: RejectedFix[] }> {
    const entries = await this.deps.directory.resolve(fixes.map((f) => f.deviceKey));
    const prepared: PreparedFix[] = [];
    const rejected: RejectedFix[] = [];
    fixes.forEach((fix, index) => {
      const entry = entries.get(fix.deviceKey);
      const reason = !entry
        ? 'unknown_device'
        : !entry.active
          ? 'device_disabled'
          : !keyMatches(entry, fix.key ?? bearerKey)
            ? 'key_invalid'
            : null;
      if (reason || !entry) rejected.push({ index, uniqueId: fix.deviceKey, reason: reason ?? 'unknown_device' });
      else prepared.push(this.locate(fix, entry));
    });
    return { prepared, rejected };
  }

  private locate(fix: PositionFix, entry: DirectoryEntry): PreparedFix {
    const binding = DeviceDirectory.bindingAt(entry, fix.fixTime.getTime());
    const place = this.deps.geoIndex.locate(fix.lon, fix.lat);
    const attributes = Object.keys(fix.attributes).length ? fix.attributes : null;
    return {
      uniqueId: entry.uniqueId,
      unitId: binding?.orgUnitId ?? entry.orgUnitId,
      unitPath: binding?.orgPath ?? entry.orgPath,
      row: {
        deviceId: entry.deviceId,
        fixTime: fix.fixTime,
        rangerId: binding?.rangerId ?? null,
        countyCode: place?.countyCode ?? null,
        townshipId: place?.townshipId ?? null,
        gridId: place?.gridId ?? null,
        inAssignedArea: binding ? (place ? place.path.startsWith(binding.orgPath) : false) : null,
        outsideTerritory: place === null,
        lon: fix.lon,
        lat: fix.lat,
        accuracy: fix.accuracy,
        altitude: fix.altitude,
        speed: fix.speed,
        course: fix.course,
        battery: fix.battery,
        valid: fix.valid,
        alarm: fix.alarm,
        attributes,
      },
    };
  }

  /** Queues prepared fixes and resolves once they are committed (503 when the queue is full). */
  write(fixes: PreparedFix[]): Promise<WriteOutcome> {
    if (fixes.length === 0) return Promise.resolve({ stored: 0, duplicates: 0 });
    if (this.closed) return Promise.reject(unavailable('The server is shutting down; send again shortly', 5));
    if (this.queuedRows + fixes.length > this.options.maxQueuedRows) {
      return Promise.reject(unavailable('Too many positions are waiting to be stored; send again shortly', 1));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ fixes, resolve, reject });
      this.queuedRows += fixes.length;
      if (!this.flushing) this.flushing = new Promise((done) => setImmediate(() => this.drain().finally(done)));
    });
  }

  /** Stops taking fixes and waits until everything acknowledged-to-be is written. */
  async close() {
    this.closed = true;
    while (this.flushing) await this.flushing;
  }

  private async drain() {
    try {
      while (this.queue.length) {
        const batch: typeof this.queue = [];
        let rows = 0;
        while (this.queue.length && (rows === 0 || rows + this.queue[0].fixes.length <= this.options.batchRows)) {
          const waiter = this.queue.shift() as (typeof this.queue)[number];
          batch.push(waiter);
          rows += waiter.fixes.length;
        }
        this.queuedRows -= rows;
        try {
          const stored = await this.commit(batch.flatMap((w) => w.fixes));
          for (const waiter of batch) {
            const fresh = waiter.fixes.filter((f) => stored.has(keyOf(f.row))).length;
            waiter.resolve({ stored: fresh, duplicates: waiter.fixes.length - fresh });
          }
        } catch (error) {
          for (const waiter of batch)
            waiter.reject(unavailable(`Positions could not be stored (${(error as Error).message}); send again`, 1));
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  /** One transaction: the fixes, the live state, and the alerts they raise or clear. */
  private async commit(fixes: PreparedFix[]): Promise<Set<string>> {
    const settings = this.deps.analyzerSettings();
    const alertIds: string[] = [];
    const stored = await this.deps.db.transaction(async (tx) => {
      const keys = await this.deps.positionsRepo.insertBatch(
        tx,
        fixes.map((f) => f.row),
      );
      const fresh = fixes.filter((f) => keys.has(keyOf(f.row)));
      const latest = newestPerDevice(fresh);
      const advanced = new Set(
        (
          await this.deps.positionsRepo.advanceStates(
            tx,
            latest.map((f) => f.row),
            settings.immobileRadiusM,
          )
        ).map((s) => s.device_id),
      );

      const outside = [
        ...new Set(fresh.filter((f) => f.row.inAssignedArea === false && f.row.rangerId).map((f) => f.row.rangerId as string)),
      ];
      const onPatrol = await this.deps.positionsRepo.onPatrol(tx, outside);
      const candidates = fresh.flatMap((f) => this.analyze(f, settings, onPatrol));
      const raised = await this.deps.alertsRepo.raise(tx, candidates);
      const back = latest.filter((f) => f.row.inAssignedArea === true && f.row.rangerId).map((f) => f.row.rangerId as string);
      const charged = latest
        .filter((f) => f.row.rangerId && f.row.battery !== null && f.row.battery >= settings.lowBatteryPercent + 10)
        .map((f) => f.row.rangerId as string);
      const resolved = [
        ...(await this.deps.alertsRepo.resolveFor(tx, 'left_area', back, 'back inside the assigned area')),
        ...(await this.deps.alertsRepo.resolveFor(tx, 'low_battery', charged, 'battery recharged')),
      ];
      await this.deps.auditRepo.insert(tx, ANALYZER_ACTOR, [
        ...raised.map((a) => ({
          action: 'alert.raise',
          entity: 'alert',
          entityId: a.id,
          orgUnitId: a.orgUnitId,
          after: { kind: a.kind, rangerId: a.rangerId },
        })),
        ...resolved.map((a) => ({
          action: 'alert.resolve',
          entity: 'alert',
          entityId: a.id,
          orgUnitId: a.orgUnitId,
          after: { by: 'system' },
        })),
      ]);
      alertIds.push(...raised.map((a) => a.id), ...resolved.map((a) => a.id));
      // Only fixes that moved a device's live state forward reach the map: a late fix never drags it back.
      return { keys, latest: latest.filter((f) => advanced.has(f.row.deviceId)) };
    });
    if (alertIds.length) this.deps.onAlerts(alertIds);
    const patrolling = this.deps.patrolling();
    this.deps.liveFeed.offer(stored.latest.map((f) => liveOf(f, patrolling)));
    return stored.keys;
  }

  /** The alerts one fix raises. */
  private analyze(f: PreparedFix, settings: AnalyzerSettings, onPatrol: Set<string>): AlertCandidate[] {
    const { row } = f;
    const base = {
      rangerId: row.rangerId,
      deviceId: row.deviceId,
      orgUnitId: f.unitId,
      orgPath: f.unitPath,
      countyCode: row.countyCode,
      fixTime: row.fixTime,
      lon: row.lon,
      lat: row.lat,
    };
    const out: AlertCandidate[] = [];
    if (row.alarm && row.alarm.toLowerCase() === 'sos') {
      // What the ranger typed with the SOS (the ranger page's note) travels with the alert.
      const note = typeof row.attributes?.note === 'string' ? row.attributes.note : undefined;
      out.push({ ...base, kind: 'sos', details: { uniqueId: f.uniqueId, accuracy: row.accuracy, ...(note ? { note } : {}) } });
    }
    if (row.rangerId && row.battery !== null && row.battery < settings.lowBatteryPercent) {
      out.push({ ...base, kind: 'low_battery', details: { battery: row.battery, threshold: settings.lowBatteryPercent } });
    }
    if (row.rangerId && row.inAssignedArea === false && onPatrol.has(row.rangerId)) {
      out.push({ ...base, kind: 'left_area', details: { gridId: row.gridId, outsideTerritory: row.outsideTerritory } });
    }
    return out;
  }
}

const keyOf = (row: PositionRow) => `${row.deviceId}|${row.fixTime.getTime()}`;

function newestPerDevice(fixes: PreparedFix[]): PreparedFix[] {
  const newest = new Map<string, PreparedFix>();
  for (const f of fixes) {
    const known = newest.get(f.row.deviceId);
    if (!known || known.row.fixTime < f.row.fixTime) newest.set(f.row.deviceId, f);
  }
  return [...newest.values()];
}

function liveOf(f: PreparedFix, patrolling: ReadonlySet<string>): LivePosition {
  const { row } = f;
  return {
    deviceId: row.deviceId,
    uniqueId: f.uniqueId,
    rangerId: row.rangerId,
    fixTime: row.fixTime.toISOString(),
    lon: row.lon,
    lat: row.lat,
    speed: row.speed,
    course: row.course,
    battery: row.battery,
    countyCode: row.countyCode,
    gridId: row.gridId,
    inAssignedArea: row.inAssignedArea,
    state: row.alarm?.toLowerCase() === 'sos' ? 'sos' : row.rangerId && patrolling.has(row.rangerId) ? 'patrolling' : 'idle',
    orgPath: f.unitPath,
  };
}
