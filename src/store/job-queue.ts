/**
 * Where a job is in its life. Internal names: `jobs/` maps them to `esriJob*` only on the wire.
 * A deleted job has no state: its record is gone.
 */
export type JobState =
  | 'submitted'
  | 'waiting'
  | 'executing'
  | 'succeeded'
  | 'failed'
  | 'timed-out'
  | 'cancelling'
  | 'cancelled'
  | 'deleting';

/** States a job never leaves on its own (only delete or expiry removes it). */
export const FINISHED_STATES: readonly JobState[] = ['succeeded', 'failed', 'timed-out', 'cancelled'];

/** States of a job that no worker has started yet. */
export const QUEUED_STATES: readonly JobState[] = ['submitted', 'waiting'];

export interface JobProgress {
  /** 0–100, absent for an indeterminate step. */
  percent?: number;
  message: string;
}

export interface JobMessage {
  type: 'informative' | 'warning' | 'error';
  description: string;
  time: number;
}

export interface JobRecord {
  /** `j` + 32 hex characters, unguessable (anonymous jobs are readable by whoever has the id). */
  id: string;
  /** `<folder>/<name>` of the GP service, e.g. `System/RasterAnalysisTools`. */
  service: string;
  task: string;
  /** Submitter's username; null for anonymous jobs. */
  owner: string | null;
  state: JobState;
  /** Output values by parameter name, once succeeded. */
  results: Record<string, unknown> | null;
  /** Public base URL as the submitter saw it, for result URLs. */
  baseUrl: string;
  progress: JobProgress | null;
  /** Host that runs (or ran) the job, and its worker process id. */
  machine: string | null;
  workerPid: number | null;
  /** How many times a worker started it (more than one after a crash retry). */
  attempts: number;
  /** Epoch ms. */
  submitted: number;
  started: number | null;
  ended: number | null;
  heartbeat: number | null;
}

/** What a queue shared by several processes tells each of them (PostgreSQL NOTIFY). */
export type JobEvent = { type: 'submitted'; id: string } | { type: 'stop'; id: string; reason: 'cancelled' | 'deleted' };

/** Input values by parameter name, parsed, defaults applied. */
export type JobInputs = Record<string, unknown>;

/**
 * A finished job's results, as an object or already as JSON text: a worker serializes them once
 * (a trained classifier's are megabytes) and the text is stored as it came.
 */
export type JobResultsInput = Record<string, unknown> | string;

export type NewJob = Pick<JobRecord, 'id' | 'service' | 'task' | 'owner' | 'baseUrl'> & { inputs: JobInputs };

export interface JobFilter {
  service?: string;
  states?: readonly JobState[];
  /** A username, or null for anonymous jobs. */
  owner?: string | null;
  /** Submit time range, epoch ms, inclusive. */
  submittedFrom?: number;
  submittedTo?: number;
  machine?: string;
}

/**
 * The job queue and the job records behind it: one implementation per engine (embedded SQLite
 * now, PostgreSQL/pg-boss later). Every state change is a conditional update, so concurrent
 * runners and HTTP requests cannot both win a transition.
 *
 * @example
 * const job = await queue.submit({ id, service: 'System/RasterAnalysisTools', task: 'AddImage', owner, inputs, baseUrl });
 * const next = await queue.claimNext({ machine: 'host-1', workerPid: 4242 }); // submitted → executing
 * await queue.complete(next!.id, { result: { url } });
 */
export interface JobQueue {
  /**
   * True when other processes (other nodes) run jobs from the same queue: a job found executing
   * at start-up may be theirs, so only a stale heartbeat says its runner died.
   */
  readonly shared?: boolean;
  /** Hears submits, cancels and deletes made on any node; returns a function that stops listening. */
  watch?(listener: (event: JobEvent) => void): () => void;
  submit(job: NewJob): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | undefined>;
  /**
   * A job's inputs, kept apart from its record: written once at submit and read only where they
   * are used (the worker, `inputs/<param>`, the admin job page), as they can be megabytes.
   * Undefined when there is no such job.
   */
  inputs(id: string): Promise<JobInputs | undefined>;
  messages(id: string): Promise<JobMessage[]>;
  /** Jobs matching a filter, oldest first, with the total before paging. */
  list(filter: JobFilter, page: { offset: number; limit: number }): Promise<{ total: number; jobs: JobRecord[] }>;
  /** Number of jobs per state for a filter (the admin statistics). */
  countByState(filter: JobFilter): Promise<Partial<Record<JobState, number>>>;
  /** Oldest queued job → executing, atomically; undefined when none is queued. */
  claimNext(claim: { machine: string; workerPid?: number }): Promise<JobRecord | undefined>;
  /** Records the worker process that runs a claimed job. */
  assignWorker(id: string, workerPid: number): Promise<void>;
  /** Every submitted job → waiting (all workers are busy). */
  markWaiting(): Promise<number>;
  /** Keeps a running job fresh and returns its current state (a cancel or delete shows here). */
  heartbeat(id: string): Promise<JobState | undefined>;
  setProgress(id: string, progress: JobProgress | null): Promise<void>;
  addMessages(id: string, messages: JobMessage[]): Promise<void>;
  /**
   * executing → succeeded, with closing messages in the same write; false when the job has moved
   * on (cancelled, deleted) and nothing was written. `results` may come as their JSON text.
   */
  complete(id: string, results: JobResultsInput, messages?: JobMessage[]): Promise<boolean>;
  /** executing or cancelling → failed or timed-out, with its error messages. */
  fail(id: string, state: 'failed' | 'timed-out', messages?: JobMessage[]): Promise<boolean>;
  /**
   * Asks a job to stop: queued → cancelled at once, executing → cancelling. Returns the state
   * before and after (unchanged for a finished job), undefined when there is no such job.
   */
  requestCancel(id: string): Promise<{ before: JobState; after: JobState } | undefined>;
  /** cancelling → cancelled, once the worker is gone. */
  finishCancel(id: string, messages?: JobMessage[]): Promise<boolean>;
  /** Any state → deleting; returns the state before, undefined when there is no such job. */
  markDeleting(id: string): Promise<JobState | undefined>;
  /** executing → submitted, after a crash, for tasks that may run again. */
  requeue(id: string, messages?: JobMessage[]): Promise<boolean>;
  /** Removes the job with its messages, inputs and results. */
  remove(id: string): Promise<boolean>;
  /** Cancels every queued job (of one service); returns their ids. */
  cancelQueued(filter: JobFilter): Promise<string[]>;
  /** Running, cancelling or deleting jobs whose heartbeat is older than the cutoff (their runner died). */
  findStale(heartbeatBefore: number): Promise<JobRecord[]>;
  /** Finished jobs that ended before the cutoff, oldest first (retention removes their files, then them). */
  findExpired(endedBefore: number, limit: number): Promise<string[]>;
}
