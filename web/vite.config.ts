import vue from '@vitejs/plugin-vue';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

/**
 * The dev server proxies the API (and its WebSocket) to a locally running SafeForest server:
 * http://localhost:3000 unless SAFEFOREST_API says otherwise. (The config is type-checked with the
 * browser's types, hence the guarded access to Node's `process`.)
 */
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const API_TARGET = env.SAFEFOREST_API ?? 'http://localhost:3000';

/**
 * The large libraries each get a chunk of their own, loaded by the pages that use them: a sign-in
 * or a table page does not download the map engine or the charts, and an update of the app code
 * does not invalidate the cached libraries.
 */
const LIBRARY_CHUNKS: { name: string; test: RegExp; priority: number }[] = [
  // Vue first: the other libraries depend on it and would otherwise take it into their chunks.
  { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|vue-i18n|@intlify|pinia)[\\/]/, priority: 4 },
  {
    name: 'element-plus',
    test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@ctrl|async-validator|dayjs|lodash-unified|lodash-es|memoize-one|normalize-wheel-es)[\\/]/,
    priority: 3,
  },
  // Scripts only: the stylesheet imported by main.ts must not tie the map engine to every page.
  { name: 'maplibre', test: /node_modules[\\/]maplibre-gl[\\/].*\.js$/, priority: 2 },
  { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 2 },
];

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus components and directives (v-loading) are imported where a template uses them,
    // with their own CSS, instead of the whole library.
    Components({ dts: false, resolvers: [ElementPlusResolver({ importStyle: 'css' })] }),
    // The server sends these precompressed files (`.br`, `.gz`) to browsers that accept them.
    compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024, exclude: [/\.(png|jpe?g|webp|woff2?)$/] }),
  ],
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
    // MapLibre alone is ~1 MB before compression; it loads only with the map pages.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      output: { codeSplitting: { groups: LIBRARY_CHUNKS } },
    },
  },
});
