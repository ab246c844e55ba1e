/**
 * The position pipeline: every protocol hands its parsed fixes here. Fixes are matched to their
 * device and ranger (in memory), located in the org tree (in memory), queued, and written in
 * batches: whatever arrives while a batch is being committed goes into the next one (group
 * commit), so many small requests cost few transactions. A caller is answered only after its fixes
 * are committed. Per-fix analyzers (SOS, left the assigned area, low battery) raise their alerts in
 * the same transaction, so an acknowledged SOS is never lost.
 */
import type { AlertCandidate, AnalyzerSettings } from '../modules/alerts/alerts.schema.js';
import type { AlertsService } from '../modules/alerts/alerts.service.js';
import { keyAccepted } from '../modules/devices/device-keys.js';
import type { RangerFix } from '../modules/dispatch/index.js';
import type { PositionRow, PositionStore } from '../modules/positions/positions.service.js';
import { type RunChange, systemPrincipal } from '../platform/change.js';
import { AppError, unavailable } from '../platform/errors.js';
import { storableText } from '../platform/text.js';
import { DeviceDirectory, type DirectoryEntry } from './device-directory.js';
import type { GeoIndex } from './geo-index.js';
import type { LivePosition, LivePositionFeed } from './live-feed.js';
import type { AttributeValue, PositionFix } from './position.js';

/** A fix the pipeline refused, by its place in the request. */
export type RejectedFix = { index: number; uniqueId: string; reason: 'unknown_device' | 'device_disabled' | 'key_invalid' };

export type WriteOutcome = { stored: number; duplicates: number };

/**
 * A fix matched and located, with what analyzers and the live feed need beyond the stored row.
 * `suspect`: dated further ahead than the `futureFixMinutes` setting; stored, never live.
 */
type PreparedFix = { row: PositionRow; uniqueId: string; unitId: number; unitPath: string; suspect: boolean };

export type PipelineOptions = {
  /** Largest number of fixes in one transaction. */
  batchRows: number;
  /** Fixes waiting beyond this answer 503 with Retry-After. */
  maxQueuedRows: number;
  /**
   * Transactions in flight at once. On PostgreSQL 2: while one commit's statements run or its WAL
   * flushes, the next batch is already being written by another backend. The embedded database
   * runs one statement at a time, so 1 there.
   */
  concurrentCommits: number;
};

type Waiter = { fixes: PreparedFix[]; resolve: (o: WriteOutcome) => void; reject: (e: unknown) => void };

/** PostgreSQL's SQLSTATE for a transaction chosen as a deadlock victim (retried once). */
const DEADLOCK = '40P01';
/** SQLSTATE class of values the database refuses (out of range, invalid text): sending again cannot help. */
const DATA_EXCEPTION = '22';

/** The database's own error under the query wrapper (whose message repeats the whole statement and its parameters). */
const databaseError = (error: unknown) => ((error as { cause?: unknown }).cause ?? error) as { code?: string; message?: string };

type Deps = {
  runChange: RunChange;
  directory: DeviceDirectory;
  geoIndex: GeoIndex;
  /** Stores the fixes and moves the live states in the commit. */
  positions: Pick<PositionStore, 'storeIn' | 'advanceStatesIn' | 'onPatrolIn'>;
  /** Raises and clears alerts in the commit of the fixes (audited as the analyzer, published after commit). */
  alerts: Pick<AlertsService, 'raiseIn' | 'resolveIn'>;
  liveFeed: LivePositionFeed;
  analyzerSettings: () => AnalyzerSettings;
  /** Rangers on patrol now, as the analyzer loop last saw them (for the live colour). */
  patrolling: () => ReadonlySet<string>;
  /**
   * Called after commit with the rangers not on patrol who moved beyond the immobility radius
   * inside their assigned area (when the setting says movement opens a patrol), and the time of
   * the earliest such fix.
   */
  onMovement: (rangerIds: string[], at: Date) => void;
  /**
   * Called after commit with the newest fix of each device whose live state moved forward (the
   * dispatch module's arrival check: cheap, in memory, and it starts any write of its own).
   */
  onFixes: (fixes: RangerFix[]) => void;
  options?: Partial<PipelineOptions>;
};

/** The pipeline's commits are changes of the analyzer: the alerts they raise and clear are audited under its name. */
const ANALYZER = systemPrincipal('analyzer');

export class PositionPipeline {
  private readonly options: PipelineOptions;
  private queue: Waiter[] = [];
  private queuedRows = 0;
  private inFlight = 0;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly deps: Deps) {
    this.options = { batchRows: 10_000, maxQueuedRows: 200_000, concurrentCommits: 1, ...deps.options };
  }

  /** Fixes waiting to be written (for health and benchmarks). */
  get backlog() {
    return this.queuedRows;
  }

  /**
   * Matches fixes to devices and rangers and locates them. Fixes of unknown or disabled devices,
   * or with a wrong key, are returned as rejected with their index.
   */
  async prepare(
    fixes: PositionFix[],
    bearerKey?: string | null,
    /** The ranger page's fixes: the signed-in ranger's session proves who sends them, no key is asked. */
    viaSession = false,
  ): Promise<{ prepared: PreparedFix[]; rejected: RejectedFix[] }> {
    const entries = await this.deps.directory.resolve(fixes.map((f) => f.deviceKey));
    const prepared: PreparedFix[] = [];
    const rejected: RejectedFix[] = [];
    const suspectAfter = Date.now() + this.deps.analyzerSettings().futureFixMinutes * 60_000;
    fixes.forEach((fix, index) => {
      const entry = entries.get(fix.deviceKey);
      const reason = !entry
        ? 'unknown_device'
        : !entry.active
          ? 'device_disabled'
          : !viaSession && !keyAccepted(entry, fix.key ?? bearerKey)
            ? 'key_invalid'
            : null;
      if (reason || !entry) rejected.push({ index, uniqueId: storableText(fix.deviceKey), reason: reason ?? 'unknown_device' });
      else prepared.push(this.locate(fix, entry, fix.fixTime.getTime() > suspectAfter));
    });
    return { prepared, rejected };
  }

  /**
   * The row to store: located in the org tree, bound to its ranger, and made storable — a device
   * protocol keeps what it did not understand as attributes, and one stray value (U+0000 in a
   * parameter, a number beyond the range of `real`) must not cost the fix, nor the other fixes of
   * its commit. A suspect fix is stored as not valid, so tracks and figures leave it out too.
   */
  private locate(fix: PositionFix, entry: DirectoryEntry, suspect: boolean): PreparedFix {
    const binding = DeviceDirectory.bindingAt(entry, fix.fixTime.getTime());
    const place = this.deps.geoIndex.locateFor(entry.deviceId, fix.lon, fix.lat);
    const attributes = storableAttributes(fix.attributes, suspect);
    return {
      uniqueId: entry.uniqueId,
      unitId: binding?.orgUnitId ?? entry.orgUnitId,
      unitPath: binding?.orgPath ?? entry.orgPath,
      suspect,
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
        accuracy: storableReal(fix.accuracy),
        altitude: storableReal(fix.altitude),
        speed: storableReal(fix.speed),
        course: storableReal(fix.course),
        battery: storableReal(fix.battery),
        valid: fix.valid && !suspect,
        alarm: fix.alarm === null ? null : storableText(fix.alarm) || null,
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
      // An alarm (SOS) goes to the head of the queue: it waits for the commits in flight, not for the backlog.
      if (fixes.some((f) => f.row.alarm)) this.queue.unshift({ fixes, resolve, reject });
      else this.queue.push({ fixes, resolve, reject });
      this.queuedRows += fixes.length;
      // Start on the next turn of the event loop, so requests arriving together share a commit.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Stops taking fixes and waits until everything acknowledged-to-be is written. */
  async close() {
    this.closed = true;
    while (this.inFlight > 0 || this.queue.length > 0) await new Promise<void>((done) => this.idleWaiters.push(done));
  }

  /** Starts commits while slots are free: each takes what queued up to `batchRows` (group commit). */
  private pump() {
    while (this.inFlight < this.options.concurrentCommits && this.queue.length > 0) {
      const batch: Waiter[] = [];
      let rows = 0;
      while (this.queue.length && (rows === 0 || rows + this.queue[0].fixes.length <= this.options.batchRows)) {
        const waiter = this.queue.shift() as Waiter;
        batch.push(waiter);
        rows += waiter.fixes.length;
      }
      this.queuedRows -= rows;
      this.inFlight++;
      void this.commitBatch(batch).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) for (const done of this.idleWaiters.splice(0)) done();
      });
    }
  }

  private async commitBatch(batch: Waiter[]) {
    try {
      settle(batch, await this.commitOnce(batch.flatMap((w) => w.fixes)));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(refusal(error));
      // The fixes of one request must not cost the other requests theirs: each on its own, so
      // only the request at fault is refused.
      for (const waiter of batch) {
        try {
          settle([waiter], await this.commitOnce(waiter.fixes));
        } catch (own) {
          waiter.reject(refusal(own));
        }
      }
    }
  }

  private async commitOnce(fixes: PreparedFix[]) {
    try {
      return await this.commit(fixes);
    } catch (error) {
      // Two commits in flight lock live states in device order, so a deadlock should not happen;
      // if PostgreSQL still picks this one as the victim, it was rolled back whole: run it again.
      if (databaseError(error).code !== DEADLOCK) throw error;
      return this.commit(fixes);
    }
  }

  /**
   * One transaction: the fixes, the live state, and the alerts they raise or clear. Answers which
   * rows were new (null: all of them, the usual case).
   */
  private async commit(fixes: PreparedFix[]): Promise<((row: PositionRow) => boolean) | null> {
    const settings = this.deps.analyzerSettings();
    const stored = await this.deps.runChange(
      ANALYZER,
      async (ctx) => {
        const inserted = await this.deps.positions.storeIn(
          ctx,
          fixes.map((f) => f.row),
        );
        const isNew = inserted.all ? null : (row: PositionRow) => inserted.keys.has(keyOf(row));
        const fresh = isNew ? fixes.filter((f) => isNew(f.row)) : fixes;
        // A suspect fix (dated ahead) is stored only: it moves no live state, map or patrol.
        const live = fresh.filter((f) => !f.suspect);
        // In device order, so two commits in flight lock the live states in the same order.
        const latest = newestPerDevice(live).sort((a, b) =>
          a.row.deviceId < b.row.deviceId ? -1 : a.row.deviceId > b.row.deviceId ? 1 : 0,
        );
        const states = await this.deps.positions.advanceStatesIn(
          ctx,
          latest.map((f) => f.row),
          settings.immobileRadiusM,
        );
        const advanced = new Set(states.map((s) => s.device_id));
        const moved = new Set(states.filter((s) => s.moved).map((s) => s.device_id));

        const outside = [
          ...new Set(live.filter((f) => f.row.inAssignedArea === false && f.row.rangerId).map((f) => f.row.rangerId as string)),
        ];
        const onPatrol = await this.deps.positions.onPatrolIn(ctx, outside);
        const candidates = fresh.flatMap((f) => this.analyze(f, settings, onPatrol));
        await this.deps.alerts.raiseIn(ctx, candidates);
        const back = latest.filter((f) => f.row.inAssignedArea === true && f.row.rangerId).map((f) => f.row.rangerId as string);
        const charged = latest
          .filter((f) => f.row.rangerId && f.row.battery !== null && f.row.battery >= settings.lowBatteryPercent + 10)
          .map((f) => f.row.rangerId as string);
        await this.deps.alerts.resolveIn(ctx, [
          { kind: 'left_area', rangerIds: back, code: 'back_in_area' },
          { kind: 'low_battery', rangerIds: charged, code: 'battery_recharged' },
        ]);
        // Only fixes that moved a device's live state forward reach the map: a late fix never drags it back.
        return { isNew, latest: latest.filter((f) => advanced.has(f.row.deviceId)), moved };
      },
      { auditOptional: true },
    );
    const patrolling = this.deps.patrolling();
    if (settings.movementOpensPatrol && stored.moved.size > 0) {
      const walking = stored.latest.filter(
        (f) => stored.moved.has(f.row.deviceId) && f.row.inAssignedArea === true && f.row.rangerId && !patrolling.has(f.row.rangerId),
      );
      if (walking.length > 0) {
        const at = new Date(Math.min(...walking.map((f) => f.row.fixTime.getTime())));
        this.deps.onMovement([...new Set(walking.map((f) => f.row.rangerId as string))], at);
      }
    }
    if (stored.latest.length > 0) this.deps.onFixes(stored.latest.map((f) => f.row));
    this.deps.liveFeed.offer(stored.latest.map((f) => liveOf(f, patrolling)));
    return stored.isNew;
  }

  /**
   * The alerts one fix raises. A suspect fix raises only an SOS: a phone whose clock runs ahead
   * still gets its call for help through, marked so the duty officer knows its time is doubtful.
   */
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
      const details = {
        uniqueId: f.uniqueId,
        accuracy: row.accuracy,
        ...(note ? { note } : {}),
        ...(f.suspect ? { suspectFixTime: true } : {}),
      };
      out.push({ ...base, kind: 'sos', details });
    }
    if (f.suspect) return out;
    if (row.rangerId && row.battery !== null && row.battery < settings.lowBatteryPercent) {
      out.push({ ...base, kind: 'low_battery', details: { battery: row.battery, threshold: settings.lowBatteryPercent } });
    }
    if (row.rangerId && row.inAssignedArea === false && onPatrol.has(row.rangerId)) {
      out.push({ ...base, kind: 'left_area', details: { gridId: row.gridId, outsideTerritory: row.outsideTerritory } });
    }
    return out;
  }
}

function settle(waiters: Waiter[], isNew: ((row: PositionRow) => boolean) | null) {
  for (const waiter of waiters) {
    const fresh = isNew ? waiter.fixes.filter((f) => isNew(f.row)).length : waiter.fixes.length;
    waiter.resolve({ stored: fresh, duplicates: waiter.fixes.length - fresh });
  }
}

/** A commit that failed: a value the database refuses is the sender's fault (400); anything else, send again (503). */
function refusal(error: unknown): AppError {
  const { code, message } = databaseError(error);
  const reason = message ?? 'database error';
  if (code?.startsWith(DATA_EXCEPTION)) return new AppError(400, 'bad_request', `Positions could not be stored: ${reason}`);
  return unavailable(`Positions could not be stored (${reason}); send again`, 1);
}

/** Attributes as stored: names and text made storable (see `locate`); a suspect fix says so. */
function storableAttributes(attributes: Record<string, AttributeValue>, suspect: boolean): Record<string, AttributeValue> | null {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) out[storableText(name)] = typeof value === 'string' ? storableText(value) : value;
  if (suspect) out.suspect = 'future_fix_time';
  return Object.keys(out).length ? out : null;
}

// float4 (real) holds magnitudes up to ~3.4e38; below ~1e-45 PostgreSQL refuses the text as underflow.
const REAL_MAX = 3.4e38;
const REAL_MIN = 1e-37;

/** A measurement as a `real` column holds it: beyond its range unknown, below its precision zero. */
function storableReal(value: number | null): number | null {
  if (value === null || !Number.isFinite(value) || Math.abs(value) > REAL_MAX) return null;
  return Math.abs(value) < REAL_MIN ? 0 : value;
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
