import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import type { FeatureStore } from '../store/feature-store.js';
import type { ItemStore } from '../store/item-store.js';
import type { ServiceStore } from '../store/service-store.js';
import { QueryAnswerCache } from './query-answer-cache.js';

/** What the features capability needs at run time; an AppContext fits, and so does the CLI's. */
export interface FeatureDeps {
  config: Config;
  stores: { services: ServiceStore; items: ItemStore };
  features: FeatureStore;
  /** Encoded query answers by data version; absent: no caching (the CLI). */
  answers?: QueryAnswerCache;
}

/** Hosted services live in this folder, as on ArcGIS Enterprise. */
export const HOSTED_FOLDER = 'Hosted';

/** The context's feature store (opened and closed with the stores), and the answer cache. */
export function ensureFeatureStore(context: AppContext): FeatureDeps {
  context.features ??= context.stores.features;
  if (context.config.features.queryCacheMB > 0) context.featureAnswers ??= new QueryAnswerCache(context.config.features.queryCacheMB * 1024 * 1024);
  return { config: context.config, stores: context.stores, features: context.features, ...(context.featureAnswers ? { answers: context.featureAnswers } : {}) };
}
