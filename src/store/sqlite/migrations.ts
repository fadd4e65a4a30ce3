import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type Database from 'better-sqlite3';

const MIGRATIONS_ROOT = fileURLToPath(new URL('../migrations/sqlite/', import.meta.url));

/**
 * Applies `NNN_name.sql` files from each named folder in order, once each, recording them in
 * `schema_migrations`. Folders are per capability (core, features, jobs, imagery) so that work on
 * one capability never renumbers another's.
 */
export function runMigrations(db: Database.Database, folders: string[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as Array<{ id: string }>).map((row) => row.id),
  );
  const done: string[] = [];
  for (const folder of folders) {
    const dir = path.join(MIGRATIONS_ROOT, folder);
    const files = readdirSync(dir).filter((name) => /^\d+_.+\.sql$/.test(name)).sort();
    for (const file of files) {
      const id = `${folder}/${file}`;
      if (applied.has(id)) continue;
      const sql = readFileSync(path.join(dir, file), 'utf8');
      db.transaction(() => {
        db.exec(sql);
        db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(id, Date.now());
      }).immediate();
      done.push(id);
    }
  }
  return done;
}
