/**
 * Entry point of a job worker process (forked by the runner with tsx). Runs one task at a time,
 * streaming messages and progress back over IPC, so GDAL and friends never block the HTTP loop.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.js';
import { ApiError } from '../../errors.js';
import { adoptGdalEgress } from '../../raster/gdal-egress.js';
import { openStores, type Stores } from '../../store/index.js';
import { importTask, type TaskModuleRef } from '../gp-registry.js';
import { declaredOutputs, TaskError, type TaskContext } from '../task.js';
import type { FromWorker, ToWorker, WorkerJob } from './worker-protocol.js';

// GDAL's URL reads go through the parent's egress proxy (raster/gdal-egress.ts).
adoptGdalEgress();

/** In the job's scratch folder; a name no task writes there. */
const RESULTS_FILE = '.job-results.json';

let stores: Promise<Stores> | undefined;
let current: { jobId: string; controller: AbortController } | undefined;
/** Task modules still to import while idle (`preload`). */
let preloading: TaskModuleRef[] = [];
let preloader: Promise<void> | undefined;
let preloaded = 0;

function send(message: FromWorker): void {
  process.send?.(message);
}

/** One set of stores per worker process, opened on first use. */
function workerStores(config: Config): Promise<Stores> {
  stores ??= openStores(config);
  return stores;
}

/** The text a client may see for an error; anything unexpected stays generic (and is logged). */
function describeFailure(error: unknown): { message: string; detail?: string } {
  if (error instanceof TaskError || (error as Error | undefined)?.name === 'TaskError') return { message: (error as Error).message };
  if (error instanceof ApiError) return { message: [error.message, ...error.details].join(' ') };
  return { message: 'The task failed with an unexpected error.', detail: (error as Error | undefined)?.stack ?? String(error) };
}

async function contextFor(job: WorkerJob, signal: AbortSignal): Promise<TaskContext> {
  return {
    jobId: job.jobId,
    principal: job.principal,
    inputs: job.inputs,
    scratchDir: job.scratchDir,
    signal,
    baseUrl: job.baseUrl,
    config: job.config,
    stores: await workerStores(job.config),
    info: (text) => send({ type: 'message', jobId: job.jobId, level: 'informative', text: String(text) }),
    warning: (text) => send({ type: 'message', jobId: job.jobId, level: 'warning', text: String(text) }),
    progress: (percent, message) =>
      send({ type: 'progress', jobId: job.jobId, percent: percent === undefined ? undefined : Math.max(0, Math.min(100, percent)), message: String(message) }),
  };
}

async function run(job: WorkerJob): Promise<void> {
  const controller = new AbortController();
  current = { jobId: job.jobId, controller };
  try {
    const task = await importTask(job.task);
    const results = await task.execute(await contextFor(job, controller.signal));
    if (controller.signal.aborted) send({ type: 'aborted', jobId: job.jobId });
    else send({ type: 'succeeded', jobId: job.jobId, resultsFile: await writeResults(job.scratchDir, declaredOutputs(task, results ?? {})) });
  } catch (error) {
    if (controller.signal.aborted) send({ type: 'aborted', jobId: job.jobId });
    else send({ type: 'failed', jobId: job.jobId, ...describeFailure(error) });
  } finally {
    current = undefined;
  }
  // After an abort the parent retires this process; leaving promptly saves it the grace period.
  if (controller.signal.aborted) process.exit(0);
  preload();
}

/**
 * The results as JSON text in a file, whose path the parent is sent: a trained classifier's are
 * megabytes, and the JSON IPC channel took ~0.4 s (loaded) to carry them. Serialized once, here
 * (undefined values dropped; a value JSON cannot hold throws, failing the job), and stored as is.
 */
async function writeResults(scratchDir: string, results: Record<string, unknown>): Promise<string> {
  const file = path.join(scratchDir, RESULTS_FILE);
  await writeFile(file, JSON.stringify(results));
  return file;
}

/**
 * Imports the queued task modules one at a time while no job runs: a job that arrives meets at
 * most the import under way (its own module's import joins it if it is the same), and the rest
 * wait until the worker is idle again. A module that fails to import is left to its job to report.
 */
function preload(): void {
  if (preloader || current) return;
  preloader = (async () => {
    while (preloading.length > 0 && !current) {
      const ref = preloading.shift()!;
      if (await importTask(ref).then(() => true, () => false)) preloaded++;
      await new Promise((resolve) => setImmediate(resolve));
      if (preloading.length === 0) send({ type: 'preloaded', count: preloaded });
    }
  })().finally(() => {
    preloader = undefined;
  });
}

async function rollback(job: WorkerJob): Promise<void> {
  try {
    const task = await importTask(job.task);
    if (task.rollback) {
      const { signal: _signal, progress: _progress, ...context } = await contextFor(job, new AbortController().signal);
      await task.rollback(context);
    }
    send({ type: 'rolled-back', jobId: job.jobId });
  } catch (error) {
    send({ type: 'rolled-back', jobId: job.jobId, error: (error as Error | undefined)?.stack ?? String(error) });
  }
}

/** Ends this worker and every process it started (it leads its own process group). */
function killProcessGroup(): void {
  current?.controller.abort();
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(1);
  }
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'run') void run(message.job);
  else if (message.type === 'rollback') void rollback(message.job);
  else if (message.type === 'preload') {
    preloading = [...message.tasks];
    preload();
  }
  else if (message.type === 'abort') {
    if (current?.jobId === message.jobId) current.controller.abort();
    // The job ended just before the abort arrived: the parent retires this worker anyway.
    else if (!current) process.exit(0);
  }
});
// The server went away (closed or crashed): nothing may outlive it.
process.on('disconnect', killProcessGroup);
send({ type: 'ready' });
