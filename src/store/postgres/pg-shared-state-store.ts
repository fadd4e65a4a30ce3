import type pg from 'pg';
import type { LoginFailureStore, PublishJobRecord, PublishJobStore } from '../shared-state-store.js';

export class PgLoginFailureStore implements LoginFailureStore {
  constructor(private readonly pool: pg.Pool) {}

  async blockedUntil(keys: string[]): Promise<number> {
    const { rows } = await this.pool.query<{ until: number | null }>('SELECT max(blocked_until) AS until FROM login_failures WHERE key = ANY($1)', [keys]);
    return Number(rows[0]?.until ?? 0);
  }

  async countFailure(key: string, now: number, resetBefore: number): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>(
      `INSERT INTO login_failures (key, count, blocked_until, last) VALUES ($1, 1, 0, $2)
       ON CONFLICT (key) DO UPDATE SET count = CASE WHEN login_failures.last < $3 THEN 1 ELSE login_failures.count + 1 END, last = excluded.last
       RETURNING count`,
      [key, now, resetBefore],
    );
    return rows[0]!.count;
  }

  async block(key: string, until: number): Promise<void> {
    await this.pool.query('UPDATE login_failures SET blocked_until = greatest(blocked_until, $1) WHERE key = $2', [until, key]);
  }

  async clear(keys: string[]): Promise<void> {
    await this.pool.query('DELETE FROM login_failures WHERE key = ANY($1)', [keys]);
  }

  async prune(before: number): Promise<void> {
    await this.pool.query('DELETE FROM login_failures WHERE last < $1', [before]);
  }
}

export class PgPublishJobStore implements PublishJobStore {
  constructor(private readonly pool: pg.Pool) {}

  async set(jobId: string, record: PublishJobRecord, now: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO publish_jobs (id, item_id, status, message, updated) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET item_id = excluded.item_id, status = excluded.status, message = excluded.message, updated = excluded.updated`,
      [jobId, record.itemId, record.status, record.statusMessage, now],
    );
  }

  async get(jobId: string): Promise<PublishJobRecord | undefined> {
    const { rows } = await this.pool.query<{ item_id: string; status: PublishJobRecord['status']; message: string }>('SELECT item_id, status, message FROM publish_jobs WHERE id = $1', [jobId]);
    const row = rows[0];
    return row && { status: row.status, statusMessage: row.message, itemId: row.item_id };
  }

  async prune(before: number): Promise<void> {
    await this.pool.query('DELETE FROM publish_jobs WHERE updated < $1', [before]);
  }
}
