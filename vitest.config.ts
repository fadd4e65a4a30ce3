import { defineConfig } from 'vitest/config';

// Native addons (better-sqlite3, gdal-async) are safest in child processes, not worker threads.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
