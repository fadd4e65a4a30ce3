import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { FINISHED_STATES, QUEUED_STATES, type JobFilter, type JobInputs, type JobMessage, type JobQueue, type JobRecord, type JobState } from '../store/job-queue.js';
import { parseTaskInputs } from './gp-inputs.js';
import type { GPRegistry, RegisteredTask } from './gp-registry.js';
import { recoverStaleJobs } from './job-recovery.js';
import type { JobRunner } from './job-runner.js';
import { removeOrphanScratch, removeScratch } from './scratch.js';
import { TaskError } from './task.js';

export interface JobServiceOptions {
  /** How often finished jobs past retention are purged (and dead runners' jobs recovered). */
  sweepMs: number;
  /** A running job whose heartbeat is older than this belongs to a dead runner. */
  staleMs: number;
  /** Longest a delete waits for a job run elsewhere to stop. */
  deleteWaitMs: number;
}

/** States from which a delete must stop a worker first. */
const RUNNING: readonly JobState[] = ['executing', 'cancelling', 'deleting'];

/**
 * What routes and the admin API ask of the job machinery: submit, read, cancel, delete, list.
 * Plain values in and out; HTTP stays in routes.ts.
 *
 * @example
 * const job = await jobs.submit(task, (name) => params.string(name), principal, baseUrl);
 * await jobs.cancel(job.id); // 'cancelled' | 'cancelling' | the unchanged state of a finished job
 */
export class JobService {
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private closed = false;

  constructor(
    readonly registry: GPRegistry,
    private readonly queue: JobQueue,
    private readonly runner: JobRunner,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly options: JobServiceOptions,
  ) {}

  /**
   * Recovers what a previous run left executing, then starts running and sweeping. Runs in the
   * background (rollbacks take time); jobs submitted meanwhile wait in the queue.
   */
  start(): Promise<void> {
    this.starting = (async () => {
      // Embedded: one runner per data directory, so whatever is still executing belonged to a
      // dead process. Shared queue: other nodes' jobs are alive as long as they heartbeat.
      const cutoff = this.queue.shared ? Date.now() - this.options.staleMs : Date.now() + 1;
      if (this.recovers) await recoverStaleJobs(this.queue, this.registry, this.runner, this.config.dataDir, cutoff);
      if (this.closed) return;
      if (this.queue.shared && this.runner.hasWorkers) await removeOrphanScratch(this.queue, this.config.dataDir);
      this.runner.start();
      this.sweepTimer = setInterval(() => void this.sweep(), this.options.sweepMs);
      this.sweepTimer.unref();
      await this.sweep();
    })().catch((err: unknown) => this.logger.error({ err }, 'job start-up recovery failed'));
    return this.starting;
  }

  /** Starts the job workers and loads the tasks' code in them ahead of the first job (JobRunner.warmWorkers). */
  warmWorkers(): void {
    this.runner.warmWorkers();
  }

  /**
   * Checks inputs (400 naming the parameter; no job is created) and queues the job. Returns
   * at once: the job runs in a worker process.
   */
  async submit(task: RegisteredTask, read: (name: string) => string | undefined, principal: Principal | null, baseUrl: string): Promise<JobRecord> {
    const inputs = parseTaskInputs(task.definition.parameters, read);
    try {
      await task.definition.validate?.(inputs, principal);
    } catch (err) {
      if (err instanceof TaskError) throw ApiError.invalidParameter(err.message);
      throw err;
    }
    const job = await this.queue.submit({
      id: `j${randomBytes(16).toString('hex')}`,
      service: task.service.key,
      task: task.definition.name,
      owner: principal?.username ?? null,
      inputs,
      baseUrl,
    });
    this.runner.wake();
    return job;
  }

  /**
   * `execute` on a synchronous service: the same job, still run by a worker, awaited to its end
   * and then forgotten. Returns the finished record and its messages.
   */
  async execute(
    task: RegisteredTask,
    read: (name: string) => string | undefined,
    principal: Principal | null,
    baseUrl: string,
  ): Promise<{ job: JobRecord; messages: JobMessage[] }> {
    let job: JobRecord | undefined = await this.submit(task, read, principal, baseUrl);
    const id = job.id;
    while (job && !FINISHED_STATES.includes(job.state)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      job = await this.queue.get(id);
    }
    if (!job) throw ApiError.unableToComplete('The job was deleted before it finished.');
    const messages = await this.queue.messages(id);
    await this.delete(id);
    return { job, messages };
  }

  get(id: string): Promise<JobRecord | undefined> {
    return this.queue.get(id);
  }

  messages(id: string): Promise<JobMessage[]> {
    return this.queue.messages(id);
  }

  /** A job's inputs ({} once it is gone): apart from its record, as they can be megabytes. */
  async inputs(id: string): Promise<JobInputs> {
    return (await this.queue.inputs(id)) ?? {};
  }

  /**
   * Queued → cancelled now; executing → cancelling while the worker stops (asking again is
   * fine). Anything else is refused and left unchanged. Undefined when there is no such job.
   */
  async cancel(id: string): Promise<{ accepted: boolean; state: JobState } | undefined> {
    const change = await this.queue.requestCancel(id);
    if (!change) return undefined;
    if (change.after === 'cancelling') void this.runner.stop(id, 'cancelled');
    const accepted = QUEUED_STATES.includes(change.before) || change.before === 'executing' || change.before === 'cancelling';
    return { accepted, state: change.after };
  }

  /**
   * Removes every trace of a job (record, messages, inputs, results, scratch folder), stopping
   * its worker first when it runs. False when there is no such job.
   */
  async delete(id: string): Promise<boolean> {
    const before = await this.queue.markDeleting(id);
    if (before === undefined) return false;
    if (RUNNING.includes(before)) {
      const stopping = this.runner.stop(id, 'deleted');
      if (stopping) await stopping;
      else await this.waitUntilGone(id);
    }
    await this.queue.remove(id);
    await removeScratch(this.config.dataDir, id);
    return true;
  }

  list(filter: JobFilter, page: { offset: number; limit: number }): Promise<{ total: number; jobs: JobRecord[] }> {
    return this.queue.list(filter, page);
  }

  countByState(filter: JobFilter): Promise<Partial<Record<JobState, number>>> {
    return this.queue.countByState(filter);
  }

  /** Cancels every job of a service that has not started. */
  purgeQueue(service: string): Promise<string[]> {
    return this.queue.cancelQueued({ service });
  }

  /** Purges finished jobs past retention with their folders, and recovers dead runners' jobs. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((err: unknown) => this.logger.error({ err }, 'job sweep failed'))
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    await this.runner.close();
    await this.starting;
    await this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const cutoff = Date.now() - this.config.jobs.retentionMinutes * 60_000;
    for (;;) {
      const expired = await this.queue.findExpired(cutoff, 500);
      // Files first: a sweep cut short leaves a record to find next time, never an orphan folder.
      for (const id of expired) {
        await removeScratch(this.config.dataDir, id);
        await this.queue.remove(id);
      }
      if (expired.length < 500) break;
    }
    if (this.recovers) await recoverStaleJobs(this.queue, this.registry, this.runner, this.config.dataDir, Date.now() - this.options.staleMs);
  }

  /**
   * Whether this process ends jobs whose runner died. Embedded HTTP-only processes do not: the
   * one process with workers owns the jobs. On a shared queue every node does (a stale heartbeat
   * is the proof, and each stale job is leased to one node), so a worker node killed with -9 has
   * its jobs ended even when no other worker node is up; rollbacks run in a worker process.
   */
  private get recovers(): boolean {
    return this.runner.hasWorkers || this.queue.shared === true;
  }

  /** A job run by another process (or claimed this instant): wait for its runner to remove it. */
  private async waitUntilGone(id: string): Promise<void> {
    const deadline = Date.now() + this.options.deleteWaitMs;
    while (Date.now() < deadline && (await this.queue.get(id))) {
      if (this.runner.isRunning(id)) return void (await this.runner.stop(id, 'deleted'));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.runner.forgetStop(id);
  }
}
