import { toUserRecord, type UserRow } from '../rows/user-row.js';
import type { UserRecord, UserStore } from '../user-store.js';
import type { SqliteDatabase } from './database.js';
import { statementCache } from './statement-cache.js';
import { updateColumns } from '../rows/update-columns.js';

export class SqliteUserStore implements UserStore {
  private readonly prepare: ReturnType<typeof statementCache>;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  async get(username: string): Promise<UserRecord | undefined> {
    const row = this.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row && toUserRecord(row);
  }

  async list(): Promise<UserRecord[]> {
    return (this.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUserRecord);
  }

  async create(user: Omit<UserRecord, 'created' | 'modified' | 'tokenVersion'>): Promise<UserRecord> {
    const now = Date.now();
    this.prepare(
        `INSERT INTO users (username, full_name, email, role, password_hash, token_version, created, modified)
         VALUES (?, ?, ?, ?, ?, 0, ?, ?)`,
      )
      .run(user.username, user.fullName, user.email, user.role, user.passwordHash, now, now);
    return { ...user, tokenVersion: 0, created: now, modified: now };
  }

  async update(username: string, patch: Partial<Pick<UserRecord, 'fullName' | 'email' | 'role' | 'passwordHash'>>): Promise<void> {
    const columns: Record<string, unknown> = {
      full_name: patch.fullName,
      email: patch.email,
      role: patch.role,
      password_hash: patch.passwordHash,
    };
    const update = updateColumns(columns);
    if (!update) return;
    this.prepare(`UPDATE users SET ${update.set}, modified = ? WHERE username = ?`).run(...update.values, Date.now(), username);
  }

  async bumpTokenVersion(username: string): Promise<void> {
    this.prepare('UPDATE users SET token_version = token_version + 1 WHERE username = ?').run(username);
  }

  async delete(username: string): Promise<void> {
    this.prepare('DELETE FROM users WHERE username = ?').run(username);
  }

  async count(): Promise<number> {
    return (this.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }
}
