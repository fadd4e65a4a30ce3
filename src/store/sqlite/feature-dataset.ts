import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

const MAX_CACHED_STATEMENTS = 400;
/** Numbers each opened handle, so a reopened file's restarted change counts never repeat a version. */
let openedHandles = 0;

/**
 * One open feature dataset (a SpatiaLite file) with its prepared statements cached by SQL text,
 * so the statements of a layer's usual queries and edits are compiled once. Statements that
 * return rows as arrays (`raw`) are cached apart because better-sqlite3 sets the mode per statement.
 */
export class FeatureDataset {
  private readonly statements = new Map<string, Statement>();
  private readonly rawStatements = new Map<string, Statement>();

  private readonly generation = ++openedHandles;
  private versionStatement: Statement | undefined;

  constructor(readonly db: SqliteDatabase) {}

  /**
   * Changes whenever the file's rows may have: this connection's change count (our own writes)
   * and SQLite's data_version (commits by other connections and processes). One cached step.
   */
  version(): string {
    this.versionStatement ??= this.db.prepare('SELECT total_changes(), data_version FROM pragma_data_version()').raw(true);
    const [changes, dataVersion] = this.versionStatement.get() as [number, number];
    return `${this.generation}.${changes}.${dataVersion}`;
  }

  prepare(sql: string): Statement {
    return this.cached(this.statements, sql, (statement) => statement);
  }

  /** A statement returning rows as arrays (`[col1, col2, …]`), the cheapest form to read. */
  prepareRaw(sql: string): Statement {
    return this.cached(this.rawStatements, sql, (statement) => statement.raw(true));
  }

  /** Forgets compiled statements; needed after the schema of a table changed. */
  clearStatements(): void {
    this.statements.clear();
    this.rawStatements.clear();
  }

  close(): void {
    this.clearStatements();
    this.versionStatement = undefined;
    this.db.close();
  }

  private cached(cache: Map<string, Statement>, sql: string, configure: (s: Statement) => Statement): Statement {
    const hit = cache.get(sql);
    if (hit) {
      // Re-insert to keep the map in least-recently-used order.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const statement = configure(this.db.prepare(sql));
    cache.set(sql, statement);
    if (cache.size > MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
    return statement;
  }
}
