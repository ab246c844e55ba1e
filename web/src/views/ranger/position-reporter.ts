/**
 * The ranger page's position reporting: the browser's geolocation is watched while the page is
 * open, a fix is queued every interval, and the queue is sent in order to `/api/me/positions`.
 * The queue lives in localStorage, so fixes taken without network (or when a send fails) survive
 * a reload and go out, oldest first, when the network returns.
 */
import { ApiError } from '@/api/client';
import { requestLimits } from '@/api/limits';
import type { BrowserFix } from '@/api/positions';

/** What one call takes: at most this many fixes (the API's limit), accuracy and speed within range. */
const LIMITS = requestLimits.reportMyPositions;
const BATCH = LIMITS.fixes.maxItems;
/** The queue keeps at most this many fixes (a week at one every 30 s); the oldest go first. */
const MAX_QUEUED = 20_000;

export type Located = {
  lon: number;
  lat: number;
  accuracy: number | null;
  speed: number | null;
  course: number | null;
  altitude: number | null;
  at: number;
};

export type ReporterState = {
  /** the newest position the browser gave */
  located: Located | null;
  /** why there is no position (permission refused, unavailable), else null */
  geoError: 'denied' | 'unavailable' | 'unsupported' | null;
  /** fixes waiting to be sent */
  queued: number;
  online: boolean;
  sending: boolean;
  lastSentAt: number | null;
  /** the last send failed (kept until one succeeds) */
  lastError: string | null;
};

type Options = {
  /** localStorage key of the queue (one per account) */
  storageKey: string;
  send: (fixes: BrowserFix[]) => Promise<unknown>;
  /** called after every change of the state */
  onChange: (state: ReporterState) => void;
  /** called with every fix queued (the page measures the distance walked with them) */
  onFix?: (fix: BrowserFix) => void;
};

export class PositionReporter {
  private readonly state: ReporterState;
  private queue: BrowserFix[];
  private watchId: number | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private intervalMs = 30_000;
  private lastQueuedAt = 0;
  private battery: { level: number } | null = null;
  private readonly onOnline = () => this.setOnline(true);
  private readonly onOffline = () => this.setOnline(false);

  constructor(private readonly options: Options) {
    this.queue = readQueue(options.storageKey);
    this.state = {
      located: null,
      geoError: null,
      queued: this.queue.length,
      online: navigator.onLine,
      sending: false,
      lastSentAt: null,
      lastError: null,
    };
  }

  /** Starts watching the position and queuing a fix every `intervalMs`. */
  start(intervalMs: number) {
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    if (!('geolocation' in navigator)) {
      this.state.geoError = 'unsupported';
    } else {
      this.watchId = navigator.geolocation.watchPosition(
        (position) => this.onPosition(position),
        (error) => {
          this.state.geoError = error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable';
          this.emit();
        },
        { enableHighAccuracy: true, maximumAge: 10_000, timeout: 60_000 },
      );
    }
    // Battery level where the browser tells it (Chrome on Android); officers see it on the map.
    const nav = navigator as Navigator & { getBattery?: () => Promise<{ level: number }> };
    void nav
      .getBattery?.()
      .then((battery) => {
        this.battery = battery;
      })
      .catch(() => undefined);
    this.setInterval(intervalMs);
    void this.flush();
    this.emit();
  }

  stop() {
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    if (this.watchId !== null) navigator.geolocation.clearWatch(this.watchId);
    this.watchId = null;
    clearInterval(this.timer);
  }

  /** Changes how often a fix is queued (and sent). */
  setInterval(intervalMs: number) {
    if (intervalMs === this.intervalMs && this.timer) return;
    this.intervalMs = intervalMs;
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  /** Queues the current position at once and sends (the start of a patrol, a check-in). */
  reportNow() {
    this.tick(true);
  }

  /** The newest position, asking the browser for a fresh one when there is none yet. */
  async currentPosition(timeoutMs = 15_000): Promise<Located | null> {
    if (this.state.located && Date.now() - this.state.located.at < 120_000) return this.state.located;
    if (!('geolocation' in navigator)) return this.state.located;
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (position) => {
          this.onPosition(position);
          resolve(this.state.located);
        },
        () => resolve(this.state.located),
        { enableHighAccuracy: true, maximumAge: 30_000, timeout: timeoutMs },
      );
    });
  }

  private onPosition(position: GeolocationPosition) {
    const c = position.coords;
    this.state.located = {
      lon: c.longitude,
      lat: c.latitude,
      accuracy: finite(c.accuracy),
      speed: finite(c.speed),
      course: finite(c.heading),
      altitude: finite(c.altitude),
      at: position.timestamp || Date.now(),
    };
    this.state.geoError = null;
    this.emit();
    // The first position the page gets goes out at once: the command centre sees the ranger now.
    if (this.lastQueuedAt === 0) this.tick(true);
  }

  /**
   * Queues a fix from the newest position. When the browser reported nothing new since the last
   * fix (it calls back on movement only), the phone still stands where it last measured: the fix
   * repeats that place at the current time, so the command centre sees the ranger alive, not silent.
   */
  private tick(force = false) {
    const located = this.state.located;
    if (located) {
      const now = Date.now();
      if (force || now - this.lastQueuedAt >= this.intervalMs - 500) {
        const fixTime = located.at > this.lastQueuedAt ? located.at : now;
        const fix: BrowserFix = {
          fixTime: new Date(fixTime).toISOString(),
          lon: round(located.lon, 7),
          lat: round(located.lat, 7),
          accuracy: located.accuracy === null ? null : Math.min(LIMITS['fixes.accuracy'].maximum, round(located.accuracy, 1)),
          speed:
            located.speed === null ? null : Math.min(LIMITS['fixes.speed'].maximum, Math.max(LIMITS['fixes.speed'].minimum, located.speed)),
          course: located.course === null ? null : Math.min(360, Math.max(0, located.course)),
          altitude: located.altitude === null ? null : Math.min(10_000, Math.max(-1_000, located.altitude)),
          battery: this.battery ? Math.round(this.battery.level * 100) : null,
        };
        this.lastQueuedAt = fixTime;
        this.queue.push(fix);
        if (this.queue.length > MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED);
        this.save();
        this.options.onFix?.(fix);
      }
    }
    void this.flush();
  }

  /** Sends the queue in order, a batch at a time, while the network is there. */
  async flush() {
    if (this.state.sending || this.queue.length === 0) return;
    if (!navigator.onLine) {
      this.setOnline(false);
      return;
    }
    this.state.sending = true;
    this.emit();
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, BATCH);
        try {
          await this.options.send(batch);
        } catch (error) {
          // The server refused these fixes as they are (400): sending them again would not help.
          if (!(error instanceof ApiError && error.status === 400)) throw error;
        }
        // Fixes queued while sending stay behind the batch.
        this.queue.splice(0, batch.length);
        this.save();
        this.state.lastSentAt = Date.now();
        this.state.lastError = null;
      }
    } catch (error) {
      this.state.lastError = error instanceof Error ? error.message : String(error);
    } finally {
      this.state.sending = false;
      this.emit();
    }
  }

  private setOnline(online: boolean) {
    this.state.online = online;
    this.emit();
    if (online) void this.flush();
  }

  private save() {
    this.state.queued = this.queue.length;
    try {
      if (this.queue.length) localStorage.setItem(this.options.storageKey, JSON.stringify(this.queue));
      else localStorage.removeItem(this.options.storageKey);
    } catch {
      // storage full: the fixes stay in memory until they are sent
    }
  }

  private emit() {
    this.options.onChange({ ...this.state, queued: this.queue.length });
  }
}

function readQueue(key: string): BrowserFix[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as BrowserFix[]) : [];
  } catch {
    return [];
  }
}

const finite = (value: number | null | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
