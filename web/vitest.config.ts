import { defineConfig } from 'vitest/config';

/** Unit tests of the web client's pure logic (no browser: the e2e specs cover the pages). */
export default defineConfig({
  resolve: { alias: { '@': new URL('./src', import.meta.url).pathname } },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
