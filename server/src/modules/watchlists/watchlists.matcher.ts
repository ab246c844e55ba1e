import { isPattern, matchesPattern } from './plates.js';

/** An entry of an approved watchlist that has not ended, as the matcher holds it. */
export type ActiveEntry = {
  entryId: string;
  entryPlate: string;
  watchlistId: string;
  watchlistName: string;
  reason: string;
  /** The watchlist's unit (county or city) and its path: it watches checkpoints of that subtree. */
  orgUnitId: number;
  orgPath: string;
  validFrom: Date;
  validTo: Date;
};

/**
 * The watchlists in force, in memory, so that a capture is matched without a query (issue 11:
 * hits found on ingest, not by a query per capture): exact plates in a map, patterns with `?` in
 * a list by length. Rebuilt whole from the database whenever a watchlist changes.
 */
export class WatchlistMatcher {
  private exact = new Map<string, ActiveEntry[]>();
  private patterns = new Map<number, { chars: string[]; entry: ActiveEntry }[]>();
  private count = 0;

  /** Replaces what the matcher holds. */
  load(entries: ActiveEntry[]): void {
    const exact = new Map<string, ActiveEntry[]>();
    const patterns = new Map<number, { chars: string[]; entry: ActiveEntry }[]>();
    for (const entry of entries) {
      if (isPattern(entry.entryPlate)) {
        const chars = [...entry.entryPlate];
        const list = patterns.get(chars.length) ?? [];
        list.push({ chars, entry });
        patterns.set(chars.length, list);
      } else {
        const list = exact.get(entry.entryPlate) ?? [];
        list.push(entry);
        exact.set(entry.entryPlate, list);
      }
    }
    this.exact = exact;
    this.patterns = patterns;
    this.count = entries.length;
  }

  get size(): number {
    return this.count;
  }

  /**
   * The entries a passage hits: its plate matches, it was captured inside the watchlist's period,
   * and its checkpoint lies in the watchlist's unit. One entry per watchlist (a plate listed and
   * matching a pattern of the same watchlist is one hit).
   */
  match(plate: string, capturedAt: Date, checkpointPath: string): ActiveEntry[] {
    if (this.count === 0) return [];
    const candidates = [...(this.exact.get(plate) ?? [])];
    const byLength = this.patterns.get([...plate].length);
    if (byLength) for (const p of byLength) if (matchesPattern(p.chars, plate)) candidates.push(p.entry);
    const at = capturedAt.getTime();
    const hits = new Map<string, ActiveEntry>();
    for (const entry of candidates) {
      if (hits.has(entry.watchlistId)) continue;
      if (at < entry.validFrom.getTime() || at >= entry.validTo.getTime()) continue;
      if (!checkpointPath.startsWith(entry.orgPath)) continue;
      hits.set(entry.watchlistId, entry);
    }
    return [...hits.values()];
  }
}
