import type { SettingsStore } from '../settings-store.js';
import type { SqliteDatabase } from './database.js';
import { statementCache } from './statement-cache.js';

export class SqliteSettingsStore implements SettingsStore {
  private readonly prepare: ReturnType<typeof statementCache>;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  async get(key: string): Promise<string | undefined> {
    const row = this.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
