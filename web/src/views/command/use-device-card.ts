import { ElMessage } from 'element-plus';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { computed, ref, type ShallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ApiError } from '@/api/client';
import { getDayTrack } from '@/api/patrols';
import { getRanger, type Ranger } from '@/api/rangers';
import { highlightDevice } from '@/components/map/device-layer';
import { boundsOf, fitTo } from '@/components/map/maplibre';
import { setTrack } from '@/components/map/track-layer';
import { mapPadding } from '@/composables/useLayoutMode';
import { useSessionStore } from '@/stores/session';
import { shanghaiDate } from '@/utils/format';
import type { BoardDevice, LiveBoard } from './live-board';

/**
 * The device picked on the command map and its card: the device as the board has it (kept current
 * by `refresh()` after each frame), its ranger's record when the user may read rangers, and the
 * ranger's track of today, drawn on demand; the replay of the day is one click away.
 */
export function useDeviceCard(map: ShallowRef<MapLibreMap | undefined>, board: LiveBoard, reportError: (error: unknown) => void) {
  const { t } = useI18n();
  const session = useSessionStore();
  const router = useRouter();
  const selectedId = ref<string | null>(null);
  const selected = ref<BoardDevice | null>(null);
  const ranger = ref<Ranger | null>(null);
  const trackRangerId = ref<string | null>(null);
  const trackLoading = ref(false);
  const trackShown = computed(() => trackRangerId.value !== null && trackRangerId.value === selected.value?.rangerId);

  /** Takes the board's current copy of the picked device (or none, when it left the board). */
  function refresh() {
    const mine = selectedId.value ? board.devices.get(selectedId.value) : undefined;
    selected.value = mine ? { ...mine } : null;
  }

  async function pick(deviceId: string) {
    const device = board.devices.get(deviceId);
    if (!device || !map.value) return;
    selectedId.value = deviceId;
    selected.value = { ...device };
    highlightDevice(map.value, deviceId);
    if (trackRangerId.value && trackRangerId.value !== device.rangerId) hideTrack();
    if (ranger.value?.id === device.rangerId) return;
    ranger.value = null;
    if (!device.rangerId || !session.can('rangers:read')) return;
    try {
      const loaded = await getRanger(device.rangerId);
      if (selectedId.value === deviceId) ranger.value = loaded;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) reportError(error);
    }
  }

  function close() {
    selectedId.value = null;
    selected.value = null;
    ranger.value = null;
    hideTrack();
    if (map.value) highlightDevice(map.value, null);
  }

  function hideTrack() {
    trackRangerId.value = null;
    if (map.value) setTrack(map.value, null);
  }

  async function toggleTrack() {
    const rangerId = selected.value?.rangerId;
    const instance = map.value;
    if (!rangerId || !instance) return;
    if (trackRangerId.value === rangerId) return hideTrack();
    trackLoading.value = true;
    try {
      const track = await getDayTrack(rangerId, shanghaiDate());
      if (map.value !== instance) return;
      setTrack(instance, track);
      trackRangerId.value = rangerId;
      if (!track.geometry) ElMessage.info(t('command.card.noTrackToday'));
      else
        fitTo(instance, boundsOf([track]), {
          padding: mapPadding(instance, { top: 80, bottom: 80, left: 320, right: 360 }),
          animate: true,
          maxZoom: 17,
        });
    } catch (error) {
      reportError(error);
    } finally {
      trackLoading.value = false;
    }
  }

  function openReplay() {
    const rangerId = selected.value?.rangerId;
    if (rangerId) void router.push({ name: 'replay', query: { rangerId, date: shanghaiDate() } });
  }

  return { selected, ranger, trackShown, trackLoading, refresh, pick, close, toggleTrack, openReplay };
}
