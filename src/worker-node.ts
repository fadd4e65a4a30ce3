import type { Logger } from 'pino';
import { AuthService } from './auth/auth-service.js';
import { loadConfig, type Config } from './config.js';
import type { AppContext } from './context.js';
import type { GPServiceSpec } from './jobs/gp-registry.js';
import { startJobs, type JobTimings } from './jobs/start-jobs.js';
import { createLogger } from './logger.js';
import { openStores } from './store/index.js';
import { addressPolicy } from './net/public-address.js';
import { guardGdalEgress } from './raster/gdal-egress.js';
import { GP_SERVICES } from './tasks/index.js';

export interface WorkerNodeOptions {
  config?: Partial<Config>;
  logger?: Logger;
  jobs?: { services?: GPServiceSpec[]; timings?: Partial<JobTimings> };
}

export interface RunningWorkerNode {
  context: AppContext;
  close(): Promise<void>;
}

/**
 * `tessera worker`: a cluster node that runs jobs and answers no HTTP. It shares the job queue,
 * stores and raster store with the HTTP nodes (PostgreSQL and S3 in a cluster).
 */
export async function startWorkerNode(options: WorkerNodeOptions = {}): Promise<RunningWorkerNode> {
  const config = loadConfig(options.config as never);
  if (config.jobs.concurrency < 1) throw new Error('A worker node needs at least one job worker (TESSERA_JOB_WORKERS).');
  const logger = options.logger ?? createLogger(config.logLevel);
  // Before any job worker is forked: each is handed GDAL's proxy as it starts.
  await guardGdalEgress(addressPolicy(config.allowPrivateUrls, config.privateUrlHosts));
  const stores = await openStores(config);
  const auth = await AuthService.create(stores, config);
  const context: AppContext = { config, stores, auth, logger, itemHooks: [], onClose: [] };
  context.jobs = await startJobs(context, [...GP_SERVICES, ...(options.jobs?.services ?? [])], options.jobs?.timings);
  // No HTTP to wait for: the workers start, and load every task's code, at once.
  context.jobs.warmWorkers();
  return {
    context,
    close: async () => {
      for (const close of context.onClose.reverse()) await close();
      await stores.close();
    },
  };
}
