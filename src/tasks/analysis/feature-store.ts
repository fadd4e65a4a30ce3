import type { Config } from '../../config.js';
import type { FeatureDeps } from '../../features/feature-deps.js';
import type { Stores } from '../../store/index.js';

/** What publishing a feature output needs, from a task's config and stores. */
export function ensureFeatureStoreFor(config: Config, stores: Stores): FeatureDeps {
  return { config, stores, features: stores.features };
}
