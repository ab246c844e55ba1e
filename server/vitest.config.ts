import { defineConfig } from 'vitest/config';

// TEST_DATABASE=postgres runs the same suite against DATABASE_URL (a real PostgreSQL + PostGIS).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
