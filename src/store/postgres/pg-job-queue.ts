import type pg from 'pg';
import type { JobEvent, JobFilter, JobInputs, JobMessage, JobProgress, JobQueue, JobRecord, JobResultsInput, JobState, NewJob } from '../job-queue.js';
import { FINISHED_STATES, QUEUED_STATES } from '../job-queue.js';
import { numberPlaceholders } from '../rows/item-query.js';
import { inPgTransaction } from './database.js';
import type { JobDispatch } from './pg-job-dispatch.js';
import { jobFilterSql, resultsColumn, toJobRecord, type JobRow } from '../rows/job-row.js';

/** `?` placeholders (numbered by numberPlaceholders), as in the SQLite queue. */
const whereOf = (filter: JobFilter) => jobFilterSql(filter, { never: 'false', ownerIs: 'lower(owner) = lower(?)' });

/**
 * A stale job handed to one recovering node is leased for this long (its heartbeat is pushed
 * ahead), so two nodes sweeping at once never roll back the same job.
 */
const RECOVERY_LEASE_MS = 10 * 60_000;

/**
 * The cluster job queue: job records in PostgreSQL (one pool, never concurrent queries on one
 * client), dispatch through pg-boss, and NOTIFY on the installation's channel so every
 * node hears of submits, cancels and deletes at once (the heartbeat catches what a lost
 * notification missed).
 */
export class PgJobQueue implements JobQueue {
  readonly shared = true;

  constructor(
    private readonly pool: pg.Pool,
    private readonly dispatch: JobDispatch,
  ) {}

  private async one(sql: string, values: unknown[] = [], client: pg.Pool | pg.PoolClient = this.pool): Promise<JobRow | undefined> {
    return (await client.query<JobRow>(numberPlaceholders(sql), values)).rows[0];
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inPgTransaction(this.pool, work);
  }

  private notify(client: pg.PoolClient, event: JobEvent): Promise<unknown> {
    // Delivered on commit, so listeners never see a state the database does not have yet.
    return client.query('SELECT pg_notify($1, $2)', [this.dispatch.channel, JSON.stringify(event)]);
  }

  async submit(job: NewJob): Promise<JobRecord> {
    return this.transaction(async (client) => {
      const row = await this.one(
        `INSERT INTO jobs (id, service, task, owner, state, base_url, submitted)
         VALUES (?, ?, ?, ?, 'submitted', ?, ?) RETURNING *`,
        [job.id, job.service, job.task, job.owner, job.baseUrl, Date.now()],
        client,
      );
      await client.query('INSERT INTO job_inputs (job_id, inputs) VALUES ($1, $2)', [job.id, JSON.stringify(job.inputs)]);
      // Same transaction: a job is never in our table without its pg-boss message, nor the reverse.
      await this.dispatch.send(job.id, client);
      await this.notify(client, { type: 'submitted', id: job.id });
      return toJobRecord(row!);
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = await this.one('SELECT * FROM jobs WHERE id = ?', [id]);
    return row && toJobRecord(row);
  }

  async inputs(id: string): Promise<JobInputs | undefined> {
    const { rows } = await this.pool.query<{ inputs: string }>('SELECT inputs FROM job_inputs WHERE job_id = $1', [id]);
    return rows[0] && (JSON.parse(rows[0].inputs) as JobInputs);
  }

  async messages(id: string): Promise<JobMessage[]> {
    const { rows } = await this.pool.query<JobMessage>('SELECT type, description, time FROM job_messages WHERE job_id = $1 ORDER BY seq', [id]);
    return rows;
  }

  async list(filter: JobFilter, page: { offset: number; limit: number }): Promise<{ total: number; jobs: JobRecord[] }> {
    const where = whereOf(filter);
    const count = await this.pool.query<{ n: number }>(numberPlaceholders(`SELECT count(*)::int AS n FROM jobs ${where.sql}`), where.values);
    const { rows } = await this.pool.query<JobRow>(
      numberPlaceholders(`SELECT * FROM jobs ${where.sql} ORDER BY submitted, seq LIMIT ? OFFSET ?`),
      [...where.values, page.limit, page.offset],
    );
    return { total: count.rows[0]!.n, jobs: rows.map(toJobRecord) };
  }

  async countByState(filter: JobFilter): Promise<Partial<Record<JobState, number>>> {
    const where = whereOf(filter);
    const { rows } = await this.pool.query<{ state: JobState; n: number }>(
      numberPlaceholders(`SELECT state, count(*)::int AS n FROM jobs ${where.sql} GROUP BY state`),
      where.values,
    );
    return Object.fromEntries(rows.map((row) => [row.state, row.n]));
  }

  /**
   * The next pg-boss message whose job is still queued → executing. Messages of jobs cancelled
   * or deleted meanwhile are completed and skipped.
   */
  async claimNext(claim: { machine: string; workerPid?: number }): Promise<JobRecord | undefined> {
    for (;;) {
      const message = await this.dispatch.fetch();
      if (!message) return undefined;
      const now = Date.now();
      const row = await this.one(
        `UPDATE jobs SET state = 'executing', machine = ?, worker_pid = ?, started = ?, heartbeat = ?,
                attempts = attempts + 1, progress = NULL
         WHERE id = ? AND state IN ('submitted', 'waiting') RETURNING *`,
        [claim.machine, claim.workerPid ?? null, now, now, message.jobId],
      );
      // Our row now says who runs it (and the heartbeat watches it): the message has done its part.
      await this.dispatch.complete(message.messageId);
      if (row) return toJobRecord(row);
    }
  }

  async assignWorker(id: string, workerPid: number): Promise<void> {
    await this.pool.query('UPDATE jobs SET worker_pid = $1 WHERE id = $2', [workerPid, id]);
  }

  async markWaiting(): Promise<number> {
    return (await this.pool.query("UPDATE jobs SET state = 'waiting' WHERE state = 'submitted'")).rowCount ?? 0;
  }

  async heartbeat(id: string): Promise<JobState | undefined> {
    return (await this.one('UPDATE jobs SET heartbeat = ? WHERE id = ? RETURNING state', [Date.now(), id]))?.state;
  }

  async setProgress(id: string, progress: JobProgress | null): Promise<void> {
    await this.pool.query('UPDATE jobs SET progress = $1 WHERE id = $2', [progress && JSON.stringify(progress), id]);
  }

  async addMessages(id: string, messages: JobMessage[]): Promise<void> {
    if (messages.length > 0) await this.insertMessages(this.pool, id, messages);
  }

  complete(id: string, results: JobResultsInput, messages: JobMessage[] = []): Promise<boolean> {
    return this.transition(id, ['executing'], 'succeeded', messages, resultsColumn(results));
  }

  fail(id: string, state: 'failed' | 'timed-out', messages: JobMessage[] = []): Promise<boolean> {
    return this.transition(id, ['executing', 'cancelling'], state, messages);
  }

  async requestCancel(id: string): Promise<{ before: JobState; after: JobState } | undefined> {
    return this.transaction(async (client) => {
      const row = await this.one('SELECT state FROM jobs WHERE id = ? FOR UPDATE', [id], client);
      if (!row) return undefined;
      const before = row.state;
      if (QUEUED_STATES.includes(before)) {
        await client.query("UPDATE jobs SET state = 'cancelled', ended = $1 WHERE id = $2", [Date.now(), id]);
        return { before, after: 'cancelled' as const };
      }
      if (before === 'executing') {
        await client.query("UPDATE jobs SET state = 'cancelling' WHERE id = $1", [id]);
        await this.notify(client, { type: 'stop', id, reason: 'cancelled' });
        return { before, after: 'cancelling' as const };
      }
      return { before, after: before };
    });
  }

  finishCancel(id: string, messages: JobMessage[] = []): Promise<boolean> {
    return this.transition(id, ['cancelling'], 'cancelled', messages);
  }

  async markDeleting(id: string): Promise<JobState | undefined> {
    return this.transaction(async (client) => {
      const row = await this.one('SELECT state FROM jobs WHERE id = ? FOR UPDATE', [id], client);
      if (!row) return undefined;
      await client.query("UPDATE jobs SET state = 'deleting' WHERE id = $1", [id]);
      await this.notify(client, { type: 'stop', id, reason: 'deleted' });
      return row.state;
    });
  }

  async requeue(id: string, messages: JobMessage[] = []): Promise<boolean> {
    return this.transaction(async (client) => {
      const result = await client.query(
        `UPDATE jobs SET state = 'submitted', machine = NULL, worker_pid = NULL, started = NULL, heartbeat = NULL,
                progress = NULL WHERE id = $1 AND state = 'executing'`,
        [id],
      );
      if (!result.rowCount) return false;
      await this.insertMessages(client, id, messages);
      await this.dispatch.send(id, client);
      await this.notify(client, { type: 'submitted', id });
      return true;
    });
  }

  async remove(id: string): Promise<boolean> {
    // Journal lines are kept by job id without a foreign key (a worker may still append one).
    await this.pool.query('DELETE FROM job_journal WHERE job_id = $1', [id]);
    return ((await this.pool.query('DELETE FROM jobs WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async cancelQueued(filter: JobFilter): Promise<string[]> {
    const where = whereOf({ ...filter, states: QUEUED_STATES });
    const { rows } = await this.pool.query<{ id: string }>(
      numberPlaceholders(`UPDATE jobs SET state = 'cancelled', ended = ? ${where.sql} RETURNING id`),
      [Date.now(), ...where.values],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Stale jobs, each leased to the caller (heartbeat pushed ahead) so that only one node
   * recovers it; rows locked by another node's sweep are skipped.
   */
  async findStale(heartbeatBefore: number): Promise<JobRecord[]> {
    const { rows } = await this.pool.query<JobRow>(
      `UPDATE jobs SET heartbeat = $2 WHERE id IN (
         SELECT id FROM jobs WHERE state IN ('executing', 'cancelling', 'deleting')
            AND (heartbeat IS NULL OR heartbeat < $1) FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [heartbeatBefore, Date.now() + RECOVERY_LEASE_MS],
    );
    return rows.map(toJobRecord).sort((a, b) => a.submitted - b.submitted);
  }

  async findExpired(endedBefore: number, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM jobs WHERE ended < $1 AND state = ANY($2) ORDER BY ended, seq LIMIT $3`,
      [endedBefore, FINISHED_STATES, limit],
    );
    return rows.map((row) => row.id);
  }

  watch(listener: (event: JobEvent) => void): () => void {
    return this.dispatch.listen(listener);
  }

  private async transition(id: string, from: readonly JobState[], to: JobState, messages: JobMessage[], results: string | null = null): Promise<boolean> {
    return this.transaction(async (client) => {
      const result = await client.query(
        `UPDATE jobs SET state = $1, ended = $2, progress = NULL, results = coalesce($3, results)
         WHERE id = $4 AND state = ANY($5)`,
        [to, Date.now(), results, id, from],
      );
      if (!result.rowCount) return false;
      await this.insertMessages(client, id, messages);
      return true;
    });
  }

  /** Messages of a job that still exists (a worker may report after a delete). */
  private async insertMessages(client: pg.Pool | pg.PoolClient, id: string, messages: JobMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await client.query(
      `INSERT INTO job_messages (job_id, type, description, time)
       SELECT $1, m.type, m.description, m.time FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS m(type, description, time, n)
       WHERE EXISTS (SELECT 1 FROM jobs WHERE id = $1) ORDER BY m.n`,
      [id, messages.map((m) => m.type), messages.map((m) => m.description), messages.map((m) => m.time)],
    );
  }
}
