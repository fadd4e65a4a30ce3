import type { JobQueue, JobRecord } from '../store/job-queue.js';
import type { GPRegistry } from './gp-registry.js';
import { error, info, warning } from './job-messages.js';
import type { JobRunner } from './job-runner.js';
import { removeScratch } from './scratch.js';

const RESTARTED = 'The server restarted while this job was running';

/**
 * Ends jobs whose runner died (a crash, a kill, a restart): with `retryAfterCrash` they go back
 * to the queue, otherwise they fail with a message saying why. Either way the task's rollback
 * runs first and the scratch folder is emptied. Cancels and deletes under way are finished.
 */
export async function recoverStaleJobs(
  queue: JobQueue,
  registry: GPRegistry,
  runner: JobRunner,
  dataDir: string,
  heartbeatBefore: number,
): Promise<number> {
  let recovered = 0;
  for (const job of await queue.findStale(heartbeatBefore)) {
    if (runner.isRunning(job.id)) continue;
    await recoverJob(queue, registry, runner, dataDir, job);
    recovered += 1;
  }
  return recovered;
}

async function recoverJob(queue: JobQueue, registry: GPRegistry, runner: JobRunner, dataDir: string, job: JobRecord): Promise<void> {
  const task = registry.findTask(job.service, job.task);
  const principal = (await runner.principalOf(job.owner)) ?? null;
  const notes = task ? await runner.rollback(job, task, principal) : [];
  await removeScratch(dataDir, job.id);
  if (job.state === 'deleting') {
    await queue.remove(job.id);
  } else if (job.state === 'cancelling') {
    await runner.finish(job, 'cancelled', [...notes, warning('Cancelled while the server restarted.')]);
  } else if (task?.definition.retryAfterCrash) {
    await queue.requeue(job.id, [...notes, info(`${RESTARTED}; it was queued to run again from the start.`)]);
  } else {
    await runner.finish(job, 'failed', [...notes, error(`${RESTARTED}, so it could not finish.`), error(`Failed to execute (${job.task}).`)]);
  }
}
