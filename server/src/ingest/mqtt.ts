import mqtt from 'mqtt';
import { AppError } from '../platform/errors.js';
import { parseBatch } from './batch.js';
import type { IngestService } from './ingest.service.js';
import { parseOwnTracks } from './owntracks.js';
import { FixError } from './position.js';

type Log = { info(o: object, m: string): void; warn(o: object, m: string): void };

export const MQTT_TOPICS = ['owntracks/+/+', 'safeforest/positions'];

/**
 * Subscribes to a broker for OwnTracks (`owntracks/<user>/<device>`) and gateway batches
 * (`safeforest/positions`). At least once: QoS 1 on a persistent session, and a message is
 * acknowledged to the broker only after its fixes are committed — a restart before that gets it
 * redelivered, and the position's key absorbs the duplicate. A malformed message or one of an
 * unknown device is acknowledged and logged, so it cannot block the queue.
 */
export async function startMqttIngest(ingest: IngestService, options: { url: string; clientId: string; log: Log }) {
  let stopping = false;
  const client = mqtt.connect(options.url, { clientId: options.clientId, clean: false, reconnectPeriod: 2_000 });
  // Set before the first packet: a persistent session delivers what queued while we were away
  // right after connecting. The client acknowledges a QoS 1 message when `done` is called, and
  // processes messages one after another, which also keeps their order.
  client.handleMessage = (packet, done) => {
    void handle(packet.topic, packet.payload as Buffer).then((settled) => {
      // Unsettled (shutting down while the database refused): no acknowledgement, the broker redelivers.
      if (settled) done();
    });
  };
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });

  async function handle(topic: string, payload: Buffer): Promise<boolean> {
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      options.log.warn({ topic }, 'MQTT message is not JSON; dropped');
      return true;
    }
    for (let attempt = 0; !stopping; attempt++) {
      try {
        if (topic.startsWith('owntracks/')) {
          const fix = parseOwnTracks(body, topic.split('/').at(-1) ?? null);
          if (fix) await ingest.ingestDevice([fix], 404);
        } else {
          const { fixes, problems } = parseBatch(body);
          if (problems.length) {
            options.log.warn({ topic, problems: problems.slice(0, 5) }, 'malformed MQTT batch; dropped');
            return true;
          }
          const result = await ingest.ingestMany(fixes);
          if (result.rejected.length) options.log.warn({ topic, rejected: result.rejected.slice(0, 5) }, 'MQTT fixes of unknown devices');
        }
        return true;
      } catch (error) {
        if (error instanceof FixError || (error instanceof AppError && error.statusCode < 500)) {
          options.log.warn({ topic, error: (error as Error).message }, 'MQTT message refused; dropped');
          return true;
        }
        // Overload or a database failure: keep the message unacknowledged and try again.
        await new Promise((r) => setTimeout(r, Math.min(5_000, 200 * 2 ** attempt)));
      }
    }
    return false;
  }

  await client.subscribeAsync(MQTT_TOPICS, { qos: 1 });
  options.log.info({ url: options.url, topics: MQTT_TOPICS }, 'MQTT ingest subscribed');
  return {
    async stop() {
      stopping = true;
      await client.endAsync();
    },
  };
}
