import type { Logger } from 'pino';
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
    if (!worker) {
      worker = WorkerProcess.spawn(this.logger);
      this.all.add(worker);
      const spawned = worker;
      void spawned.exited.then(() => this.forget(spawned));
    }
    await worker.ready;
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
