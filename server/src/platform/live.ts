import { z } from 'zod';
import type { Actor } from './actor.js';
import type { EventBus, LiveEvent } from './events.js';
import { type App, actorOf } from './http.js';

const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), topics: z.array(z.string().min(1).max(64)).max(32) }),
  z.object({ type: z.literal('unsubscribe'), topics: z.array(z.string().min(1).max(64)).max(32) }),
  z.object({ type: z.literal('ping') }),
]);

/** Whether a viewer may receive an event: it must belong to their subtree and to a topic they asked for. */
export function mayReceive(actor: Pick<Actor, 'orgPath'>, topics: ReadonlySet<string>, event: LiveEvent): boolean {
  return topics.has(event.topic) && event.orgPath.startsWith(actor.orgPath);
}

/**
 * `/api/live`: a WebSocket for signed-in users. The client sends
 * `{ "type": "subscribe", "topics": ["sites"] }` and then receives `{ "type": <event type>, ... }`
 * for every event of those topics inside its own org subtree.
 */
export function registerLiveRoutes(app: App, { events }: { events: EventBus }) {
  app.get(
    '/api/live',
    {
      websocket: true,
      config: { access: 'signed-in' },
      schema: {
        operationId: 'live',
        tags: ['live'],
        summary: 'WebSocket of live events (subscribe to topics after connecting)',
        hide: true,
      },
    },
    (socket, request) => {
      const actor = actorOf(request);
      const topics = new Set<string>();
      const send = (message: unknown) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      const unsubscribe = events.subscribe((event) => {
        if (mayReceive(actor, topics, event)) send({ type: event.type, topic: event.topic, ...event.payload });
      });
      socket.on('message', (raw: Buffer) => {
        let parsed: z.infer<typeof ClientMessage>;
        try {
          parsed = ClientMessage.parse(JSON.parse(raw.toString()));
        } catch (error) {
          send({ type: 'error', message: error instanceof z.ZodError ? z.prettifyError(error) : 'Messages must be JSON' });
          return;
        }
        if (parsed.type === 'ping') return send({ type: 'pong' });
        for (const topic of parsed.topics) parsed.type === 'subscribe' ? topics.add(topic) : topics.delete(topic);
        send({ type: 'subscribed', topics: [...topics] });
      });
      socket.on('close', unsubscribe);
    },
  );
}
