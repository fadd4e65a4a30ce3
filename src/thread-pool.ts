import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type TransferListItem } from 'node:worker_threads';
import { workerBundle } from './worker-bundle.js';

/**
 * Starts a worker thread on a TypeScript entry, run as one bundled script (worker-bundle.ts): a
 * small boot script waits for the bundle on a port of its own, then runs it with a `require`
 * that resolves from the entry's folder. Messages posted to the thread meanwhile wait for the
 * entry's listener; a bundle that cannot be built ends the thread with an 'error'.
 */
export function startTsWorker(entry: URL, workerData?: unknown): Worker {
  const { port1, port2 } = new MessageChannel();
  const boot = `const { workerData } = require('node:worker_threads');
    workerData.code.once('message', (code) => {
      workerData.code.close();
      new Function('require', code)(require('node:module').createRequire(workerData.file));
    });`;
  const worker = new Worker(boot, { eval: true, workerData: { code: port2, file: fileURLToPath(entry), data: workerData }, transferList: [port2] });
  workerBundle(entry).then(
    (code) => port1.postMessage(code),
    (error: unknown) => {
      worker.emit('error', error instanceof Error ? error : new Error(String(error)));
      void worker.terminate();
    },
  );
  return worker;
}

/** The data given to startTsWorker, inside the thread. */
export function tsWorkerData<T>(data: unknown): T {
  return (data as { data: T }).data;
}

/** What an entry posts back for one task: its result, or an error by name and message. */
export type ThreadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string; code?: string };

interface Task {
  id: number;
  message: object;
  transfer: TransferListItem[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
  /** Ends the thread once it has been idle for the pool's `idleMs`. */
  idle: NodeJS.Timeout | undefined;
}

/**
 * A thread idle this long ends (its V8 isolate and tsx's module-hooks thread with it: ~12 MiB of
 * RSS each, issue 18); the next task starts a new one (~0.7 s of CPU).
 */
const IDLE_MS = 60_000;

/**
 * A few worker threads running one TypeScript entry (through tsx), for CPU-heavy work that must not
 * hold the event loop: the other clients' requests keep flowing meanwhile. Threads start on first
 * use (or one ahead of it: `warm`) and end after `idleMs` without a task; one task per thread at a time, the rest wait in order. A task whose signal aborts
 * ends its thread (the only way to stop a running SQLite or GEOS call); a new one takes its place.
 * The entry answers `{ id, …message }` with a ThreadReply.
 */
export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly entry: URL,
    private readonly size = Math.max(1, Math.min(4, availableParallelism() - 1)),
    private readonly idleMs = IDLE_MS,
  ) {}

  /** Threads running now (busy or idle). */
  get threads(): number {
    return this.slots.length;
  }

  /** Runs one task; rejects with the entry's error (name and message kept) or an AbortError. */
  run<T>(message: object, options: { transfer?: TransferListItem[]; signal?: AbortSignal } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The thread pool is closed'));
    options.signal?.throwIfAborted();
    return new Promise<T>((resolve, reject) => {
      const task: Task = {
        id: this.nextId++,
        message,
        transfer: options.transfer ?? [],
        resolve: resolve as (value: unknown) => void,
        reject,
        signal: options.signal,
        onAbort: undefined,
      };
      if (task.signal) {
        task.onAbort = () => this.abort(task);
        task.signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.queue.push(task);
      this.dispatch();
    });
  }

  /** Whether a task given now would start at once: a thread is free (or one more may start) and none wait. */
  get idle(): boolean {
    return !this.closed && this.queue.length === 0 && (this.slots.length < this.size || this.slots.some((s) => !s.task));
  }

  /** Starts one thread ahead of the first task, so that task does not wait for tsx to load the entry. */
  warm(): void {
    if (!this.closed && this.slots.length === 0) this.rest(this.spawn());
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) this.finish(task, () => task.reject(new Error('The thread pool is closed')));
    await Promise.all(this.slots.splice(0).map((slot) => (clearTimeout(slot.idle), slot.worker.terminate())));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      clearTimeout(slot.idle);
      slot.idle = undefined;
      slot.task = task;
      slot.worker.postMessage({ ...task.message, id: task.id }, task.transfer);
    }
  }

  private spawn(): Slot {
    const worker = startTsWorker(this.entry);
    // An idle pool must not keep the process alive; a busy thread is kept alive by its task's promise.
    worker.unref();
    const slot: Slot = { worker, task: undefined, idle: undefined };
    worker.on('message', (reply: ThreadReply) => {
      const task = slot.task;
      if (!task || task.id !== reply.id) return;
      slot.task = undefined;
      this.finish(task, () => (reply.ok ? task.resolve(reply.value) : task.reject(rebuildError(reply))));
      this.dispatch();
      if (!slot.task) this.rest(slot);
    });
    const lost = (error: Error) => {
      this.remove(slot);
      const task = slot.task;
      if (task) this.finish(task, () => task.reject(error));
      this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`A worker thread exited (code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private abort(task: Task): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.task === task);
    if (slot) {
      slot.task = undefined;
      this.remove(slot);
      void slot.worker.terminate();
    }
    this.finish(task, () => task.reject(task.signal!.reason instanceof Error ? task.signal!.reason : new DOMException('Aborted', 'AbortError')));
    this.dispatch();
  }

  /** An idle thread: ends after `idleMs` unless a task comes first (dispatch clears the timer). */
  private rest(slot: Slot): void {
    clearTimeout(slot.idle);
    slot.idle = setTimeout(() => {
      if (slot.task || !this.slots.includes(slot)) return;
      this.remove(slot);
      void slot.worker.terminate();
    }, this.idleMs);
    slot.idle.unref();
  }

  private remove(slot: Slot): void {
    clearTimeout(slot.idle);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }

  private finish(task: Task, settle: () => void): void {
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort);
    settle();
  }
}

/** An error with the entry's name, message and code, so callers' `instanceof`/name checks still work after mapping. */
function rebuildError(reply: Extract<ThreadReply, { ok: false }>): Error {
  const error = new Error(reply.message) as Error & { code?: string };
  error.name = reply.name;
  if (reply.code) error.code = reply.code;
  return error;
}

/** For entries: answers every message with `handle(message)`'s result or error. */
export function serveThreadTasks(port: import('node:worker_threads').MessagePort, handle: (message: Record<string, unknown>) => unknown | Promise<unknown>, transferOf?: (value: unknown) => TransferListItem[]): void {
  const answer = async (message: Record<string, unknown> & { id: number }) => {
    try {
      const value = await handle(message);
      port.postMessage({ id: message.id, ok: true, value } satisfies ThreadReply, transferOf?.(value) ?? []);
    } catch (error) {
      const e = error as Error & { code?: string };
      port.postMessage({ id: message.id, ok: false, name: e.name ?? 'Error', message: e.message ?? String(error), ...(typeof e.code === 'string' ? { code: e.code } : {}) } satisfies ThreadReply);
    }
  };
  port.on('message', (message: Record<string, unknown> & { id: number }) => void answer(message));
}
