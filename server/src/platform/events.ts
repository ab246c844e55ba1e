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
