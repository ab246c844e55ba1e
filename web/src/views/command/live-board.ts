/**
 * The command map's picture of every device: loaded from `/api/positions/live`, then moved by the
 * live `position` messages. Messages only mark devices changed; the map reads the board in
 * batches (`takeFrame`): the whole picture after a load, otherwise only what changed as a diff
 * (MapLibre's `updateData`), so thousands of devices reporting every few seconds cost a few
 * small updates a second instead of re-sending every point each time.
 *
 * A device's state: SOS while an SOS alert it raised is not resolved (or its last fix carried the
 * alarm; the ranger's other phones keep their own colour, so one SOS is one red marker), silent when nothing was heard from it for longer than the analyzers'
 * threshold, otherwise patrolling or idle as the server said.
 */
import type { LiveMessages } from '@/api/live';
import type { DeviceState, LiveDevice } from '@/api/positions';
import type { DeviceFeatureProperties, DeviceFrame, DeviceSourceDiff } from '@/components/map/device-layer';

export type BoardDevice = {
  deviceId: string;
  uniqueId: string;
  rangerId: string | null;
  rangerName: string | null;
  fixTime: string;
  lon: number;
  lat: number;
  speed: number | null;
  course: number | null;
  battery: number | null;
  inAssignedArea: boolean | null;
  /** patrolling / idle as last reported, or sos when the last fix carried the alarm */
  reported: 'sos' | 'patrolling' | 'idle';
  /** when the server last heard from the device (ms) */
  heardAt: number;
  state: DeviceState;
};

export type StateCounts = Record<DeviceState, number>;
const layerOf = (feature: Feature): Layer => (feature.properties.state === 'sos' ? 'sos' : 'devices');
const emptyCounts = (): StateCounts => ({ sos: 0, patrolling: 0, idle: 0, silent: 0 });

type Feature = GeoJSON.Feature<GeoJSON.Point, DeviceFeatureProperties>;
/** Which of the map's two sources a device is drawn in. */
type Layer = 'devices' | 'sos';

export class LiveBoard {
  readonly devices = new Map<string, BoardDevice>();
  private readonly features = new Map<string, Feature>();
  private sosDevices: ReadonlySet<string> = new Set();
  /** The next frame redraws everything (after a load). */
  private full = true;
  /** Devices changed since the last frame. */
  private readonly changed = new Set<string>();
  /** Where each device is drawn on the map now. */
  private readonly drawn = new Map<string, Layer>();
  /** Devices that appeared live without a name: the caller reloads the list for them. */
  unknownSeen = false;

  constructor(private silentMs: number) {}

  setSilentMinutes(minutes: number) {
    this.silentMs = minutes * 60_000;
    this.sweep();
  }

  /** The initial picture (or a full refresh): replaces every device. */
  load(items: LiveDevice[], now = Date.now()) {
    this.devices.clear();
    this.features.clear();
    for (const item of items) {
      const device: BoardDevice = {
        deviceId: item.deviceId,
        uniqueId: item.uniqueId,
        rangerId: item.rangerId,
        rangerName: item.rangerName,
        fixTime: String(item.fixTime),
        lon: item.lon,
        lat: item.lat,
        speed: item.speed,
        course: item.course,
        battery: item.battery,
        inAssignedArea: item.inAssignedArea,
        // 'silent' is the client's to decide from heardAt; the server's SOS comes from an open alert.
        reported: item.state === 'sos' ? 'sos' : item.state === 'patrolling' ? 'patrolling' : 'idle',
        heardAt: Date.parse(String(item.serverTime)),
        state: 'idle',
      };
      this.devices.set(device.deviceId, device);
      this.refresh(device, now);
    }
    this.unknownSeen = false;
    this.full = true;
    this.changed.clear();
  }

  /** A live position: moves the device (never backwards in time). */
  apply(message: LiveMessages['position'], now = Date.now()) {
    const known = this.devices.get(message.deviceId);
    if (known && Date.parse(known.fixTime) > Date.parse(message.fixTime)) return;
    const device: BoardDevice = {
      deviceId: message.deviceId,
      uniqueId: message.uniqueId,
      rangerId: message.rangerId,
      rangerName: known?.rangerId === message.rangerId ? (known?.rangerName ?? null) : null,
      fixTime: message.fixTime,
      lon: message.lon,
      lat: message.lat,
      speed: message.speed,
      course: message.course,
      battery: message.battery,
      inAssignedArea: message.inAssignedArea,
      reported: message.state,
      heardAt: now,
      state: 'idle',
    };
    if (!known || (device.rangerId && !device.rangerName)) this.unknownSeen = true;
    this.devices.set(device.deviceId, device);
    this.refresh(device, now);
    this.changed.add(device.deviceId);
  }

  /** A patrol started or ended: the ranger's devices turn green or back. */
  setPatrolling(rangerId: string, patrolling: boolean, now = Date.now()) {
    for (const device of this.devices.values()) {
      if (device.rangerId !== rangerId || device.reported === 'sos') continue;
      device.reported = patrolling ? 'patrolling' : 'idle';
      if (this.refresh(device, now)) this.changed.add(device.deviceId);
    }
  }

  /** The devices that raised an unresolved SOS (from the alerts). An SOS alarm of a fix ends with its alert. */
  setSosDevices(deviceIds: ReadonlySet<string>, now = Date.now()) {
    const resolved = new Set([...this.sosDevices].filter((id) => !deviceIds.has(id)));
    this.sosDevices = deviceIds;
    for (const device of this.devices.values()) {
      if (resolved.has(device.deviceId) && device.reported === 'sos') device.reported = 'idle';
      if (this.refresh(device, now)) this.changed.add(device.deviceId);
    }
  }

  /** Turns devices silent that have not been heard from for too long; answers whether any changed. */
  sweep(now = Date.now()): boolean {
    let changed = false;
    for (const device of this.devices.values()) {
      if (!this.refresh(device, now)) continue;
      this.changed.add(device.deviceId);
      changed = true;
    }
    return changed;
  }

  stateOf(device: BoardDevice, now = Date.now()): DeviceState {
    if (device.reported === 'sos' || this.sosDevices.has(device.deviceId)) return 'sos';
    if (now - device.heardAt > this.silentMs) return 'silent';
    return device.reported;
  }

  /** Recomputes a device's state and its feature (a new object: the map may still hold the old one); answers whether the state changed. */
  private refresh(device: BoardDevice, now: number): boolean {
    const state = this.stateOf(device, now);
    const changed = state !== device.state;
    device.state = state;
    this.features.set(device.deviceId, {
      type: 'Feature',
      properties: { deviceId: device.deviceId, state, label: device.rangerName ?? device.uniqueId },
      geometry: { type: 'Point', coordinates: [device.lon, device.lat] },
    });
    return changed;
  }

  counts(): StateCounts {
    const counts = emptyCounts();
    for (const device of this.devices.values()) counts[device.state]++;
    return counts;
  }

  /**
   * What the map should draw since the last frame, or null when nothing changed: after a load
   * the whole picture (the clustered devices and the SOS devices apart), otherwise a diff per
   * source with the devices that moved, changed state or moved between the two sources.
   */
  takeFrame(): DeviceFrame | null {
    if (this.full) {
      this.full = false;
      this.changed.clear();
      this.drawn.clear();
      const devices: Feature[] = [];
      const sos: Feature[] = [];
      for (const [id, feature] of this.features) {
        const layer = layerOf(feature);
        (layer === 'sos' ? sos : devices).push(feature);
        this.drawn.set(id, layer);
      }
      return {
        kind: 'full',
        devices: { type: 'FeatureCollection', features: devices },
        sos: { type: 'FeatureCollection', features: sos },
        counts: this.counts(),
      };
    }
    if (this.changed.size === 0) return null;
    const diff: Record<Layer, Required<DeviceSourceDiff>> = {
      devices: { add: [], update: [], remove: [] },
      sos: { add: [], update: [], remove: [] },
    };
    for (const id of this.changed) {
      const feature = this.features.get(id);
      const was = this.drawn.get(id);
      if (!feature) {
        if (was) diff[was].remove.push(id);
        this.drawn.delete(id);
        continue;
      }
      const layer = layerOf(feature);
      if (was === layer) {
        diff[layer].update.push({
          id,
          newGeometry: feature.geometry,
          addOrUpdateProperties: [
            { key: 'state', value: feature.properties.state },
            { key: 'label', value: feature.properties.label },
          ],
        });
        continue;
      }
      if (was) diff[was].remove.push(id);
      diff[layer].add.push(feature);
      this.drawn.set(id, layer);
    }
    this.changed.clear();
    return { kind: 'diff', devices: diff.devices, sos: diff.sos, counts: this.counts() };
  }

  /** Devices whose ranger name, uniqueId starts or contains `text` (the map's search). */
  search(text: string, limit = 10): BoardDevice[] {
    const q = text.trim().toLowerCase();
    if (!q) return [];
    const out: BoardDevice[] = [];
    for (const device of this.devices.values()) {
      if ((device.rangerName ?? '').toLowerCase().includes(q) || device.uniqueId.toLowerCase().includes(q)) out.push(device);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The devices a ranger carries (an alert names the ranger, not the device). */
  devicesOf(rangerId: string): BoardDevice[] {
    return [...this.devices.values()].filter((d) => d.rangerId === rangerId).sort((a, b) => b.fixTime.localeCompare(a.fixTime));
  }
}
