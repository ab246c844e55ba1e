import { onLiveReconnect } from '@/api/live';

/** Open records are re-read after the socket reconnects, and now and then in any case. */
const RELOAD_MS = 60_000;

/**
 * The live feed of a store of open records that several views share (the alerts, the incidents):
 * the store listens while at least one view has started it. The first start subscribes, loads
 * the records and re-reads them after a reconnect and every minute; the last stop unsubscribes
 * and forgets them. `start()` answers the view's stop, which is safe to call twice.
 */
export function sharedLiveFeed(feed: { subscribe: () => () => void; reload: () => Promise<unknown>; forget: () => void }) {
  let users = 0;
  let stopLive: (() => void) | undefined;
  let stopReconnect: (() => void) | undefined;
  let reloadTimer: ReturnType<typeof setInterval> | undefined;
  const reload = () => void feed.reload().catch(() => undefined);

  return function start(): () => void {
    users++;
    if (users === 1) {
      stopLive = feed.subscribe();
      stopReconnect = onLiveReconnect(reload);
      reload();
      reloadTimer = setInterval(reload, RELOAD_MS);
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      users--;
      if (users === 0) {
        stopLive?.();
        stopReconnect?.();
        clearInterval(reloadTimer);
        feed.forget();
      }
    };
  };
}
