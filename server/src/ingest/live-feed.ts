import type { z } from 'zod';
import { type LivePositionMessage, positionEvent } from '../modules/positions/positions.events.js';
import type { EventBus } from '../platform/events.js';

/**
 * What the live map receives for a device (see `LivePositionMessage`), with the org path the
 * position belongs to: the ranger's assigned unit, else the device's owner.
 */
export type LivePosition = z.infer<typeof LivePositionMessage> & { orgPath: string };

/**
 * Coalesces positions so each device reaches the viewers at most once per interval, with its
 * newest fix: 10,000 rangers reporting every few seconds stay a steady stream the map can draw.
 */
export class LivePositionFeed {
  private pending = new Map<string, LivePosition>();
  private lastSent = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly events: EventBus,
    private readonly intervalMs = 1_000,
  ) {}

  /** Offers new fixes; older ones than what a device already showed are dropped. */
  offer(items: LivePosition[]) {
    for (const item of items) {
      const time = Date.parse(item.fixTime);
      const known = this.pending.get(item.deviceId);
      if ((known && Date.parse(known.fixTime) >= time) || (this.lastSent.get(item.deviceId) ?? 0) > time) continue;
      this.pending.set(item.deviceId, item);
    }
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  flush() {
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    for (const item of batch.values()) {
      this.lastSent.set(item.deviceId, Date.parse(item.fixTime));
      const { orgPath, ...payload } = item;
      this.events.publish(positionEvent('position', { orgPath }, payload));
    }
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.flush();
  }
}
