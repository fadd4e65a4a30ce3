import type { LoginFailureStore, PublishJobRecord, PublishJobStore } from '../shared-state-store.js';
import type { SqliteDatabase } from './database.js';
import { statementCache } from './statement-cache.js';

export class SqliteLoginFailureStore implements LoginFailureStore {
  private readonly prepare: ReturnType<typeof statementCache>;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  async blockedUntil(keys: string[]): Promise<number> {
    const row = this.prepare('SELECT max(blocked_until) AS until FROM login_failures WHERE key IN (SELECT value FROM json_each(?))').get(JSON.stringify(keys)) as { until: number | null };
    return row.until ?? 0;
  }

  async countFailure(key: string, now: number, resetBefore: number): Promise<number> {
    const row = this.prepare(
      `INSERT INTO login_failures (key, count, blocked_until, last) VALUES (?, 1, 0, ?)
       ON CONFLICT (key) DO UPDATE SET count = CASE WHEN last < ? THEN 1 ELSE count + 1 END, last = excluded.last
       RETURNING count`,
    ).get(key, now, resetBefore) as { count: number };
    return row.count;
  }

  async block(key: string, until: number): Promise<void> {
    this.prepare('UPDATE login_failures SET blocked_until = max(blocked_until, ?) WHERE key = ?').run(until, key);
  }

  async clear(keys: string[]): Promise<void> {
    this.prepare('DELETE FROM login_failures WHERE key IN (SELECT value FROM json_each(?))').run(JSON.stringify(keys));
  }

  async prune(before: number): Promise<void> {
    this.prepare('DELETE FROM login_failures WHERE last < ?').run(before);
  }
}

export class SqlitePublishJobStore implements PublishJobStore {
  private readonly prepare: ReturnType<typeof statementCache>;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  async set(jobId: string, record: PublishJobRecord, now: number): Promise<void> {
    this.prepare(
      `INSERT INTO publish_jobs (id, item_id, status, message, updated) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET item_id = excluded.item_id, status = excluded.status, message = excluded.message, updated = excluded.updated`,
    ).run(jobId, record.itemId, record.status, record.statusMessage, now);
  }

  async get(jobId: string): Promise<PublishJobRecord | undefined> {
    const row = this.prepare('SELECT item_id, status, message FROM publish_jobs WHERE id = ?').get(jobId) as { item_id: string; status: PublishJobRecord['status']; message: string } | undefined;
    return row && { status: row.status, statusMessage: row.message, itemId: row.item_id };
  }

  async prune(before: number): Promise<void> {
    this.prepare('DELETE FROM publish_jobs WHERE updated < ?').run(before);
  }
}
