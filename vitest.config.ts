import { defineConfig } from 'vitest/config';

// Native addons (better-sqlite3, gdal-async) are safest in child processes, not worker threads.
// Two projects: everything, and the ArcGIS Maps SDK suites again against the newest 5.x
// (`@arcgis/core-5`); `--project main` runs only the first.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'main', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'arcgis-core-5', include: ['test/browser/arcgis-*.test.ts'], env: { TESSERA_ARCGIS_CORE_PACKAGE: '@arcgis/core-5' } },
      },
    ],
  },
});
