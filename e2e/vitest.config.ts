/**
 * Browser specs: Vitest drives Debian's Chromium through playwright-core against a running
 * server (E2E_BASE_URL, set by e2e/run.mjs). Files run one after another; browsers and the
 * first server start are slow, hence the long timeouts.
 *
 * No import from 'vitest/config': vitest is installed in the server workspace, not at the root,
 * and a plain object is all the config needs.
 */
export default {
  root: new URL('..', import.meta.url).pathname,
  test: {
    include: ['e2e/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    retry: 0,
    // UI state settles after API calls and map loads: give expect.poll more than its 1 s default.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    reporters: ['default'],
  },
};
