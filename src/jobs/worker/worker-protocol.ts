import type { Principal } from '../../auth/principal.js';
import type { Config } from '../../config.js';
import type { TaskModuleRef } from '../gp-registry.js';

/** What a worker needs to run (or roll back) one job; plain JSON over the IPC channel. */
export interface WorkerJob {
  jobId: string;
  task: TaskModuleRef;
  inputs: Record<string, unknown>;
  principal: Principal | null;
  baseUrl: string;
  scratchDir: string;
  config: Config;
}

/** Parent → worker. */
export type ToWorker =
  | { type: 'run'; job: WorkerJob }
  | { type: 'rollback'; job: WorkerJob }
  /** Aborts the task's signal; the worker exits once the task has settled. */
  | { type: 'abort'; jobId: string }
  /** Imports these task modules while idle, so a first job of a kind does not pay for it. */
  | { type: 'preload'; tasks: TaskModuleRef[] };

/** Worker → parent. The last four end a `run` or `rollback`. */
export type FromWorker =
  | { type: 'ready' }
  /** The `preload` list is done: how many of its modules imported. */
  | { type: 'preloaded'; count: number }
  | { type: 'message'; jobId: string; level: 'informative' | 'warning'; text: string }
  | { type: 'progress'; jobId: string; percent?: number; message: string }
  /** The task's declared outputs, as JSON text in this file of the job's scratch folder. */
  | { type: 'succeeded'; jobId: string; resultsFile: string }
  /** `message` is safe for clients; `detail` (a stack) is only logged. */
  | { type: 'failed'; jobId: string; message: string; detail?: string }
  | { type: 'aborted'; jobId: string }
  | { type: 'rolled-back'; jobId: string; error?: string };

/** How a run ended, as the parent sees it (a crash is the worker process exiting mid-run). */
export type WorkerOutcome =
  | { kind: 'succeeded'; resultsFile: string }
  | { kind: 'failed'; message: string; detail?: string }
  | { kind: 'aborted' }
  | { kind: 'crashed'; exitCode: number | null; signal: string | null }
  | { kind: 'rolled-back'; error?: string };
