import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancellable, openPostgres } from './database.js';

const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('cancellable (a client that hangs up stops its SQL)', () => {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = await openPostgres(POSTGRES_URL, schema, 4);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool.end();
  });

  /** Backends still running a statement whose text holds `marker`. */
  const running = async (marker: string) =>
    Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()", [`%${marker}%`])).rows[0]!.n);

  it('cancels the running statement on abort and rejects with the reason', async () => {
    const marker = `sleep_${randomBytes(4).toString('hex')}`;
    const controller = new AbortController();
    const query = cancellable(pool, controller.signal, (client) => client.query(`SELECT pg_sleep(60) AS ${marker}`));
    while ((await running(marker)) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Error('client hung up'));
    await expect(query).rejects.toThrow('client hung up');
    while ((await running(marker)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    // The pool still answers: the cancelled connection was dropped, not handed out again.
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  });

  it('answers as a plain query when nothing aborts, and refuses work already aborted', async () => {
    const { rows } = await cancellable(pool, new AbortController().signal, (client) => client.query<{ n: number }>('SELECT 2 AS n'));
    expect(rows[0]!.n).toBe(2);
    await expect(cancellable(pool, AbortSignal.abort(new Error('gone')), (client) => client.query('SELECT 3'))).rejects.toThrow('gone');
  });
});
