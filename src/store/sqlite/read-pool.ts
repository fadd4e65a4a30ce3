import { Worker } from 'node:worker_threads';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface ReadThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** An error a read thread reported, with SQLite's code (e.g. SQLITE_ERROR) kept. */
export class ReadThreadError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

/**
 * Threads with their own read-only SpatiaLite connections (read-worker.mjs) that run SELECTs
 * built on the main thread: a feature page costs milliseconds of synchronous SQLite, and on the
 * event loop that is one core for every client. Each query goes to the thread with the fewest
 * queries in flight. WAL mode lets these readers see every commit of the writing connection.
 *
 * @example const [count, json] = await pool.get(file, 'SELECT count(*), … WHERE x > ?', [3]);
 */
export class SqliteReadPool {
  private readonly threads: ReadThread[] = [];
  private nextId = 0;

  constructor(private readonly size: number) {}

  get(file: string, sql: string, params: unknown[]): Promise<unknown[]> {
    return this.send({ kind: 'get', file, sql, params }) as Promise<unknown[]>;
  }

  /** Closes the threads' connections to a file (the dataset is being dropped). */
  async forget(file: string): Promise<void> {
    await Promise.all(this.threads.map((thread) => this.post(thread, { kind: 'forget', file })));
  }

  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  private send(message: Record<string, unknown>): Promise<unknown> {
    if (this.threads.length < this.size) this.threads.push(this.start());
    const idlest = this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    return this.post(idlest, message);
  }

  private post(thread: ReadThread, message: Record<string, unknown>): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ ...message, id });
    });
  }

  private start(): ReadThread {
    const worker = new Worker(new URL('./read-worker.mjs', import.meta.url));
    const thread: ReadThread = { worker, pending: new Map() };
    // An idle pool must not keep the process alive.
    worker.unref();
    worker.on('message', (answer: { id: number; result?: unknown; error?: { message: string; code?: string } }) => {
      const pending = thread.pending.get(answer.id);
      thread.pending.delete(answer.id);
      if (!pending) return;
      if (answer.error) pending.reject(new ReadThreadError(answer.error.message, answer.error.code));
      else pending.resolve(answer.result);
    });
    const fail = (error: Error) => {
      for (const pending of thread.pending.values()) pending.reject(error);
      thread.pending.clear();
      const at = this.threads.indexOf(thread);
      if (at >= 0) this.threads.splice(at, 1);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`SQLite read thread stopped (exit code ${code})`)));
    return thread;
  }
}
