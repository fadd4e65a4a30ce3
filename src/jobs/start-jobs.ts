import { hostname } from 'node:os';
import type { AppContext } from '../context.js';
import type { ServiceStore } from '../store/service-store.js';
import { GPRegistry, type GPServiceSpec } from './gp-registry.js';
import { JobRunner } from './job-runner.js';
import { JobService } from './job-service.js';
import { openJobQueue } from './open-job-queue.js';
import { WorkerPool } from './worker/worker-pool.js';

/** Timings of the job machinery; defaults suit production, tests shorten them. */
export interface JobTimings {
  /** Abort → SIGKILL delay for cancel, delete and time-out. */
  graceMs: number;
  heartbeatMs: number;
  rollbackMs: number;
  sweepMs: number;
  staleMs: number;
}

export function defaultJobTimings(retentionMinutes: number): JobTimings {
  return {
    graceMs: 5_000,
    heartbeatMs: 1_000,
    rollbackMs: 5 * 60_000,
    // Often enough that a job outlives its retention by at most a quarter of it (within 1 s–1 min).
    sweepMs: Math.min(60_000, Math.max(1_000, (retentionMinutes * 60_000) / 4)),
    staleMs: 30_000,
  };
}

/**
 * Loads the GP services, lists them in the services catalog, recovers jobs a previous run left
 * behind and starts the runner. Stopped by the context's onClose.
 */
export async function startJobs(context: AppContext, services: GPServiceSpec[], timings: Partial<JobTimings> = {}): Promise<JobService> {
  const { config, stores } = context;
  const logger = context.logger.child({ component: 'jobs' });
  const t = { ...defaultJobTimings(config.jobs.retentionMinutes), ...timings };
  const registry = await GPRegistry.load(services);
  await registerInCatalog(stores.services, registry);
  const { queue, close } = await openJobQueue(config, stores, logger);
  const pool = new WorkerPool(logger);
  const runner = new JobRunner(queue, registry, stores.users, pool, config, logger, {
    concurrency: Math.max(0, config.jobs.concurrency),
    machine: hostname(),
    graceMs: t.graceMs,
    heartbeatMs: t.heartbeatMs,
    rollbackMs: t.rollbackMs,
  });
  const jobs = new JobService(registry, queue, runner, config, logger, {
    sweepMs: t.sweepMs,
    staleMs: Math.max(t.staleMs, t.heartbeatMs * 10),
    deleteWaitMs: t.graceMs + 10_000,
  });
  context.onClose.push(async () => {
    await jobs.close();
    await close();
  });
  void jobs.start();
  return jobs;
}

/** GP services are public catalog entries; who may submit is the task's own declaration. */
async function registerInCatalog(services: ServiceStore, registry: GPRegistry): Promise<void> {
  for (const { definition } of registry.services()) {
    const catalogDefinition = {
      description: definition.description,
      executionType: definition.executionType,
      tasks: definition.tasks.map((task) => task.name),
    };
    const existing = await services.get(definition.folder, definition.name, 'GPServer');
    if (existing) {
      await services.update(definition.folder, definition.name, 'GPServer', { definition: catalogDefinition });
      continue;
    }
    const now = Date.now();
    const created = services.create({
      folder: definition.folder,
      name: definition.name,
      type: 'GPServer',
      owner: null,
      itemId: null,
      access: 'public',
      definition: catalogDefinition,
      created: now,
      modified: now,
    });
    // Cluster nodes starting together: another one may have created it meanwhile.
    await created.catch(async (err: unknown) => {
      if (!(await services.get(definition.folder, definition.name, 'GPServer'))) throw err;
    });
  }
}
