import pg from 'pg';
import PgBoss from 'pg-boss';
import type { JobEvent } from '../job-queue.js';

const QUEUE = 'tessera-jobs';
const RECONNECT_MS = 1_000;

/**
 * Dispatch for the cluster job queue: a pg-boss queue (one message per job to start, fetched
 * by whichever node has a free worker) and a LISTEN connection for job events. Tessera's own
 * tables stay the record of each job; a message only says "look at this job".
 */
export class JobDispatch {
  private listeners = new Set<(event: JobEvent) => void>();
  private listener: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly url: string,
    /** NOTIFY channels are database-wide: one per schema keeps installations apart. */
    readonly channel: string,
  ) {}

  /** Starts pg-boss (its schema `<schema>_boss`, migrated under its own advisory lock). */
  static async open(url: string, schema: string, onError: (err: Error) => void): Promise<JobDispatch> {
    const boss = new PgBoss({ connectionString: url, schema: `${schema}_boss`, max: 3, supervise: true, schedule: false });
    boss.on('error', onError);
    await boss.start();
    await boss.createQueue(QUEUE).catch((err: unknown) => {
      // Two nodes starting together may both try; the queue existing is what matters.
      if (!/already exists|duplicate/i.test(String(err))) throw err;
    });
    return new JobDispatch(boss, url, `tessera_jobs_${schema}`);
  }

  /** Queues a message for a job, inside the caller's transaction. */
  async send(jobId: string, client: pg.PoolClient): Promise<void> {
    const db = { executeSql: (text: string, values?: unknown[]) => client.query(text, values) };
    await this.boss.send(QUEUE, { jobId }, { db });
  }

  /** The oldest message not yet taken by any node, or undefined. */
  async fetch(): Promise<{ messageId: string; jobId: string } | undefined> {
    const jobs = await this.boss.fetch<{ jobId: string }>(QUEUE, { batchSize: 1 });
    const job = jobs?.[0];
    return job && { messageId: job.id, jobId: job.data.jobId };
  }

  async complete(messageId: string): Promise<void> {
    await this.boss.complete(QUEUE, messageId);
  }

  /** Calls the listener for every job event on this installation until the returned function runs. */
  listen(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.listener && !this.reconnectTimer) void this.connectListener();
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.listener?.end().catch(() => undefined);
    await this.boss.stop({ graceful: false, wait: true });
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    const retry = () => {
      if (this.listener === client) this.listener = undefined;
      if (this.closed || this.reconnectTimer) return;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = undefined;
        void this.connectListener();
      }, RECONNECT_MS);
      this.reconnectTimer.unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      const event = JSON.parse(message.payload) as JobEvent;
      for (const listener of this.listeners) listener(event);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.listener = client;
      if (this.closed) await client.end();
    } catch {
      await client.end().catch(() => undefined);
      retry();
    }
  }
}
