import type { DirectoryRow } from '../modules/devices/devices.service.js';
import { isStorableText } from '../platform/text.js';

/** A device as ingest sees it, with its bindings as time ranges in epoch milliseconds. */
export type DirectoryEntry = {
  deviceId: string;
  uniqueId: string;
  keyHash: string | null;
  /** Its county requires keys: a keyless device's fixes are refused like a wrong key. */
  keyRequired: boolean;
  active: boolean;
  orgUnitId: number;
  orgPath: string;
  bindings: { rangerId: string; orgUnitId: number; orgPath: string; from: number; to: number }[];
};

const UNKNOWN_TTL_MS = 30_000;

function toEntry(row: DirectoryRow): DirectoryEntry {
  return {
    deviceId: row.deviceId,
    uniqueId: row.uniqueId,
    keyHash: row.keyHash,
    keyRequired: row.keyRequired,
    active: row.status === 'active',
    orgUnitId: row.orgUnitId,
    orgPath: row.orgPath,
    bindings: row.bindings.map((b) => ({
      rangerId: b.rangerId,
      orgUnitId: b.orgUnitId,
      orgPath: b.orgPath,
      from: Date.parse(b.from),
      to: b.to ? Date.parse(b.to) : Number.POSITIVE_INFINITY,
    })),
  };
}

/**
 * The devices ingest knows, in memory: every fix is matched to its device and to the ranger who
 * carried it at the fix time without a query. Loaded at start; a device change (an event from any
 * instance) reloads that device; an unknown identity is asked for once and then remembered as
 * unknown for 30 s, so a misconfigured phone cannot flood the database with look-ups.
 */
export class DeviceDirectory {
  private readonly entries = new Map<string, DirectoryEntry>();
  private readonly unknownUntil = new Map<string, number>();

  constructor(private readonly load: (uniqueIds?: string[]) => Promise<DirectoryRow[]>) {}

  async loadAll() {
    const rows = await this.load();
    this.entries.clear();
    for (const row of rows) this.entries.set(row.uniqueId, toEntry(row));
  }

  /** Forgets what is known of these identities, so the next fix reloads them. */
  invalidate(uniqueId: string) {
    this.entries.delete(uniqueId);
    this.unknownUntil.delete(uniqueId);
  }

  /** Forgets every device (a key policy changed what all of a county's devices need): each is read again at its next fix. */
  invalidateAll() {
    this.entries.clear();
    this.unknownUntil.clear();
  }

  /**
   * The entries of these identities (missing ones are looked up in one query); unknown ones are
   * absent. An identity holding text PostgreSQL cannot store (U+0000) was never registered: it is
   * unknown without asking the database, which would refuse the query.
   */
  async resolve(uniqueIds: Iterable<string>): Promise<Map<string, DirectoryEntry>> {
    const now = Date.now();
    const found = new Map<string, DirectoryEntry>();
    const missing: string[] = [];
    for (const id of new Set(uniqueIds)) {
      const entry = this.entries.get(id);
      if (entry) found.set(id, entry);
      else if (isStorableText(id) && (this.unknownUntil.get(id) ?? 0) < now) missing.push(id);
    }
    if (missing.length) {
      const rows = await this.load(missing);
      for (const row of rows) {
        const entry = toEntry(row);
        this.entries.set(row.uniqueId, entry);
        found.set(row.uniqueId, entry);
      }
      for (const id of missing) if (!found.has(id)) this.unknownUntil.set(id, now + UNKNOWN_TTL_MS);
    }
    return found;
  }

  /** The binding in force at a time, if the device was carried by a ranger then. */
  static bindingAt(entry: DirectoryEntry, time: number) {
    for (let i = entry.bindings.length - 1; i >= 0; i--) {
      const b = entry.bindings[i];
      if (b.from <= time && time < b.to) return b;
    }
    return null;
  }
}
