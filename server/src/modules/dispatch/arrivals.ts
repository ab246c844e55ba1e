/**
 * Arrival from positions: a ranger on the way to an incident (assignment accepted or en route)
 * whose fix comes within 200 m of the incident is on scene. The position pipeline hands every
 * committed fix here (up to thousands a second), so the check is in memory: the rangers on the way
 * and the points they head to are held in a map (ranger → targets), reloaded from the database
 * whenever an assignment or an incident changes (here or, through the event bridge, on another
 * instance). A fix of a ranger not in the map costs one map lookup; only a match starts a change,
 * after the fixes' own commit and without holding up the pipeline.
 */
import type { EventBus } from '../../platform/events.js';
import { ARRIVAL_RADIUS_M } from './dispatch.schema.js';
import { type DispatchService, sphereMetres } from './dispatch.service.js';

/** What the arrival check needs of a fix (the pipeline's stored row has it). */
export type RangerFix = { rangerId: string | null; lon: number; lat: number; fixTime: Date };

type Target = { assignmentId: string; point: [number, number] };

export class ArrivalDetector {
  private byRanger = new Map<string, Target[]>();
  /** Assignments found arrived and being written: not matched again by the next fixes meanwhile. */
  private arriving = new Set<string>();
  private loading: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly deps: {
      service: Pick<DispatchService, 'arriving' | 'arriveByPosition'>;
      onError: (error: unknown) => void;
      radiusM?: number;
    },
  ) {}

  /** Rangers on the way now (tests and health). */
  get size() {
    return this.byRanger.size;
  }

  /** Reads the rangers on the way again; calls while a read runs make one more read after it. */
  reload(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.again = false;
          const rows = await this.deps.service.arriving();
          const next = new Map<string, Target[]>();
          for (const r of rows) next.set(r.rangerId, [...(next.get(r.rangerId) ?? []), { assignmentId: r.assignmentId, point: r.point }]);
          this.byRanger = next;
        } while (this.again);
      } catch (error) {
        this.deps.onError(error);
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Reloads when an assignment or an incident changes (events of this instance and relayed ones). */
  follow(events: EventBus) {
    return events.subscribe((event) => {
      if (event.topic === 'incidents') void this.reload();
    });
  }

  /**
   * Checks committed fixes: each of a ranger on the way within the radius of their target marks
   * that assignment on scene at the fix's time. Answers the writes started (tests wait for them).
   */
  check(fixes: readonly RangerFix[]): Promise<unknown> | null {
    if (this.byRanger.size === 0) return null;
    const radius = this.deps.radiusM ?? ARRIVAL_RADIUS_M;
    const writes: Promise<unknown>[] = [];
    for (const fix of fixes) {
      const targets = fix.rangerId ? this.byRanger.get(fix.rangerId) : undefined;
      if (!targets) continue;
      for (const target of targets) {
        if (this.arriving.has(target.assignmentId) || sphereMetres([fix.lon, fix.lat], target.point) > radius) continue;
        this.arriving.add(target.assignmentId);
        this.byRanger.set(
          fix.rangerId as string,
          targets.filter((t) => t !== target),
        );
        writes.push(
          this.deps.service
            .arriveByPosition(target.assignmentId, fix.fixTime)
            .catch(this.deps.onError)
            .finally(() => this.arriving.delete(target.assignmentId)),
        );
      }
    }
    return writes.length ? Promise.all(writes) : null;
  }
}
