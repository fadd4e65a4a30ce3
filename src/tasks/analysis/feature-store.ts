import type { Config } from '../../config.js';
import type { FeatureDeps } from '../../features/feature-deps.js';
import type { FeatureStore } from '../../store/feature-store.js';
import { openFeatureStore, type Stores } from '../../store/index.js';

let shared: { dir: string; store: FeatureStore } | undefined;

/**
 * The hosted feature store for analysis tasks, opened once per worker process (per data
 * directory: tests run several servers in one process). SpatiaLite files tolerate the server
 * process and workers writing them at once (WAL, busy timeout).
 */
export function featureStoreFor(config: Config): FeatureStore {
  if (shared?.dir !== config.dataDir) shared = { dir: config.dataDir, store: openFeatureStore(config) };
  return shared.store;
}

/** What publishing a feature output needs, from a task's config and stores. */
export function ensureFeatureStoreFor(config: Config, stores: Stores): FeatureDeps {
  return { config, stores, features: featureStoreFor(config) };
}
