import type { Logger } from 'pino';
import type { TaskModuleRef } from '../gp-registry.js';
import { WorkerProcess } from './worker-process.js';

/**
 * Job worker processes, kept warm between jobs (starting one through tsx costs a few hundred
 * milliseconds). Callers hold at most one worker per running job, so the pool never grows past
 * the runner's concurrency.
 */
export class WorkerPool {
  private readonly idle: WorkerProcess[] = [];
  private readonly all = new Set<WorkerProcess>();
  private closed = false;

  constructor(private readonly logger: Logger) {}

  /** An idle worker, or a new one once it is ready. */
  async acquire(): Promise<WorkerProcess> {
    if (this.closed) throw new Error('the job worker pool is closed');
    let worker = this.idle.pop();
    while (worker && !worker.isAlive) worker = this.idle.pop();
    worker ??= this.spawn();
    await worker.ready;
    return worker;
  }

  /**
   * Starts idle workers up to `count`, one after the other, each importing `tasks` once ready:
   * after a restart the first job of a kind then finds its worker started and its code loaded
   * (the import alone costs 0.1–2.7 s). The workers are the ones jobs would start anyway.
   */
  async warm(count: number, tasks: TaskModuleRef[]): Promise<void> {
    while (!this.closed && this.all.size < count) {
      const worker = this.spawn();
      this.idle.unshift(worker);
      try {
        await worker.ready;
      } catch {
        return; // it died starting: jobs will start their own
      }
      worker.preload(tasks);
    }
  }

  private spawn(): WorkerProcess {
    const worker = WorkerProcess.spawn(this.logger);
    this.all.add(worker);
    void worker.exited.then(() => this.forget(worker));
    return worker;
  }

  /** Back to the idle list, if it is still healthy. */
  release(worker: WorkerProcess): void {
    if (worker.isAlive && !this.closed && !this.idle.includes(worker)) this.idle.push(worker);
  }

  /** Process ids of the live workers (tests and the admin API look at them). */
  pids(): number[] {
    return [...this.all].map((worker) => worker.pid);
  }

  /** Kills every worker and its children at once; running jobs are left for recovery. */
  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    await Promise.all([...this.all].map((worker) => worker.terminate(undefined, 0)));
  }

  private forget(worker: WorkerProcess): void {
    this.all.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
  }
}
