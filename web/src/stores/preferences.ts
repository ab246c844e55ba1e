import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { MapBasemap } from '@/api/basemaps';
import { fetchPublicSettings } from '@/api/settings';

const HIDE_KEY = 'safeforest.hideBasemap';

/**
 * The basemap the maps draw: the one the administrator chose for the whole installation (底图设置),
 * which a user may hide in this browser (a plain background, e.g. on a slow link). Foreign tile
 * hosts are allowed by the server's Content-Security-Policy only when they are the chosen basemap,
 * so a browser cannot pick a host of its own.
 */
export const usePreferencesStore = defineStore('preferences', () => {
  const serverBasemap = ref<MapBasemap>({ layers: [], attribution: null });
  const hideBasemap = ref(localStorage.getItem(HIDE_KEY) === '1');
  let loading: Promise<void> | null = null;

  const basemap = computed<MapBasemap>(() => (hideBasemap.value ? { layers: [], attribution: null } : serverBasemap.value));

  /** Reads the basemap from the server once (again with `force`, after an administrator changed it). */
  function loadServerSettings(force = false) {
    if (!loading || force) {
      loading = fetchPublicSettings().then(
        (settings) => {
          serverBasemap.value = settings.basemap;
        },
        (error) => {
          loading = null;
          throw error;
        },
      );
    }
    return loading;
  }

  function setHideBasemap(hide: boolean) {
    hideBasemap.value = hide;
    if (hide) localStorage.setItem(HIDE_KEY, '1');
    else localStorage.removeItem(HIDE_KEY);
  }

  return { serverBasemap, hideBasemap, basemap, loadServerSettings, setHideBasemap };
});
