import { z } from 'zod';
import { type Actor, can } from './actor.js';
import { isSameOrigin } from './csrf.js';
import { AppError } from './errors.js';
import { type EventBus, isLiveTopic, LIVE_TOPICS, type LiveEvent } from './events.js';
import { type App, actorOf, SESSION_COOKIE } from './http.js';
import { pathInScope } from './scope.js';

const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), topics: z.array(z.string().min(1).max(64)).max(32) }),
  z.object({ type: z.literal('unsubscribe'), topics: z.array(z.string().min(1).max(64)).max(32) }),
  z.object({ type: z.literal('ping') }),
]);

/** Close code of a socket whose session ended (signed out, expired, password changed, account disabled). */
export const SESSION_ENDED_CLOSE = { code: 4401, reason: 'session ended' } as const;

/**
 * Whether a viewer may receive an event: a topic they asked for, whose permission they hold, in
 * their own subtree.
 */
export function mayReceive(actor: Pick<Actor, 'orgPath' | 'permissions'>, topics: ReadonlySet<string>, event: LiveEvent): boolean {
  return topics.has(event.topic) && isLiveTopic(event.topic) && can(actor, LIVE_TOPICS[event.topic]) && pathInScope(actor, event.orgPath);
}

type Deps = {
  events: EventBus;
  /** The actor of a session token now, or null once the session is gone or the account disabled. */
  actorOfSession: (token: string, address: string | null) => Promise<Actor | null>;
  /** How often an open socket checks that its session still holds (expiry, a disabled account). */
  sessionCheckMs: number;
};

/**
 * `/api/live`: a WebSocket for signed-in users of this site. The client sends
 * `{ "type": "subscribe", "topics": ["sites"] }` and then receives `{ "type": <event type>, ... }`
 * for every event of those topics inside its own org subtree. A topic whose permission the
 * account lacks is refused with an error naming it. The socket closes with 4401 when its session
 * ends.
 */
export function registerLiveRoutes(app: App, { events, actorOfSession, sessionCheckMs }: Deps) {
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
      // A page of another site must not open a socket with the visitor's cookie.
      preValidation: async (request) => {
        if (!isSameOrigin(request)) {
          throw new AppError(403, 'cross_site_request', 'Live events are served to this site only', [
            { path: 'headers.origin', message: 'not this site' },
          ]);
        }
      },
    },
    (socket, request) => {
      let actor = actorOf(request);
      const token = request.cookies[SESSION_COOKIE] ?? '';
      const topics = new Set<string>();
      const send = (message: unknown) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      let checking = false;
      let checkAgain = false; // a session ended while a check was under way: that check may have read it before
      /** Reads the session again: closes the socket when it is gone, else takes the account's current permissions and scope. */
      const checkSession = () => {
        if (checking) {
          checkAgain = true;
          return;
        }
        checking = true;
        actorOfSession(token, actor.address)
          .then((current) => {
            if (!current) socket.close(SESSION_ENDED_CLOSE.code, SESSION_ENDED_CLOSE.reason);
            else actor = current;
          })
          .catch((err) => request.log.warn({ err }, 'live socket could not check its session'))
          .finally(() => {
            checking = false;
            if (checkAgain && socket.readyState === socket.OPEN) {
              checkAgain = false;
              checkSession();
            }
          });
      };
      const unsubscribe = events.subscribe((event) => {
        if (event.type === 'session.ended') {
          if (event.payload.userId === actor.userId) checkSession();
          return;
        }
        if (mayReceive(actor, topics, event)) send({ type: event.type, topic: event.topic, ...event.payload });
      });
      const timer = setInterval(checkSession, sessionCheckMs);
      timer.unref();
      socket.on('message', (raw: Buffer) => {
        let parsed: z.infer<typeof ClientMessage>;
        try {
          parsed = ClientMessage.parse(JSON.parse(raw.toString()));
        } catch (error) {
          send({ type: 'error', message: error instanceof z.ZodError ? z.prettifyError(error) : 'Messages must be JSON' });
          return;
        }
        if (parsed.type === 'ping') return send({ type: 'pong' });
        if (parsed.type === 'unsubscribe') {
          for (const topic of parsed.topics) topics.delete(topic);
        } else {
          const unknown = parsed.topics.filter((topic) => !isLiveTopic(topic));
          const forbidden = parsed.topics.filter((topic) => isLiveTopic(topic) && !can(actor, LIVE_TOPICS[topic]));
          for (const topic of parsed.topics) if (isLiveTopic(topic) && can(actor, LIVE_TOPICS[topic])) topics.add(topic);
          if (unknown.length)
            send({ type: 'error', code: 'unknown_topic', topics: unknown, message: `Unknown topics: ${unknown.join(', ')}` });
          if (forbidden.length) {
            send({
              type: 'error',
              code: 'forbidden',
              topics: forbidden,
              message: `Not permitted: ${forbidden.map((t) => `${t} (needs ${LIVE_TOPICS[t as keyof typeof LIVE_TOPICS]})`).join(', ')}`,
            });
          }
        }
        send({ type: 'subscribed', topics: [...topics] });
      });
      socket.on('close', () => {
        clearInterval(timer);
        unsubscribe();
      });
    },
  );
}
