import type { Map as MapLibreMap } from 'maplibre-gl';
import { ref, type ShallowRef, watch } from 'vue';
import { type LiveMessageOf, onLiveReconnect, subscribeLive } from '@/api/live';
import { listLivePositions } from '@/api/positions';
import { drawDeviceFrame } from '@/components/map/device-layer';
import { useAlertsStore } from '@/stores/alerts';
import type { LiveBoard, StateCounts } from './live-board';

/** How often the map takes the board's changes: a few times a second, once a second for large networks. */
const FRAME_MS = 400;
const LARGE_FRAME_MS = 1000;
const LARGE_BOARD = 2000;
/** How often devices are checked for having gone silent. */
const SWEEP_MS = 15_000;
/** How often the list is re-read when devices appeared live that the board cannot name yet. */
const UNKNOWN_RELOAD_MS = 10_000;

/** Takes something to undo when the page is left (at once if it has been left already). */
type Own = (cleanup: () => void) => void;

/**
 * The devices of the command map, live: the board is loaded from the API, then follows the
 * `positions` and `patrols` topics (and the open SOS alerts), is read again after the socket
 * reconnects or when devices appear that it cannot name, and is drawn on the map in frames.
 * `onFrame` runs after each frame is drawn.
 */
export function useLiveDevices(
  map: ShallowRef<MapLibreMap | undefined>,
  board: LiveBoard,
  onFrame: () => void,
  reportError: (error: unknown) => void,
) {
  const alerts = useAlertsStore();
  const counts = ref<StateCounts>({ sos: 0, patrolling: 0, idle: 0, silent: 0 });

  /** Draws what changed since the last frame. */
  function drawFrame() {
    const instance = map.value;
    const frame = board.takeFrame();
    if (!instance || !frame) return;
    drawDeviceFrame(instance, frame);
    counts.value = frame.counts;
    onFrame();
    instance.getContainer().dataset.devices = String(board.devices.size);
  }

  async function loadDevices() {
    try {
      const { items } = await listLivePositions();
      board.load(items);
      board.setSosDevices(alerts.sosDeviceIds);
      drawFrame();
    } catch (error) {
      reportError(error);
    }
  }

  function onPosition(message: LiveMessageOf<'positions'>) {
    board.apply(message);
  }

  function onPatrol(message: LiveMessageOf<'patrols'>) {
    if (message.type === 'patrol.started') board.setPatrolling(message.patrol.rangerId, true);
    else if (message.type === 'patrol.ended') board.setPatrolling(message.patrol.rangerId, false);
  }

  /** Follows the live topics, then loads the picture. */
  async function follow(own: Own) {
    own(subscribeLive('positions', onPosition));
    own(subscribeLive('patrols', onPatrol));
    // Positions sent while the socket was down are lost to it: read the picture again.
    own(onLiveReconnect(() => void loadDevices()));
    await loadDevices();
  }

  /** Starts drawing frames, marking silent devices and reloading for unnamed ones. */
  function animate(own: Own) {
    let lastFrame = 0;
    const frameTimer = setInterval(() => {
      const now = Date.now();
      if (board.devices.size > LARGE_BOARD && now - lastFrame < LARGE_FRAME_MS) return;
      lastFrame = now;
      drawFrame();
    }, FRAME_MS);
    const sweepTimer = setInterval(() => board.sweep(), SWEEP_MS);
    const unknownTimer = setInterval(() => board.unknownSeen && void loadDevices(), UNKNOWN_RELOAD_MS);
    own(() => {
      clearInterval(frameTimer);
      clearInterval(sweepTimer);
      clearInterval(unknownTimer);
    });
  }

  watch(
    () => alerts.sosDeviceIds,
    (ids) => {
      board.setSosDevices(ids);
      drawFrame();
    },
  );

  return { counts, follow, animate };
}
