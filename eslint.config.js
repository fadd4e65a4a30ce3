import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  // Type-checked rules that catch bugs: promises nobody awaits or that land where a callback
  // returns void, awaits of non-promises, everywhere (tests and benches too).
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  // `any` flowing unchecked, everywhere: production code, tests and benches read JSON answers
  // through typed helpers (`server.get<T>()`, the answer shapes in test/helpers/answers.ts).
  // The browser tests read what their pages put on `window` through test/browser/page-globals.ts.
  // Still to do, so left out here: the test/http files below and the cluster tests (their shared
  // harness came in untyped beside the typing; ~170 hits).
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: [
      'test/cluster/cluster.test.ts',
      'test/cluster/harness.ts',
      'test/cluster/raster-store.test.ts',
      'test/http/admin-jobs.test.ts',
      'test/http/auth-federation.test.ts',
      'test/http/auth-tokens.test.ts',
      'test/http/cache-headers.test.ts',
      'test/http/conventions.test.ts',
      'test/http/demo-real.test.ts',
      'test/http/demo-unreachable.test.ts',
      'test/http/hardening/imagery.test.ts',
      'test/http/hardening/inputs.test.ts',
      'test/http/hardening/publish.test.ts',
      'test/http/hardening/requests.test.ts',
      'test/http/hardening/shared-state.test.ts',
      'test/http/image-client-metadata.test.ts',
      'test/http/image-render-export.test.ts',
      'test/http/image-render-functions.test.ts',
      'test/http/image-render-operations.test.ts',
      'test/http/imagery-collections.test.ts',
      'test/http/imagery-data-stores.test.ts',
      'test/http/imagery-failures.test.ts',
      'test/http/imagery-query.test.ts',
      'test/http/imagery-raster-types.test.ts',
      'test/http/item-lifecycle.test.ts',
      'test/http/jobs-arcgis-rest-js.test.ts',
      'test/http/jobs-lifecycle.test.ts',
      'test/http/jobs-queue.test.ts',
      'test/http/jobs-restart.test.ts',
      'test/http/portal-arcgis-rest-js.test.ts',
      'test/http/portal-items.test.ts',
      'test/http/python-api-replay.test.ts',
      'test/http/qgis-replay.test.ts',
      'test/http/seed-admin-job-delete.test.ts',
      'test/http/seed-create-image-collection.test.ts',
      'test/http/seed-delete-features.test.ts',
      'test/http/seed-delete-image-collection.test.ts',
      'test/http/seed-delete-image.test.ts',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
    },
  },
);
