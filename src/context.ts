import type { Logger } from 'pino';
import type { AuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
import type { JobService } from './jobs/job-service.js';
import type { QueryAnswerCache } from './features/query-answer-cache.js';
import type { FeatureStore } from './store/feature-store.js';
import type { ItemHooks } from './portal/item-hooks.js';
import type { Stores } from './store/index.js';

/**
 * What every capability gets at start-up: configuration, stores, the auth service and a logger.
 * Capabilities that own long-lived machinery (the job runner, feature databases) hang it here.
 */
export interface AppContext {
  config: Config;
  stores: Stores;
  auth: AuthService;
  logger: Logger;
  /** GP services and their jobs (absent in apps built without the job machinery). */
  jobs?: JobService;
  /** Hosted feature data; opened by the features capability on first use (see ensureFeatureStore). */
  features?: FeatureStore;
  /** Encoded feature query answers, shared by every route of the capability. */
  featureAnswers?: QueryAnswerCache;
  /** What capabilities do when portal items are deleted or shared (hosted services follow). */
  itemHooks: ItemHooks[];
  /** Called on shutdown, last registered first. */
  onClose: Array<() => Promise<void> | void>;
}
