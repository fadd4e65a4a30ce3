import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { jobWorkerEgressEnv } from '../../raster/gdal-egress.js';
import type { TaskModuleRef } from '../gp-registry.js';
import type { FromWorker, ToWorker, WorkerOutcome } from './worker-protocol.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

/** tsx's loader by absolute URL, so workers start whatever the server's working directory. */
function tsxLoader(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return 'tsx';
  }
}

export type WorkerEvent = Extract<FromWorker, { type: 'message' | 'progress' }>;

/**
 * One job worker: a child process running worker-main.ts through tsx. It leads its own process
 * group (`detached`), so killing the group also ends whatever the task spawned (gdal, python).
 */
export class WorkerProcess {
  readonly pid: number;
  /** Resolves once the worker listens for jobs; rejects if it dies first. */
  readonly ready: Promise<void>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Resolves with how many modules imported once a `preload` list is done. */
  readonly preloaded: Promise<number>;
  private onPreloaded: ((count: number) => void) | undefined;
  private alive = true;
  private listener: ((message: FromWorker) => void) | undefined;
  private onExit: ((code: number | null, signal: string | null) => void) | undefined;

  private constructor(private readonly child: ChildProcess, logger: Logger) {
    this.pid = child.pid!;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => logger.info({ workerPid: this.pid }, line));
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.alive = false;
        this.onExit?.(code, signal);
        resolve();
      });
    });
    this.preloaded = new Promise((resolve) => (this.onPreloaded = resolve));
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'preloaded') this.onPreloaded?.(message.count);
        else this.listener?.(message);
      };
      child.on('message', onMessage);
      void this.exited.then(() => reject(new Error(`job worker ${this.pid} exited before it was ready`)));
    });
    // Nobody may be waiting on `ready` when a worker dies idle.
    this.ready.catch(() => undefined);
  }

  static spawn(logger: Logger): WorkerProcess {
    const child = fork(WORKER_ENTRY, [], {
      execArgv: ['--import', tsxLoader()],
      env: { ...process.env, ...jobWorkerEgressEnv() },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    child.on('error', (error) => logger.error({ err: error }, 'job worker error'));
    return new WorkerProcess(child, logger);
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Sends a run or rollback and resolves with how it ended; events stream to `onEvent`. */
  run(message: Extract<ToWorker, { type: 'run' | 'rollback' }>, onEvent: (event: WorkerEvent) => void): Promise<WorkerOutcome> {
    return new Promise((resolve) => {
      const finish = (outcome: WorkerOutcome) => {
        this.listener = undefined;
        this.onExit = undefined;
        resolve(outcome);
      };
      this.listener = (reply) => {
        // Stray reports of an earlier job (a task that kept logging after it returned) are dropped.
        if ('jobId' in reply && reply.jobId !== message.job.jobId) return;
        if (reply.type === 'message' || reply.type === 'progress') onEvent(reply);
        else if (reply.type === 'succeeded') finish({ kind: 'succeeded', resultsFile: reply.resultsFile });
        else if (reply.type === 'failed') finish({ kind: 'failed', message: reply.message, detail: reply.detail });
        else if (reply.type === 'aborted') finish({ kind: 'aborted' });
        else if (reply.type === 'rolled-back') finish({ kind: 'rolled-back', error: reply.error });
      };
      this.onExit = (exitCode, signal) => finish({ kind: 'crashed', exitCode, signal });
      if (!this.alive) return finish({ kind: 'crashed', exitCode: this.child.exitCode, signal: this.child.signalCode });
      this.send(message);
    });
  }

  /** Has the (idle) worker import these task modules in the background. */
  preload(tasks: TaskModuleRef[]): void {
    this.send({ type: 'preload', tasks });
  }

  /**
   * Stops the worker for good: aborts the job's signal, waits up to `graceMs` for the process to
   * leave, then SIGKILLs its whole process group. Resolves once nothing of it is left.
   */
  async terminate(jobId: string | undefined, graceMs: number): Promise<void> {
    if (this.alive && jobId) this.send({ type: 'abort', jobId });
    if (this.alive && graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    this.killGroup();
    await this.exited;
    // The leader is gone; children it left behind still carry its group id.
    this.killGroup();
  }

  private killGroup(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already empty.
    }
  }

  private send(message: ToWorker): void {
    if (!this.alive || !this.child.connected) return;
    // A channel closing under us is reported by the exit handler, not here.
    this.child.send(message, () => undefined);
  }
}
