import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const MIGRATIONS_ROOT = fileURLToPath(new URL('../migrations/postgres/', import.meta.url));

// BIGINT columns hold epoch milliseconds, well inside Number's exact range.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/**
 * A pool whose connections all use one schema (`search_path`), so several Tessera instances or
 * test runs can share a database without seeing each other.
 */
export async function openPostgres(url: string, schema: string, max = 10): Promise<pg.Pool> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid PostgreSQL schema name '${schema}'.`);
  // The schema is a startup parameter of every connection: no SET racing the first query (pg
  // deprecates queries issued while another runs on the same client).
  // allowExitOnIdle: an idle pool never holds a process (a job worker, the CLI) open on its own.
  const pool = new pg.Pool({ connectionString: url, max, options: `-c search_path=${schema},public`, allowExitOnIdle: true });
  // Nodes starting together may race to create it: losing that race is fine.
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error: { code?: string }) => {
    if (error.code !== '23505' && error.code !== '42P06') throw error;
  });
  return pool;
}

/** Key of the advisory lock every node takes around migrations (any fixed 64-bit number). */
const MIGRATION_LOCK = 7_457_261_101;

/**
 * Applies `NNN_name.sql` files per capability folder once each, as the SQLite runner does. Nodes
 * starting together queue on a database-wide advisory lock, so each file runs once and the
 * PostGIS extension is created once, and the later nodes find everything applied.
 */
export async function runPostgresMigrations(pool: pg.Pool, schema: string, folders: string[]): Promise<string[]> {
  const client = await pool.connect();
  const done: string[] = [];
  try {
    await client.query(`SET search_path TO ${schema}, public`);
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const applied = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
    for (const folder of folders) {
      const dir = path.join(MIGRATIONS_ROOT, folder);
      for (const file of readdirSync(dir).filter((name) => /^\d+_.+\.sql$/.test(name)).sort()) {
        const id = `${folder}/${file}`;
        if (applied.has(id)) continue;
        await client.query('BEGIN');
        try {
          await client.query(readFileSync(path.join(dir, file), 'utf8'));
          await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [id, Date.now()]);
          await client.query('COMMIT');
          done.push(id);
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return done;
}

/**
 * Runs `work` in a transaction on a connection of its own: COMMIT when it resolves, ROLLBACK when
 * it throws (the work's error is the one rethrown).
 */
export async function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Runs `work` (queries on one connection of the pool) so that it stops when `signal` aborts (a
 * client hung up): PostgreSQL is asked to cancel the running statement (pg_cancel_backend) and
 * the connection is dropped, not handed back to the pool, so a late cancel can never reach
 * another query. Rejects with the signal's reason then.
 */
export async function cancellable<T>(pool: pg.Pool, signal: AbortSignal | undefined, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  signal?.throwIfAborted();
  const client = await pool.connect();
  // The backend's process id, from the connection's BackendKeyData (not in pg's typings).
  const backend = (client as pg.PoolClient & { processID?: number | null }).processID;
  const cancel = () => void pool.query('SELECT pg_cancel_backend($1)', [backend]).catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await work(client);
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  } finally {
    signal?.removeEventListener('abort', cancel);
    client.release(signal?.aborted);
  }
}

/** `$1, $2, …` placeholders for a list, starting after `offset` earlier ones. */
export function placeholders(count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) => `$${offset + i + 1}`).join(', ');
}
