import type {
  JobFilter,
  JobInputs,
  JobMessage,
  JobProgress,
  JobQueue,
  JobRecord,
  JobResultsInput,
  JobState,
  NewJob,
} from '../job-queue.js';
import { FINISHED_STATES, QUEUED_STATES } from '../job-queue.js';
import type { Statement } from 'better-sqlite3';
import { inTransaction, type SqliteDatabase } from './database.js';
import { jobFilterSql, resultsColumn, toJobRecord, type JobRow } from '../rows/job-row.js';

const whereOf = (filter: JobFilter) => jobFilterSql(filter, { never: '0', ownerIs: 'owner = ? COLLATE NOCASE' });

/** `state IN (?, ?)` with its values; states come from code. */
function inStates(states: readonly JobState[]): { sql: string; values: JobState[] } {
  return { sql: `state IN (${states.map(() => '?').join(', ')})`, values: [...states] };
}

/** The embedded job queue: one table of jobs, claimed with a single UPDATE … RETURNING. */
export class SqliteJobQueue implements JobQueue {
  /** Prepared statements by SQL text: the hot paths (claim, heartbeat, get) run thousands of times. */
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {}

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private getRow(id: string): JobRow | undefined {
    return this.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  }

  async submit(job: NewJob): Promise<JobRecord> {
    return inTransaction(this.db, () => {
      const row = this.prepare(
          `INSERT INTO jobs (id, service, task, owner, state, base_url, submitted)
           VALUES (?, ?, ?, ?, 'submitted', ?, ?) RETURNING *`,
        )
        .get(job.id, job.service, job.task, job.owner, job.baseUrl, Date.now()) as JobRow;
      this.prepare('INSERT INTO job_inputs (job_id, inputs) VALUES (?, ?)').run(job.id, JSON.stringify(job.inputs));
      return toJobRecord(row);
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = this.getRow(id);
    return row && toJobRecord(row);
  }

  async inputs(id: string): Promise<JobInputs | undefined> {
    const text = this.prepare('SELECT inputs FROM job_inputs WHERE job_id = ?').pluck().get(id) as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as JobInputs);
  }

  async messages(id: string): Promise<JobMessage[]> {
    return this.prepare('SELECT type, description, time FROM job_messages WHERE job_id = ? ORDER BY seq')
      .all(id) as JobMessage[];
  }

  async list(filter: JobFilter, page: { offset: number; limit: number }): Promise<{ total: number; jobs: JobRecord[] }> {
    const where = whereOf(filter);
    const total = (this.prepare(`SELECT count(*) AS n FROM jobs ${where.sql}`).get(...where.values) as { n: number }).n;
    const rows = this.prepare(`SELECT * FROM jobs ${where.sql} ORDER BY submitted, rowid LIMIT ? OFFSET ?`)
      .all(...where.values, page.limit, page.offset) as JobRow[];
    return { total, jobs: rows.map(toJobRecord) };
  }

  async countByState(filter: JobFilter): Promise<Partial<Record<JobState, number>>> {
    const where = whereOf(filter);
    const rows = this.prepare(`SELECT state, count(*) AS n FROM jobs ${where.sql} GROUP BY state`)
      .all(...where.values) as Array<{ state: JobState; n: number }>;
    return Object.fromEntries(rows.map((row) => [row.state, row.n]));
  }

  async claimNext(claim: { machine: string; workerPid?: number }): Promise<JobRecord | undefined> {
    const now = Date.now();
    // Oldest first; rowid breaks ties between jobs submitted in the same millisecond.
    const row = this.prepare(
      `UPDATE jobs SET state = 'executing', machine = ?, worker_pid = ?, started = ?, heartbeat = ?,
              attempts = attempts + 1, progress = NULL
       WHERE rowid = (SELECT rowid FROM jobs WHERE state IN ('submitted', 'waiting') ORDER BY submitted, rowid LIMIT 1)
       RETURNING *`,
    ).get(claim.machine, claim.workerPid ?? null, now, now) as JobRow | undefined;
    return row && toJobRecord(row);
  }

  async assignWorker(id: string, workerPid: number): Promise<void> {
    this.prepare('UPDATE jobs SET worker_pid = ? WHERE id = ?').run(workerPid, id);
  }

  async markWaiting(): Promise<number> {
    return this.prepare("UPDATE jobs SET state = 'waiting' WHERE state = 'submitted'").run().changes;
  }

  async heartbeat(id: string): Promise<JobState | undefined> {
    const row = this.prepare('UPDATE jobs SET heartbeat = ? WHERE id = ? RETURNING state').get(Date.now(), id) as
      | { state: JobState }
      | undefined;
    return row?.state;
  }

  async setProgress(id: string, progress: JobProgress | null): Promise<void> {
    this.prepare('UPDATE jobs SET progress = ? WHERE id = ?').run(progress && JSON.stringify(progress), id);
  }

  async addMessages(id: string, messages: JobMessage[]): Promise<void> {
    if (messages.length > 0) inTransaction(this.db, () => this.insertMessages(id, messages));
  }

  async complete(id: string, results: JobResultsInput, messages: JobMessage[] = []): Promise<boolean> {
    return this.transition(id, ['executing'], 'succeeded', messages, resultsColumn(results));
  }

  async fail(id: string, state: 'failed' | 'timed-out', messages: JobMessage[] = []): Promise<boolean> {
    return this.transition(id, ['executing', 'cancelling'], state, messages);
  }

  async requestCancel(id: string): Promise<{ before: JobState; after: JobState } | undefined> {
    return inTransaction(this.db, () => {
      const row = this.getRow(id);
      if (!row) return undefined;
      const before = row.state;
      if (QUEUED_STATES.includes(before)) {
        this.prepare("UPDATE jobs SET state = 'cancelled', ended = ? WHERE id = ?").run(Date.now(), id);
        return { before, after: 'cancelled' };
      }
      if (before === 'executing') {
        this.prepare("UPDATE jobs SET state = 'cancelling' WHERE id = ?").run(id);
        return { before, after: 'cancelling' };
      }
      return { before, after: before };
    });
  }

  async finishCancel(id: string, messages: JobMessage[] = []): Promise<boolean> {
    return this.transition(id, ['cancelling'], 'cancelled', messages);
  }

  async markDeleting(id: string): Promise<JobState | undefined> {
    return inTransaction(this.db, () => {
      const row = this.getRow(id);
      if (!row) return undefined;
      this.prepare("UPDATE jobs SET state = 'deleting' WHERE id = ?").run(id);
      return row.state;
    });
  }

  async requeue(id: string, messages: JobMessage[] = []): Promise<boolean> {
    return inTransaction(this.db, () => {
      const result = this.prepare(
          `UPDATE jobs SET state = 'submitted', machine = NULL, worker_pid = NULL, started = NULL, heartbeat = NULL,
                  progress = NULL WHERE id = ? AND state = 'executing'`,
        )
        .run(id);
      if (result.changes > 0) this.insertMessages(id, messages);
      return result.changes > 0;
    });
  }

  async remove(id: string): Promise<boolean> {
    return this.prepare('DELETE FROM jobs WHERE id = ?').run(id).changes > 0;
  }

  async cancelQueued(filter: JobFilter): Promise<string[]> {
    const where = whereOf({ ...filter, states: QUEUED_STATES });
    const rows = this.prepare(`UPDATE jobs SET state = 'cancelled', ended = ? ${where.sql} RETURNING id`)
      .all(Date.now(), ...where.values) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  async findStale(heartbeatBefore: number): Promise<JobRecord[]> {
    const rows = this.prepare(
        `SELECT * FROM jobs WHERE state IN ('executing', 'cancelling', 'deleting')
           AND (heartbeat IS NULL OR heartbeat < ?) ORDER BY submitted, rowid`,
      )
      .all(heartbeatBefore) as JobRow[];
    return rows.map(toJobRecord);
  }

  async findExpired(endedBefore: number, limit: number): Promise<string[]> {
    const states = inStates(FINISHED_STATES);
    const rows = this.prepare(`SELECT id FROM jobs WHERE ended < ? AND ${states.sql} ORDER BY ended, rowid LIMIT ?`).all(
      endedBefore,
      ...states.values,
      limit,
    ) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  private transition(
    id: string,
    from: readonly JobState[],
    to: JobState,
    messages: JobMessage[],
    results: string | null = null,
  ): boolean {
    const states = inStates(from);
    return inTransaction(this.db, () => {
      const result = this.prepare(
          `UPDATE jobs SET state = ?, ended = ?, progress = NULL, results = coalesce(?, results)
           WHERE id = ? AND ${states.sql}`,
        )
        .run(to, Date.now(), results, id, ...states.values);
      if (result.changes > 0) this.insertMessages(id, messages);
      return result.changes > 0;
    });
  }

  /** Messages of a job that still exists (a worker may report after a delete). */
  private insertMessages(id: string, messages: JobMessage[]): void {
    const insert = this.prepare(
      'INSERT INTO job_messages (job_id, type, description, time) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM jobs WHERE id = ?)',
    );
    for (const m of messages) insert.run(id, m.type, m.description, m.time, id);
  }
}
