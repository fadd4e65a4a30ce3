import { mkdir, readFile, rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { makePrincipal, type Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { JobMessage, JobProgress, JobQueue, JobRecord } from '../store/job-queue.js';
import type { UserStore } from '../store/user-store.js';
import { moduleOf, type GPRegistry, type RegisteredTask } from './gp-registry.js';
import { error, formatElapsed, formatJobTime, info, warning } from './job-messages.js';
import { removeScratch, scratchDirOf } from './scratch.js';
import type { WorkerPool } from './worker/worker-pool.js';
import type { WorkerEvent, WorkerProcess } from './worker/worker-process.js';
import type { WorkerJob, WorkerOutcome } from './worker/worker-protocol.js';

export interface RunnerOptions {
  concurrency: number;
  /** This host's name, recorded on the jobs it runs (admin `machinename`). */
  machine: string;
  /** Abort → SIGKILL delay when a job is cancelled, deleted or timed out. */
  graceMs: number;
  heartbeatMs: number;
  /** Longest a rollback may take before its worker is killed. */
  rollbackMs: number;
}

export type StopReason = 'cancelled' | 'deleted' | 'timed-out';

/** How an unsuccessful run ends. */
type Ending = StopReason | 'failed';

interface RunningJob {
  job: JobRecord;
  task?: RegisteredTask;
  principal: Principal | null;
  worker?: WorkerProcess;
  stopping?: StopReason;
  /** The worker being stopped, resolved once it and its children are gone. */
  terminating?: Promise<void>;
  /** Record writes for this job, in order (messages, progress). */
  writes: Promise<void>;
  lastProgressWrite: number;
  pendingProgress?: JobProgress;
  progressTimer?: NodeJS.Timeout;
  done: Promise<void>;
}

/** Progress is written at most this often per job; messages are all written. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Claims queued jobs and runs each in a worker process, up to `concurrency` at once. Owns what
 * happens to a job from claim to its final state: messages and progress from the worker, the time
 * limit, stopping on cancel or delete, rollback, and the scratch folder.
 */
export class JobRunner {
  private readonly running = new Map<string, RunningJob>();
  /** Stops asked for jobs claimed but not yet registered (a claim and a delete racing). */
  private readonly pendingStops = new Map<string, StopReason>();
  private dispatching: Promise<void> | undefined;
  private dispatchAgain = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private unwatch: (() => void) | undefined;
  private started = false;
  private closed = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly registry: GPRegistry,
    private readonly users: UserStore,
    private readonly pool: WorkerPool,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly options: RunnerOptions,
  ) {}

  /** Begins claiming jobs (after start-up recovery) and heartbeating running ones. */
  start(): void {
    if (!this.hasWorkers) return;
    this.started = true;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    this.heartbeatTimer.unref();
    // Submits, cancels and deletes made by other processes reach this one at once.
    this.unwatch = this.queue.watch?.((event) => {
      if (event.type === 'submitted') this.wake();
      else if (this.running.has(event.id)) void this.checkJob(event.id);
    });
    this.wake();
  }

  /**
   * Starts this runner's job workers ahead of any job, each importing every task's code while
   * idle (call once listening: it costs a few seconds of CPU, in the workers).
   */
  warmWorkers(): void {
    if (!this.hasWorkers || this.closed) return;
    const tasks = this.registry.services().flatMap((service) => service.tasks.map((task) => moduleOf(task.ref)));
    void this.pool.warm(this.options.concurrency, tasks).catch((err: unknown) => this.logger.warn({ err }, 'job workers could not be warmed'));
  }

  /** False on an HTTP-only node (no job workers): it never claims, runs or recovers jobs. */
  get hasWorkers(): boolean {
    return this.options.concurrency > 0;
  }

  /** Looks for work: call after a submit, and whenever a slot frees up. */
  wake(): void {
    if (!this.started || this.closed) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = (async () => {
      do {
        this.dispatchAgain = false;
        await this.dispatch();
      } while (this.dispatchAgain && !this.closed);
    })()
      .catch((err: unknown) => this.logger.error({ err }, 'job dispatch failed'))
      .finally(() => {
        this.dispatching = undefined;
      });
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /**
   * Stops a running job: abort, then SIGKILL after the grace period, then rollback and cleanup.
   * Resolves when the job has reached its end; undefined when this runner does not run it.
   */
  stop(id: string, reason: StopReason): Promise<void> | undefined {
    const entry = this.running.get(id);
    if (!entry) {
      this.pendingStops.set(id, reason);
      return undefined;
    }
    // A delete wins over a cancel or time-out already under way.
    if (!entry.stopping || reason === 'deleted') entry.stopping = reason;
    if (entry.worker && !entry.terminating) entry.terminating = entry.worker.terminate(id, this.options.graceMs);
    return entry.done;
  }

  forgetStop(id: string): void {
    this.pendingStops.delete(id);
  }

  /** Kills every worker; jobs still running stay `executing` for the next start to recover. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    this.unwatch?.();
    await this.pool.close();
    await this.dispatching;
    await Promise.all([...this.running.values()].map((entry) => entry.done));
  }

  private async dispatch(): Promise<void> {
    while (!this.closed && this.running.size < this.options.concurrency) {
      const job = await this.queue.claimNext({ machine: this.options.machine });
      if (!job) return;
      this.launch(job);
    }
    if (!this.closed) await this.queue.markWaiting();
  }

  /** Registers a claimed job synchronously, so a stop arriving now finds it. */
  private launch(job: JobRecord): void {
    let resolveDone!: () => void;
    const entry: RunningJob = {
      job,
      principal: null,
      writes: Promise.resolve(),
      lastProgressWrite: 0,
      done: new Promise((resolve) => (resolveDone = resolve)),
    };
    entry.stopping = this.pendingStops.get(job.id);
    this.pendingStops.delete(job.id);
    this.running.set(job.id, entry);
    void this.execute(entry)
      .catch((err: unknown) => this.logger.error({ err, jobId: job.id }, 'job runner failed'))
      .finally(() => {
        clearTimeout(entry.progressTimer);
        this.running.delete(job.id);
        resolveDone();
        this.wake();
      });
  }

  private async execute(entry: RunningJob): Promise<void> {
    const { job } = entry;
    entry.task = this.registry.findTask(job.service, job.task);
    await mkdir(scratchDirOf(this.config.dataDir, job.id), { recursive: true });
    await this.queue.addMessages(job.id, [info(`Start Time: ${formatJobTime(job.started ?? Date.now())}`)]);
    const outcome = await this.runTask(entry);
    if (this.closed) return;
    await entry.writes;
    if (outcome.kind === 'succeeded' && !entry.stopping) {
      // The worker's JSON text, stored as it is: a classifier's results are megabytes, which
      // the IPC channel took ~0.4 s to carry and parsing and stringifying again more.
      const results = await readFile(outcome.resultsFile, 'utf8');
      await rm(outcome.resultsFile, { force: true });
      const ended = Date.now();
      const closing = [info(`Succeeded at ${formatJobTime(ended)} (Elapsed Time: ${formatElapsed(job.started ?? ended, ended)})`)];
      if (await this.queue.complete(job.id, results, closing)) {
        // Shared queue: the node that sweeps expired jobs is not this one, so clean up now.
        if (this.queue.shared) await removeScratch(this.config.dataDir, job.id);
        return;
      }
    }
    await this.endUnsuccessfully(entry, outcome);
  }

  private async runTask(entry: RunningJob): Promise<WorkerOutcome> {
    const { job, task } = entry;
    if (!task) return { kind: 'failed', message: `The task '${job.task}' of '${job.service}' is not available on this server.` };
    if (entry.stopping) return { kind: 'aborted' };
    const principal = await this.principalOf(job.owner);
    if (principal === undefined) return { kind: 'failed', message: `The user '${job.owner}' who submitted this job no longer exists.` };
    entry.principal = principal;
    let worker: WorkerProcess;
    try {
      worker = await this.pool.acquire();
    } catch (err) {
      this.logger.error({ err, jobId: job.id }, 'could not start a job worker');
      return { kind: 'failed', message: 'The server could not start a worker for this job.' };
    }
    if (entry.stopping) {
      this.pool.release(worker);
      return { kind: 'aborted' };
    }
    entry.worker = worker;
    await this.queue.assignWorker(job.id, worker.pid);
    const limitSeconds = task.definition.timeLimitSeconds ?? this.config.jobs.timeLimitSeconds;
    const timer = setTimeout(() => void this.stop(job.id, 'timed-out'), limitSeconds * 1000);
    const outcome = await worker.run({ type: 'run', job: await this.workerJob(entry) }, (event) => this.onWorkerEvent(entry, event));
    clearTimeout(timer);
    if (entry.stopping) await entry.terminating;
    else if (outcome.kind === 'succeeded' || outcome.kind === 'failed') this.pool.release(worker);
    return outcome;
  }

  /** Failed, timed out, cancelled or deleted: worker gone, rollback, scratch removed, final state. */
  private async endUnsuccessfully(entry: RunningJob, outcome: WorkerOutcome): Promise<void> {
    const { job } = entry;
    const current = await this.queue.get(job.id);
    let ending: Ending = entry.stopping ?? 'failed';
    if (!current || current.state === 'deleting') ending = 'deleted';
    else if (current.state === 'cancelling' && ending !== 'timed-out') ending = 'cancelled';
    if (outcome.kind === 'failed' && outcome.detail) this.logger.error({ jobId: job.id, detail: outcome.detail }, outcome.message);
    const notes = entry.task ? await this.rollback(job, entry.task, entry.principal) : [];
    await removeScratch(this.config.dataDir, job.id);
    await this.finish(job, ending, [...notes, ...this.endMessages(entry, ending, outcome)]);
  }

  /** Writes the final state; a job deleted meanwhile is removed instead. */
  async finish(job: JobRecord, ending: Ending, messages: JobMessage[]): Promise<void> {
    let written = false;
    if (ending === 'cancelled') written = await this.queue.finishCancel(job.id, messages);
    else if (ending !== 'deleted') written = await this.queue.fail(job.id, ending, messages);
    if (!written) await this.queue.remove(job.id);
  }

  private endMessages(entry: RunningJob, ending: Ending, outcome: WorkerOutcome): JobMessage[] {
    const ended = Date.now();
    const elapsed = `(Elapsed Time: ${formatElapsed(entry.job.started ?? ended, ended)})`;
    if (ending === 'cancelled') return [warning(`Cancelled at ${formatJobTime(ended)} ${elapsed}`)];
    if (ending === 'timed-out') {
      const limit = entry.task?.definition.timeLimitSeconds ?? this.config.jobs.timeLimitSeconds;
      return [error(`The job exceeded its time limit of ${limit} seconds and was stopped.`), error(`Timed out at ${formatJobTime(ended)} ${elapsed}`)];
    }
    let reason = 'The job failed.';
    if (outcome.kind === 'failed') reason = outcome.message;
    if (outcome.kind === 'crashed') reason = `The job's worker process stopped unexpectedly (${outcome.signal ?? `exit code ${outcome.exitCode}`}).`;
    return [error(reason), error(`Failed to execute (${entry.job.task}).`), error(`Failed at ${formatJobTime(ended)} ${elapsed}`)];
  }

  /** Runs the task's rollback in a fresh worker; problems become warnings (and log lines). */
  async rollback(job: JobRecord, task: RegisteredTask, principal: Principal | null): Promise<JobMessage[]> {
    if (!task.definition.rollback) return [];
    let worker: WorkerProcess;
    try {
      worker = await this.pool.acquire();
    } catch (err) {
      if (!this.closed) this.logger.error({ err, jobId: job.id }, 'could not start a worker to roll back');
      return [warning('The server could not undo what this job left behind; see the server log.')];
    }
    const payload = await this.workerJob({ job, task, principal });
    const timer = setTimeout(() => void worker.terminate(job.id, 0), this.options.rollbackMs);
    const outcome = await worker.run({ type: 'rollback', job: payload }, () => undefined);
    clearTimeout(timer);
    if (outcome.kind === 'rolled-back' && !outcome.error) {
      this.pool.release(worker);
      return [];
    }
    this.pool.release(worker);
    this.logger.error({ jobId: job.id, detail: outcome.kind === 'rolled-back' ? outcome.error : outcome.kind }, 'job rollback failed');
    return [warning('Undoing what this job left behind did not complete; see the server log.')];
  }

  /** The submitter as a principal; null for anonymous jobs, undefined when the user is gone. */
  async principalOf(owner: string | null): Promise<Principal | null | undefined> {
    if (owner === null) return null;
    const user = await this.users.get(owner);
    return user && makePrincipal(user.username, user.role, 'parameter-body');
  }

  /** What a worker runs or rolls back; the inputs are read here, not with the job's record. */
  private async workerJob(entry: Pick<RunningJob, 'job' | 'task' | 'principal'>): Promise<WorkerJob> {
    return {
      jobId: entry.job.id,
      task: moduleOf(entry.task!.ref),
      inputs: (await this.queue.inputs(entry.job.id)) ?? {},
      principal: entry.principal,
      baseUrl: entry.job.baseUrl,
      scratchDir: scratchDirOf(this.config.dataDir, entry.job.id),
      config: this.config,
    };
  }

  private onWorkerEvent(entry: RunningJob, event: WorkerEvent): void {
    const id = entry.job.id;
    if (event.type === 'message') {
      const message = event.level === 'warning' ? warning(event.text) : info(event.text);
      this.write(entry, () => this.queue.addMessages(id, [message]));
      return;
    }
    entry.pendingProgress = { percent: event.percent, message: event.message };
    if (entry.progressTimer) return;
    const wait = Math.max(0, entry.lastProgressWrite + PROGRESS_INTERVAL_MS - Date.now());
    entry.progressTimer = setTimeout(() => {
      entry.progressTimer = undefined;
      entry.lastProgressWrite = Date.now();
      const progress = entry.pendingProgress ?? null;
      this.write(entry, () => this.queue.setProgress(id, progress));
    }, wait);
  }

  private write(entry: RunningJob, operation: () => Promise<void>): void {
    entry.writes = entry.writes
      .then(operation)
      .catch((err: unknown) => this.logger.error({ err, jobId: entry.job.id }, 'job record write failed'));
  }

  /**
   * Keeps running jobs fresh, and notices cancels and deletes made elsewhere (another process).
   * Also looks for work: jobs submitted by other processes whose notification never came.
   */
  private async heartbeat(): Promise<void> {
    for (const id of this.running.keys()) await this.checkJob(id);
    if (this.running.size < this.options.concurrency) this.wake();
  }

  /** Heartbeats one running job and stops it when its record says cancelling or deleting. */
  private async checkJob(id: string): Promise<void> {
    const entry = this.running.get(id);
    if (!entry) return;
    try {
      const state = await this.queue.heartbeat(id);
      if (entry.stopping === 'deleted') return;
      if (state === undefined || state === 'deleting') void this.stop(id, 'deleted');
      else if (state === 'cancelling' && !entry.stopping) void this.stop(id, 'cancelled');
    } catch (err) {
      this.logger.error({ err, jobId: id }, 'job heartbeat failed');
    }
  }
}
