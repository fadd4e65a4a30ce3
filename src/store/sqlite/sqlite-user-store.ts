import type { UserRecord, UserStore } from '../user-store.js';
import type { SqliteDatabase } from './database.js';
import { updateColumns } from './update-columns.js';

interface UserRow {
  username: string;
  full_name: string;
  email: string;
  role: UserRecord['role'];
  password_hash: string;
  token_version: number;
  created: number;
  modified: number;
}

function toRecord(row: UserRow): UserRecord {
  return {
    username: row.username,
    fullName: row.full_name,
    email: row.email,
    role: row.role,
    passwordHash: row.password_hash,
    tokenVersion: row.token_version,
    created: row.created,
    modified: row.modified,
  };
}

export class SqliteUserStore implements UserStore {
  constructor(private readonly db: SqliteDatabase) {}

  async get(username: string): Promise<UserRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row && toRecord(row);
  }

  async list(): Promise<UserRecord[]> {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toRecord);
  }

  async create(user: Omit<UserRecord, 'created' | 'modified' | 'tokenVersion'>): Promise<UserRecord> {
    const now = Date.now();
    this.db
      .prepare(
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
    this.db.prepare(`UPDATE users SET ${update.set}, modified = ? WHERE username = ?`).run(...update.values, Date.now(), username);
  }

  async bumpTokenVersion(username: string): Promise<void> {
    this.db.prepare('UPDATE users SET token_version = token_version + 1 WHERE username = ?').run(username);
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }
}
