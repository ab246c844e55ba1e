import { z } from 'zod';
import type { Permission } from './auth/roles.js';

/**
 * The live topics a client may subscribe to, each with the permission it needs: the same as the
 * routes that read those records, so the socket never shows what the API would refuse.
 */
export const LIVE_TOPICS = {
  sites: 'sites:read',
  positions: 'positions:read',
  alerts: 'alerts:read',
  settings: 'alerts:read',
  patrols: 'patrols:read',
  reports: 'reports:read',
  rangers: 'rangers:read',
  devices: 'devices:read',
  incidents: 'incidents:read',
  hotspots: 'hotspots:read',
  assessment: 'assessment:read',
  cameras: 'cameras:read',
  watchlists: 'watchlists:read',
  circles: 'circles:read',
} as const satisfies Record<string, Permission>;
export type LiveTopic = keyof typeof LIVE_TOPICS;

export const isLiveTopic = (topic: string): topic is LiveTopic => Object.hasOwn(LIVE_TOPICS, topic);

/**
 * A topic carried between instances but to no client: `session` (a session ended, see
 * `sessionEnded`).
 */
export type InternalTopic = 'session';

/**
 * One event of the catalogue: the topic it is sent on, the zod schema of its payload (the fields
 * a client receives beside `type` and `topic`), and whose org path scopes it, in words: a
 * subscriber receives the event only when that path lies in their own subtree.
 */
export type EventDefinition = {
  topic: LiveTopic | InternalTopic;
  payload: z.ZodObject;
  scopedBy: string;
};

/** Declares a module's events (checked against `EventDefinition`, their literal types kept). */
export const defineEvents = <const C extends Record<string, EventDefinition>>(catalogue: C): C => catalogue;

/** The events the platform itself sends. */
export const platformEvents = defineEvents({
  'settings.changed': {
    topic: 'settings',
    payload: z.object({ key: z.string() }),
    scopedBy: 'the org unit of the user who changed the setting',
  },
  'session.ended': {
    topic: 'session',
    payload: z.object({ userId: z.string(), reason: z.enum(['signed_out', 'password_changed', 'password_reset']) }),
    scopedBy: 'the org unit of the user whose session ended',
  },
});
type PlatformEvents = typeof platformEvents;

/**
 * Every event SafeForest sends, by name. Each module adds its own from its `<m>.events.ts`:
 *
 * ```ts
 * declare module '../../platform/events.js' { interface EventCatalogue extends SiteEvents {} }
 * ```
 *
 * `server/src/events.catalogue.ts` lists the same definitions at run time (the web's message
 * types are generated from it, `npm run gen:api`).
 */
export interface EventCatalogue extends PlatformEvents {}

export type EventName = keyof EventCatalogue & string;
export type EventPayload<N extends EventName> = z.infer<EventCatalogue[N]['payload']>;

/**
 * A live event: what viewers of the map and lists receive after a change commits. `orgPath` is
 * the path of the org unit the record belongs to; a subscriber receives the event only when
 * that path lies in their own subtree.
 */
export type LiveEvent = {
  [N in EventName]: {
    topic: EventCatalogue[N]['topic'];
    type: N;
    orgPath: string;
    payload: EventPayload<N>;
    /** Set on events relayed from another instance, so they are not relayed back. */
    origin?: string;
  };
}[EventName];

/** What scopes an event: a row's org path, or an org unit's path. */
export type OrgPlaced = { orgPath: string } | { path: string };

/**
 * The builder of a catalogue's events: `event('site.created', unit, { site })` is scoped by the
 * org path of the row or unit given, and sent on the topic the catalogue names.
 */
export function eventsOf<C extends Record<string, EventDefinition>>(catalogue: C) {
  return <N extends keyof C & EventName>(type: N, at: OrgPlaced, payload: EventPayload<N>): LiveEvent =>
    ({ topic: catalogue[type].topic, type, orgPath: 'orgPath' in at ? at.orgPath : at.path, payload }) as LiveEvent;
}

type Listener = (event: LiveEvent) => void;

/** The in-process event bus; the WebSocket endpoint is one of its listeners. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  publish(event: LiveEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // one failing listener must not keep the event from the others
      }
    }
  }

  /** Registers a listener and returns the function that removes it. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Builds the platform's own events. */
export const platformEvent = eventsOf(platformEvents);

/** The event that tells every instance a user's session (or all their sessions) ended. */
export function sessionEnded(userId: string, orgPath: string, reason: EventPayload<'session.ended'>['reason']): LiveEvent {
  return platformEvent('session.ended', { orgPath }, { userId, reason });
}
