import type { SettingsStore } from '../settings-store.js';
import type { SqliteDatabase } from './database.js';

export class SqliteSettingsStore implements SettingsStore {
  constructor(private readonly db: SqliteDatabase) {}

  async get(key: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
