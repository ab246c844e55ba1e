import type { Permission } from './auth/roles.js';

/**
 * A live event: what viewers of the map and lists receive after a change commits. `orgPath` is
 * the path of the org unit the record belongs to; a subscriber receives the event only when
 * that path lies in their own subtree.
 */
export type LiveEvent = {
  topic: string;
  type: string;
  orgPath: string;
  payload: Record<string, unknown>;
  /** Set on events relayed from another instance, so they are not relayed back. */
  origin?: string;
};

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
} as const satisfies Record<string, Permission>;
export type LiveTopic = keyof typeof LIVE_TOPICS;

export const isLiveTopic = (topic: string): topic is LiveTopic => Object.hasOwn(LIVE_TOPICS, topic);

/**
 * A session ended (signed out, password changed): sockets of that user check their own session
 * again and close when it is gone. It is not a subscribable topic, so it reaches no client; the
 * event bridge carries it to the other instances like any event.
 */
export const SESSION_ENDED = { topic: 'session', type: 'session.ended' } as const;

/** The event that tells every instance a user's session (or all their sessions) ended. */
export function sessionEnded(userId: string, orgPath: string, reason: 'signed_out' | 'password_changed' | 'password_reset'): LiveEvent {
  return { ...SESSION_ENDED, orgPath, payload: { userId, reason } };
}
