/**
 * The load of `npm run bench:captures`, in a worker thread (its own event loop; the server keeps
 * the main one): batches of captures POSTed by a checkpoint platform's account, closed-loop or
 * paced, and optionally the watchlist probe: every `everyMs` one capture of a watchlisted plate,
 * timed from its send to the `watchlist_hit` alert on the duty officer's socket.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import WebSocket from 'ws';
import { Connection } from './http-client.js';

export type CaptureLoadJob = {
  host: string;
  port: number;
  /** The checkpoint platform's session cookie. */
  cookie: string;
  checkpoints: string[];
  warmupMs: number;
  durationMs: number;
  connections: number;
  batchSize: number;
  /** Paced load (captures per second); closed loop when left out. */
  pacePerSec?: number;
  /** Times of captures start here and advance a millisecond per capture (every capture is new). */
  baseTime: number;
  probe?: { wsUrl: string; dutyCookie: string; plates: string[]; everyMs: number; timeoutMs: number };
};

export type CaptureLoadResult = {
  windowMs: number;
  stored: number;
  duplicates: number;
  requests: number;
  failed: string[];
  latenciesMs: number[];
  missed: number;
};

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const COLORS = ['blue', 'blue', 'blue', 'yellow', 'green'];

function run(job: CaptureLoadJob): Promise<CaptureLoadResult> {
  let seq = 0;
  let random = 12345;
  const next = () => {
    random = (random * 1103515245 + 12345) & 0x7fffffff;
    return random;
  };
  const batchBody = () => {
    const items = [];
    for (let i = 0; i < job.batchSize; i++) {
      const r = next();
      // 云 plates of 200,000 vehicles; the watchlists hold 贵 plates only, so the load never hits.
      const plate = `云${LETTERS[r % LETTERS.length]}${String(r % 200_000)
        .padStart(5, '0')
        .slice(-5)}`;
      items.push({
        checkpointId: job.checkpoints[r % job.checkpoints.length],
        plate,
        plateColor: COLORS[r % COLORS.length],
        vehicleType: '小型轿车',
        direction: r % 2 ? 'in' : 'out',
        lane: r % 4,
        at: new Date(job.baseTime + seq++).toISOString(),
      });
    }
    return JSON.stringify(items);
  };

  const start = performance.now();
  const windowStart = start + job.warmupMs;
  const end = windowStart + job.durationMs;
  const result: CaptureLoadResult = { windowMs: 0, stored: 0, duplicates: 0, requests: 0, failed: [], latenciesMs: [], missed: 0 };

  async function client(index: number) {
    const connection = new Connection(job.host, job.port);
    // Paced: each connection sends its share of the batches on a schedule.
    const interval = job.pacePerSec ? (job.batchSize / job.pacePerSec) * 1000 * job.connections : 0;
    let due = start + (interval * index) / job.connections;
    while (performance.now() < end) {
      if (interval) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        due += interval;
      }
      const body = batchBody();
      const reply = await connection.postJson('/api/ingest/captures', body, job.cookie);
      const now = performance.now();
      if (reply.status !== 200) {
        if (result.failed.length < 5) result.failed.push(`${reply.status} ${reply.body.slice(0, 200)}`);
        continue;
      }
      if (now >= windowStart && now <= end) {
        const answer = JSON.parse(reply.body) as { stored: number; duplicates: number };
        result.stored += answer.stored;
        result.duplicates += answer.duplicates;
        result.requests++;
      }
    }
    connection.close();
  }

  async function probe(p: NonNullable<CaptureLoadJob['probe']>) {
    const socket = new WebSocket(p.wsUrl, { headers: { cookie: p.dutyCookie } });
    const sentAt = new Map<string, number>();
    const done = new Map<string, () => void>();
    socket.on('message', (raw: Buffer) => {
      const m = JSON.parse(raw.toString()) as { type: string; kind?: string; state?: string; details?: { plate?: string } };
      const plate = m.details?.plate;
      if (m.type !== 'alert' || m.kind !== 'watchlist_hit' || m.state !== 'new' || !plate || !sentAt.has(plate)) return;
      result.latenciesMs.push(performance.now() - (sentAt.get(plate) as number));
      sentAt.delete(plate);
      done.get(plate)?.();
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.on('message', (raw: Buffer) => {
        if (JSON.parse(raw.toString()).type === 'subscribed') resolve();
      });
      socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe', topics: ['alerts'] })));
    });
    const connection = new Connection(job.host, job.port);
    await new Promise((r) => setTimeout(r, Math.max(0, windowStart - performance.now())));
    const waits: Promise<void>[] = [];
    for (const [i, plate] of p.plates.entries()) {
      const at = windowStart + i * p.everyMs;
      const wait = at - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const body = JSON.stringify({
        checkpointId: job.checkpoints[i % job.checkpoints.length],
        plate,
        plateColor: 'blue',
        vehicleType: '重型货车',
        direction: 'in',
        at: new Date(job.baseTime - 60_000 - i).toISOString(),
      });
      waits.push(
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            result.missed++;
            resolve();
          }, p.timeoutMs);
          done.set(plate, () => {
            clearTimeout(timer);
            resolve();
          });
        }),
      );
      sentAt.set(plate, performance.now());
      const reply = await connection.postJson('/api/ingest/captures', body, job.cookie);
      if (reply.status !== 200 && result.failed.length < 5) result.failed.push(`probe ${reply.status} ${reply.body.slice(0, 200)}`);
    }
    await Promise.all(waits);
    connection.close();
    socket.close();
  }

  return (async () => {
    const loads = Array.from({ length: job.connections }, (_, i) => client(i));
    const probing = job.probe ? probe(job.probe) : Promise.resolve();
    await Promise.all([...loads, probing]);
    result.windowMs = Math.min(performance.now(), end) - windowStart;
    return result;
  })();
}

parentPort?.once('message', (job: CaptureLoadJob) => {
  run(job).then(
    (result) => parentPort?.postMessage({ ok: true, result }),
    (error: Error) => parentPort?.postMessage({ ok: false, error: error.stack ?? String(error) }),
  );
});
