/**
 * The live event socket `/api/live` (same origin, session cookie). One shared connection; views
 * subscribe to a topic with a handler and get `{ type, topic, ... }` messages of their scope.
 * Reconnects with a back-off while anyone listens.
 */
import { sessionEnded } from './client';
import type { LiveMessage, LiveMessageOf, LiveTopic } from './live-messages';

export type { LiveMessage, LiveMessageOf, LiveMessages, LiveTopic } from './live-messages';

const SESSION_ENDED_CLOSE_CODE = 4401;

type Handler = (message: LiveMessage) => void;

const handlers = new Map<string, Set<Handler>>();
const reconnectHandlers = new Set<() => void>();
let socket: WebSocket | null = null;
/** Set once the socket has been open: a later open is a reconnection, after which messages may have been missed. */
let connectedOnce = false;
let retryDelay = 1000;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

function liveUrl() {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${window.location.host}/api/live`;
}

function connect() {
  if (socket || handlers.size === 0) return;
  const ws = new WebSocket(liveUrl());
  socket = ws;
  ws.addEventListener('open', () => {
    retryDelay = 1000;
    ws.send(JSON.stringify({ type: 'subscribe', topics: [...handlers.keys()] }));
    if (connectedOnce) for (const handler of reconnectHandlers) handler();
    connectedOnce = true;
  });
  ws.addEventListener('message', (event) => {
    let message: LiveMessage;
    try {
      message = JSON.parse(String(event.data)) as LiveMessage;
    } catch {
      return;
    }
    if (!message.topic) return; // the socket's own answers (subscribed, pong, error)
    for (const handler of handlers.get(message.topic) ?? []) handler(message);
  });
  ws.addEventListener('close', (event) => {
    if (socket !== ws) return; // closed on purpose by closeLive
    socket = null;
    // The server closes with 4401 when the session ended (signed out elsewhere, expired, password changed).
    if (event.code === SESSION_ENDED_CLOSE_CODE) {
      connectedOnce = false;
      sessionEnded();
      return;
    }
    if (handlers.size === 0) return;
    retryTimer = setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30_000);
  });
}

/** Listens to a topic (its messages typed from the server's event catalogue); returns the function that stops listening. */
export function subscribeLive<T extends LiveTopic>(topic: T, onMessage: (message: LiveMessageOf<T>) => void): () => void {
  // Messages are dispatched by their topic: this handler receives only the topic's own.
  const handler = onMessage as Handler;
  let set = handlers.get(topic);
  const isNewTopic = !set;
  if (!set) {
    set = new Set();
    handlers.set(topic, set);
  }
  set.add(handler);
  if (socket?.readyState === WebSocket.OPEN && isNewTopic) socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
  connect();
  return () => {
    const current = handlers.get(topic);
    current?.delete(handler);
    if (current && current.size === 0) {
      handlers.delete(topic);
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'unsubscribe', topics: [topic] }));
    }
    if (handlers.size === 0) closeLive();
  };
}

/**
 * Calls `handler` each time the socket is open again after it dropped: what happened meanwhile
 * was not sent, so views re-read their picture. Returns the function that stops it.
 */
export function onLiveReconnect(handler: () => void): () => void {
  reconnectHandlers.add(handler);
  return () => reconnectHandlers.delete(handler);
}

/** Closes the socket (on sign-out or when nobody listens). */
export function closeLive() {
  clearTimeout(retryTimer);
  connectedOnce = false;
  const ws = socket;
  socket = null;
  ws?.close();
}
