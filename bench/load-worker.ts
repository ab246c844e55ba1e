/**
 * The load generator, run in a worker thread so it has its own event loop (the server under test
 * keeps the main one): gateway batches, single OsmAnd fixes, and the SOS → WebSocket probe.
 * Every fix is new: each device's fix time advances by `stepMs` per fix from `baseTime`.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import WebSocket from 'ws';
import { Connection } from './http-client.js';

/** A device's walk, with the key it sends (the demo phones have keys). */
export type Track = { uniqueId: string; key: string | null; points: [number, number][] };
export type FixPlan = { tracks: Track[]; baseTime: number; stepMs: number };

type Endpoint = { host: string; port: number; path: string };
type Window = { warmupMs: number; durationMs: number };

/** Closed-loop batches on `connections` connections, or paced to `paceFixesPerSec`. */
export type BatchJob = Endpoint &
  Window & { kind: 'batch'; plan: FixPlan; connections: number; batchSize: number; paceFixesPerSec?: number };
/** One fix per GET (OsmAnd query form), closed loop on `connections` connections. */
export type SingleJob = Endpoint & Window & { kind: 'single'; plan: FixPlan; connections: number };
/**
 * Paced batch load while, every `everyMs`, one device sends an SOS and the time to what it raises
 * on the live socket is taken: its alert (topic `alerts`), or the incident the SOS opens (topic
 * `incidents`, matched to the alert by the incident's `sourceRef`).
 */
export type SosJob = {
  kind: 'sos';
  until: 'alert' | 'incident';
  load: BatchJob;
  osmand: Endpoint;
  live: { url: string; cookie: string };
  /** Devices that press SOS in turn (one per ranger: a ranger has at most one open SOS), each at a point of its grid. */
  devices: { uniqueId: string; key: string | null; lon: number; lat: number }[];
  everyMs: number;
  samples: number;
  timeoutMs: number;
};
export type Job = BatchJob | SingleJob | SosJob;

export type LoadResult = {
  /** Length of the measuring window (after the warm-up), ms. */
  windowMs: number;
  /** Requests answered in the window, and of them with 200. */
  requests: number;
  ok: number;
  /** Fixes the answers in the window report as stored. */
  stored: number;
  /** Fixes reported stored over the whole run, warm-up included (to check against the table). */
  storedTotal: number;
  statuses: Record<string, number>;
  errors: string[];
  /** Request latencies in the window, ms (single fixes). */
  latenciesMs: number[];
  /** Paced load: sends that started late because every connection was busy. */
  late: number;
  /** Share of the time the client's own event loop was busy (its cost on the shared cores). */
  clientBusy: number;
};
export type SosResult = { load: LoadResult; latenciesMs: number[]; missed: number };

class FixSource {
  private readonly counts: number[];
  private next = 0;

  constructor(private readonly plan: FixPlan) {
    this.counts = plan.tracks.map(() => 0);
  }

  private take() {
    const d = this.next;
    this.next = (this.next + 1) % this.plan.tracks.length;
    const n = this.counts[d]++;
    const track = this.plan.tracks[d];
    const [lon, lat] = track.points[n % track.points.length];
    return { uniqueId: track.uniqueId, key: track.key, n, lon, lat, time: this.plan.baseTime + n * this.plan.stepMs };
  }

  /** A gateway batch body of `size` fixes, in the model's units. */
  batchBody(size: number): string {
    const items: string[] = new Array(size);
    for (let i = 0; i < size; i++) {
      const f = this.take();
      items[i] =
        `{"uniqueId":"${f.uniqueId}",${f.key ? `"key":"${f.key}",` : ''}"fixTime":${f.time},"lon":${f.lon},"lat":${f.lat},"speed":1.2,` +
        `"course":${(f.n * 37) % 360},"battery":${80 - (f.n % 400) / 10},"accuracy":8}`;
    }
    return `[${items.join(',')}]`;
  }

  /** The OsmAnd query of one fix (speed in knots), as Traccar Client sends it. */
  osmandPath(base: string): string {
    const f = this.take();
    return `${base}?id=${f.uniqueId}${f.key ? `&key=${f.key}` : ''}&lat=${f.lat}&lon=${f.lon}&timestamp=${f.time}&speed=2.33&bearing=${(f.n * 37) % 360}&batt=${80 - (f.n % 400) / 10}&accuracy=8`;
  }
}

function emptyResult(): LoadResult {
  return { windowMs: 0, requests: 0, ok: 0, stored: 0, storedTotal: 0, statuses: {}, errors: [], latenciesMs: [], late: 0, clientBusy: 0 };
}

/** Runs requests on `connections` connections until the window ends (or `stop` resolves, when given). */
async function runLoad(
  job: BatchJob | SingleJob,
  makeRequest: (c: Connection) => Promise<{ status: number; body: string }>,
  options: { stop?: Promise<void>; paceEveryMs?: number; record?: boolean } = {},
): Promise<LoadResult> {
  const result = emptyResult();
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  const t0 = start + job.warmupMs;
  let t1 = options.stop ? Number.POSITIVE_INFINITY : t0 + job.durationMs;
  let stopped = false;
  void options.stop?.then(() => {
    t1 = performance.now();
    stopped = true;
  });
  const connections = Array.from({ length: job.connections }, () => new Connection(job.host, job.port));
  let slot = 0;

  const worker = async (c: Connection) => {
    for (;;) {
      if (options.paceEveryMs) {
        const due = start + slot++ * options.paceEveryMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        else if (wait < -options.paceEveryMs) result.late++;
      }
      const sentAt = performance.now();
      if (stopped || sentAt >= t1) return;
      let reply: { status: number; body: string };
      try {
        reply = await makeRequest(c);
      } catch (error) {
        if (result.errors.length < 5) result.errors.push((error as Error).message);
        return;
      }
      const at = performance.now();
      const stored = reply.status === 200 ? storedOf(reply.body) : 0;
      result.storedTotal += stored;
      if (at >= t0 && at <= t1) {
        result.requests++;
        result.statuses[reply.status] = (result.statuses[reply.status] ?? 0) + 1;
        if (reply.status === 200) result.ok++;
        else if (result.errors.length < 5) result.errors.push(`${reply.status} ${reply.body.slice(0, 200)}`);
        result.stored += stored;
        if (options.record) result.latenciesMs.push(at - sentAt);
      }
    }
  };
  await Promise.all(connections.map(worker));
  result.windowMs = Math.min(t1, performance.now()) - t0;
  result.clientBusy = performance.eventLoopUtilization(elu).utilization;
  for (const c of connections) c.close();
  return result;
}

function storedOf(body: string): number {
  const match = /"stored":(\d+)/.exec(body);
  return match ? Number(match[1]) : 0;
}

function batchLoad(job: BatchJob, stop?: Promise<void>) {
  const source = new FixSource(job.plan);
  const paceEveryMs = job.paceFixesPerSec ? (job.batchSize / job.paceFixesPerSec) * 1000 : undefined;
  return runLoad(job, (c) => c.postJson(job.path, source.batchBody(job.batchSize)), { stop, paceEveryMs });
}

function singleLoad(job: SingleJob) {
  const source = new FixSource(job.plan);
  return runLoad(job, (c) => c.get(source.osmandPath(job.path)), { record: true });
}

async function sosProbe(job: SosJob): Promise<SosResult> {
  const socket = new WebSocket(job.live.url, { headers: { cookie: job.live.cookie } });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  // The SOS alert names the device; the incident names the alert. Both come out of one commit, in either order.
  const deviceOfAlert = new Map<string, string>();
  const incidentAt = new Map<string, number>();
  const arrived = (uniqueId: string, at: number) => {
    const sent = sentAt.get(uniqueId);
    if (sent === undefined) return;
    latencies.push(at - sent);
    sentAt.delete(uniqueId);
  };
  type Message = {
    type: string;
    kind?: string;
    id?: string;
    details?: { uniqueId?: string };
    incident?: { source: string; sourceRef: string | null };
  };
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'subscribe', topics: job.until === 'alert' ? ['alerts'] : ['alerts', 'incidents'] })),
    );
    socket.on('message', (raw: Buffer) => {
      const now = performance.now();
      const message = JSON.parse(raw.toString()) as Message;
      if (message.type === 'subscribed') resolve();
      if (message.type === 'alert' && message.kind === 'sos' && message.details?.uniqueId) {
        const uniqueId = message.details.uniqueId;
        if (job.until === 'alert') return arrived(uniqueId, now);
        if (!message.id) return;
        deviceOfAlert.set(message.id, uniqueId);
        const incidentSeen = incidentAt.get(message.id);
        if (incidentSeen !== undefined) arrived(uniqueId, incidentSeen);
      }
      if (message.type === 'incident' && message.incident?.source === 'sos' && message.incident.sourceRef) {
        const alertId = message.incident.sourceRef;
        if (!incidentAt.has(alertId)) incidentAt.set(alertId, now);
        const uniqueId = deviceOfAlert.get(alertId);
        if (uniqueId) arrived(uniqueId, incidentAt.get(alertId) as number);
      }
    });
  });

  let finish = () => {};
  const stop = new Promise<void>((resolve) => {
    finish = resolve;
  });
  // A pace of 0 is the idle baseline: the SOS presses alone.
  const load = job.load.paceFixesPerSec === 0 ? stop.then(emptyResult) : batchLoad(job.load, stop);
  if (job.load.paceFixesPerSec !== 0) await new Promise((resolve) => setTimeout(resolve, job.load.warmupMs));

  const sender = new Connection(job.osmand.host, job.osmand.port);
  let missed = 0;
  for (let i = 0; i < job.samples && i < job.devices.length; i++) {
    const started = performance.now();
    const { uniqueId, key, lon, lat } = job.devices[i];
    sentAt.set(uniqueId, started);
    const reply = await sender.get(
      `${job.osmand.path}?id=${uniqueId}${key ? `&key=${key}` : ''}&lat=${lat}&lon=${lon}&timestamp=${Date.now()}&speed=0&batt=60&alarm=sos`,
    );
    if (reply.status !== 200) throw new Error(`SOS of ${uniqueId} answered ${reply.status} ${reply.body}`);
    const next = started + job.everyMs - performance.now();
    if (next > 0) await new Promise((resolve) => setTimeout(resolve, next));
  }
  // The last alerts (or incidents) get their time to arrive; those that never do are counted as missed.
  const deadline = performance.now() + job.timeoutMs;
  while (sentAt.size && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  missed = sentAt.size;
  finish();
  const loadResult = await load;
  sender.close();
  socket.close();
  return { load: loadResult, latenciesMs: latencies, missed };
}

parentPort?.on('message', (job: Job) => {
  const run = job.kind === 'batch' ? batchLoad(job) : job.kind === 'single' ? singleLoad(job) : sosProbe(job);
  run.then(
    (result) => parentPort?.postMessage({ ok: true, result }),
    (error: Error) => parentPort?.postMessage({ ok: false, error: error.stack ?? error.message }),
  );
});
