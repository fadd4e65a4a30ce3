import type pg from 'pg';
import { toUserRecord, type UserRow } from '../rows/user-row.js';
import { numberPlaceholders } from '../rows/item-query.js';
import { updateColumns } from '../rows/update-columns.js';
import type { UserRecord, UserStore } from '../user-store.js';

export class PgUserStore implements UserStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(username: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE lower(username) = lower($1)', [username]);
    return rows[0] && toUserRecord(rows[0]);
  }

  async list(): Promise<UserRecord[]> {
    return (await this.pool.query<UserRow>('SELECT * FROM users ORDER BY username')).rows.map(toUserRecord);
  }

  async create(user: Omit<UserRecord, 'created' | 'modified' | 'tokenVersion'>): Promise<UserRecord> {
    const now = Date.now();
    await this.pool.query(
      `INSERT INTO users (username, full_name, email, role, password_hash, token_version, created, modified)
       VALUES ($1, $2, $3, $4, $5, 0, $6, $7)`,
      [user.username, user.fullName, user.email, user.role, user.passwordHash, now, now],
    );
    return { ...user, tokenVersion: 0, created: now, modified: now };
  }

  async update(username: string, patch: Partial<Pick<UserRecord, 'fullName' | 'email' | 'role' | 'passwordHash'>>): Promise<void> {
    const update = updateColumns({ full_name: patch.fullName, email: patch.email, role: patch.role, password_hash: patch.passwordHash });
    if (!update) return;
    const sql = numberPlaceholders(`UPDATE users SET ${update.set}, modified = ? WHERE lower(username) = lower(?)`);
    await this.pool.query(sql, [...update.values, Date.now(), username]);
  }

  async bumpTokenVersion(username: string): Promise<void> {
    await this.pool.query('UPDATE users SET token_version = token_version + 1 WHERE lower(username) = lower($1)', [username]);
  }

  async delete(username: string): Promise<void> {
    await this.pool.query('DELETE FROM users WHERE lower(username) = lower($1)', [username]);
  }

  async count(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]!.n);
  }
}
