import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { openJobQueueStore, type Stores } from '../store/index.js';
import type { JobQueue } from '../store/job-queue.js';

/**
 * The job queue for this configuration, picked once at start-up by the store: the embedded
 * system database, or PostgreSQL with pg-boss dispatch (shared by every node of a cluster).
 */
export function openJobQueue(config: Config, stores: Stores, logger: Logger): Promise<{ queue: JobQueue; close: () => Promise<void> }> {
  return openJobQueueStore(config, stores, (err) => logger.error({ err }, 'job dispatch error'));
}
