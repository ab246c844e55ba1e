import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { fetchPublicSettings } from '@/api/settings';

const TILE_KEY = 'safeforest.tileUrl';

/**
 * Per-browser preferences: the raster basemap. The server may offer one (TILE_URL); a user can
 * set their own XYZ template (Tianditu with a key, an intranet tile server…) or turn it off.
 * Nothing remote is loaded unless one of the two is set.
 */
export const usePreferencesStore = defineStore('preferences', () => {
  const serverTileUrl = ref<string | null>(null);
  /** `null`: follow the server; `''`: no basemap; otherwise the user's own template. */
  const userTileUrl = ref<string | null>(localStorage.getItem(TILE_KEY));
  const loaded = ref(false);

  const tileUrl = computed(() => (userTileUrl.value === null ? serverTileUrl.value : userTileUrl.value || null));

  async function loadServerSettings() {
    if (loaded.value) return;
    try {
      serverTileUrl.value = (await fetchPublicSettings()).tileUrl;
    } finally {
      loaded.value = true;
    }
  }

  function setUserTileUrl(value: string | null) {
    userTileUrl.value = value;
    if (value === null) localStorage.removeItem(TILE_KEY);
    else localStorage.setItem(TILE_KEY, value);
  }

  return { serverTileUrl, userTileUrl, tileUrl, loadServerSettings, setUserTileUrl };
});
