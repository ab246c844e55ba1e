import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The dev server proxies the API (and its WebSocket) to a locally running SafeForest server:
 * http://localhost:3000 unless SAFEFOREST_API says otherwise. (The config is type-checked with the
 * browser's types, hence the guarded access to Node's `process`.)
 */
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const API_TARGET = env.SAFEFOREST_API ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': new URL('./src', import.meta.url).pathname },
  },
  server: {
    proxy: {
      '/api': { target: API_TARGET, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Element Plus, ECharts and MapLibre are large; the app is an internal tool served from one origin.
    chunkSizeWarningLimit: 2500,
  },
});
