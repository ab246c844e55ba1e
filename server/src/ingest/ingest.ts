/**
 * Assembles the position network: the device directory and the geometry index that enrich every
 * fix in memory, the pipeline that writes them, the live feed, and the analyzer loop that raises
 * the timed alerts. `buildApp` creates it; `serve` also opens the OsmAnd port and MQTT.
 */
import type { Db } from '../db/connection.js';
import type { AlertsService } from '../modules/alerts/alerts.service.js';
import type { DevicesService } from '../modules/devices/devices.service.js';
import type { ArrivalDetector } from '../modules/dispatch/arrivals.js';
import type { PatrolsService } from '../modules/patrols/patrols.service.js';
import type { PositionStore } from '../modules/positions/positions.service.js';
import type { RunChange } from '../platform/change.js';
import type { EventBus } from '../platform/events.js';
import type { OrgRepo } from '../platform/org/org.repo.js';
import { DeviceDirectory } from './device-directory.js';
import { GeoIndex } from './geo-index.js';
import { createIngestService } from './ingest.service.js';
import { LivePositionFeed } from './live-feed.js';
import { type PipelineOptions, PositionPipeline } from './pipeline.js';

type Deps = {
  db: Db;
  events: EventBus;
  orgRepo: Pick<OrgRepo, 'indexAreas'>;
  devices: Pick<DevicesService, 'directory'>;
  positions: PositionStore;
  runChange: RunChange;
  alertsService: Pick<AlertsService, 'settings' | 'loadSettings' | 'raiseIn' | 'resolveIn' | 'runTimedAnalyzers'>;
  /** Opens patrols on movement and closes idle ones (the analyzer pass). */
  patrolsService: Pick<PatrolsService, 'openByMovement' | 'closeIdle'>;
  /** Arrival of rangers on the way to an incident, checked on each committed fix (dispatch). */
  arrivals: Pick<ArrivalDetector, 'check'>;
  /** Where failures of work done after the answer (opening a patrol on movement) are reported. */
  onError: (error: unknown) => void;
  pipelineOptions?: Partial<PipelineOptions>;
  liveIntervalMs?: number;
};

export async function createPositionNetwork(deps: Deps) {
  const { db, events } = deps;
  const directory = new DeviceDirectory((ids) => deps.devices.directory(ids));
  const geoIndex = new GeoIndex();
  const liveFeed = new LivePositionFeed(events, deps.liveIntervalMs);
  let patrolling: ReadonlySet<string> = new Set();

  const refreshPatrolling = async () => {
    patrolling = await deps.positions.patrollingRangers();
  };
  await Promise.all([
    directory.loadAll(),
    deps.orgRepo.indexAreas(db).then((rows) => geoIndex.rebuild(rows)),
    deps.alertsService.loadSettings(),
    refreshPatrolling(),
  ]);

  const pipeline = new PositionPipeline({
    runChange: deps.runChange,
    directory,
    geoIndex,
    positions: deps.positions,
    alerts: deps.alertsService,
    liveFeed,
    analyzerSettings: deps.alertsService.settings,
    patrolling: () => patrolling,
    // After the fixes are acknowledged, in a change of its own (audited as the system).
    onMovement: (rangerIds, at) => void deps.patrolsService.openByMovement(rangerIds, at).catch(deps.onError),
    // In memory; a ranger within the radius starts a change of its own, after the fixes' commit.
    onFixes: (fixes) => {
      try {
        void deps.arrivals.check(fixes);
      } catch (error) {
        deps.onError(error);
      }
    },
    options: deps.pipelineOptions,
  });

  // Changes made on this or another instance (relayed by the event bridge) reach the caches.
  const unsubscribe = events.subscribe((event) => {
    if (event.type === 'device.changed') directory.invalidate(event.payload.uniqueId);
    // A county's key policy changes what every device of it needs: all are read again.
    if (event.type === 'device.key_policy') directory.invalidateAll();
    if (event.topic === 'settings') void deps.alertsService.loadSettings();
    if (event.topic === 'patrols') void refreshPatrolling();
  });

  let loop: NodeJS.Timeout | null = null;
  return {
    pipeline,
    ingest: createIngestService({ pipeline }),
    directory,
    geoIndex,
    liveFeed,

    /**
     * One pass of the timed analyzers (the loop runs it every `intervalMs`): closes the patrols
     * of rangers not heard of for the setting's minutes, then raises silent and immobile alerts.
     * Answers the number of alerts raised.
     */
    async analyzeOnce() {
      await deps.patrolsService.closeIdle(deps.alertsService.settings().idlePatrolCloseMinutes, new Date());
      await refreshPatrolling();
      return deps.alertsService.runTimedAnalyzers();
    },

    /** Starts the analyzer loop (idle patrols, silent and immobile rangers on patrol). */
    startAnalyzerLoop(intervalMs: number, onError: (error: unknown) => void) {
      loop = setInterval(() => void this.analyzeOnce().catch(onError), intervalMs);
    },

    /** Stops taking fixes, writes what was acknowledged, and stops the loops. */
    async close() {
      if (loop) clearInterval(loop);
      unsubscribe();
      await pipeline.close();
      liveFeed.stop();
    },
  };
}
