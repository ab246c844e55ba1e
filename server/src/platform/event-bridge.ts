import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { EventBus, LiveEvent } from './events.js';

const CHANNEL = 'safeforest_events';
// NOTIFY payloads are limited to 8000 bytes; events are packed into messages below that.
const MAX_PAYLOAD = 7_800;

type Log = { warn(o: object, m: string): void; info(o: object, m: string): void };

/**
 * Shares live events between instances on one PostgreSQL through LISTEN/NOTIFY, so a viewer
 * connected to one instance sees an alert raised on another — scaling out needs no other server.
 * Local events are sent in packed messages every few milliseconds; events from other instances
 * are published on the local bus marked with their origin and never sent back.
 */
export async function startEventBridge(connectionString: string, events: EventBus, log: Log) {
  const instance = randomUUID();
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on('error', () => {});
  let listener: pg.Client | null = null;
  let stopped = false;
  let outbox: LiveEvent[] = [];
  let timer: NodeJS.Timeout | null = null;

  async function listen() {
    const client = new pg.Client({ connectionString });
    client.on('notification', (message) => {
      if (!message.payload) return;
      const { from, events: relayed } = JSON.parse(message.payload) as { from: string; events: LiveEvent[] };
      if (from === instance) return;
      for (const event of relayed) events.publish({ ...event, origin: from });
    });
    client.on('error', () => {});
    client.on('end', () => {
      if (!stopped) setTimeout(() => void listen().catch((e) => log.warn({ err: e }, 'event bridge reconnect failed')), 1_000);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
  }

  async function flush() {
    timer = null;
    const pending = outbox;
    outbox = [];
    let message: LiveEvent[] = [];
    let size = 0;
    const send = async () => {
      if (message.length === 0) return;
      const payload = JSON.stringify({ from: instance, events: message });
      message = [];
      size = 0;
      await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch((e) => log.warn({ err: e }, 'event bridge could not notify'));
    };
    for (const event of pending) {
      const length = Buffer.byteLength(JSON.stringify(event));
      if (length > MAX_PAYLOAD - 100) {
        log.warn({ topic: event.topic, type: event.type, length }, 'event too large to share with other instances');
        continue;
      }
      if (size + length > MAX_PAYLOAD - 100) await send();
      message.push(event);
      size += length + 1;
    }
    await send();
  }

  const unsubscribe = events.subscribe((event) => {
    if (event.origin) return;
    outbox.push(event);
    if (!timer) timer = setTimeout(() => void flush(), 20);
  });
  await listen();
  log.info({ instance }, 'live events shared with other instances through LISTEN/NOTIFY');

  return {
    instance,
    async stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      await flush();
      await listener?.end();
      await pool.end();
    },
  };
}
