import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

/**
 * Prepared statements by SQL text, so a hot path (the user lookup behind every token, service
 * lookups) does not re-parse its SQL on each call. Bounded: dynamic SQL (item searches) evicts
 * the least recently used.
 */
export function statementCache(db: SqliteDatabase, limit = 200): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql);
    } else {
      statement = db.prepare(sql);
      if (cache.size >= limit) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  };
}
