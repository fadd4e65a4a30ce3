import type { Logger } from 'pino';
import type { AuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
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
  /** Called on shutdown, last registered first. */
  onClose: Array<() => Promise<void> | void>;
}
