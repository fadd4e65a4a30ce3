import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../config.js';
import { openJobQueueStore, openStores } from './index.js';
import type { JobEvent, JobQueue, NewJob } from './job-queue.js';
import { openDatabase, type SqliteDatabase } from './sqlite/database.js';
import { SqliteJobQueue } from './sqlite/sqlite-job-queue.js';

const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** What the runner and routes rely on, for every queue implementation. */
const engines: Array<{ name: string; open: () => Promise<{ queue: JobQueue; drop: () => Promise<void> }> }> = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'tessera-queue-'));
      const db: SqliteDatabase = openDatabase(path.join(dir, 'jobs.sqlite'), { migrations: ['jobs'] });
      return {
        queue: new SqliteJobQueue(db),
        drop: async () => {
          db.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const config: Config = { ...defaultConfig(), store: { kind: 'postgres', postgresUrl: POSTGRES_URL, postgresSchema: schema } };
      const stores = await openStores(config);
      const { queue, close } = await openJobQueueStore(config, stores, (err) => {
        throw err;
      });
      return {
        queue,
        drop: async () => {
          await close();
          await stores.close();
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          await client.query(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA ${schema}_boss CASCADE`);
          await client.end();
        },
      };
    },
  },
];

let counter = 0;
const newJob = (extra: Partial<NewJob> = {}): NewJob => ({
  id: `j${(++counter).toString(16).padStart(32, '0')}`,
  service: 'System/Tools',
  task: 'Task',
  owner: null,
  inputs: { a: 1 },
  baseUrl: 'https://host/arcgis',
  ...extra,
});

describe.each(engines)('job queue on $name', ({ open }) => {
  let queue: JobQueue;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ queue, drop } = await open());
  });
  afterEach(async () => drop());

  it('claims the oldest queued job once, and nothing when the queue is empty', async () => {
    const a = await queue.submit(newJob());
    const b = await queue.submit(newJob({ owner: 'ana' }));
    expect(a).toMatchObject({ state: 'submitted', attempts: 0, results: null });
    const claimed = [await queue.claimNext({ machine: 'm' }), await queue.claimNext({ machine: 'm' }), await queue.claimNext({ machine: 'm' })];
    expect(claimed.map((job) => job?.id)).toEqual([a.id, b.id, undefined]);
    expect(claimed[0]).toMatchObject({ state: 'executing', machine: 'm', attempts: 1 });
  });

  it('keeps the inputs apart from the record, through heartbeats and progress, until the job is removed', async () => {
    const { id } = await queue.submit(newJob({ inputs: { a: 1, text: 'é'.repeat(100_000) } }));
    expect(await queue.get(id)).not.toHaveProperty('inputs');
    await queue.claimNext({ machine: 'm' });
    await queue.heartbeat(id);
    await queue.setProgress(id, { percent: 50, message: 'half' });
    expect(await queue.inputs(id)).toEqual({ a: 1, text: 'é'.repeat(100_000) });
    expect(await queue.remove(id)).toBe(true);
    expect(await queue.inputs(id)).toBeUndefined();
    expect(await queue.inputs('jnope')).toBeUndefined();
  });

  it('marks submitted jobs waiting, and still claims them', async () => {
    const a = await queue.submit(newJob());
    expect(await queue.markWaiting()).toBe(1);
    expect((await queue.get(a.id))?.state).toBe('waiting');
    expect((await queue.claimNext({ machine: 'm' }))?.id).toBe(a.id);
  });

  it('completes with results and messages in one write, only from executing', async () => {
    const { id } = await queue.submit(newJob());
    expect(await queue.complete(id, { out: 1 })).toBe(false);
    await queue.claimNext({ machine: 'm' });
    await queue.addMessages(id, [{ type: 'informative', description: 'start', time: 1 }]);
    expect(await queue.complete(id, { out: 1 }, [{ type: 'informative', description: 'done', time: 2 }])).toBe(true);
    expect(await queue.get(id)).toMatchObject({ state: 'succeeded', results: { out: 1 } });
    expect((await queue.messages(id)).map((m) => m.description)).toEqual(['start', 'done']);
    expect(await queue.fail(id, 'failed')).toBe(false);
  });

  it('stores results given as JSON text as they came', async () => {
    const { id } = await queue.submit(newJob());
    await queue.claimNext({ machine: 'm' });
    const definition = JSON.stringify({ model: 'line 1\nline "2"' });
    expect(await queue.complete(id, JSON.stringify({ out: definition }))).toBe(true);
    expect((await queue.get(id))?.results).toEqual({ out: definition });
  });

  it('cancels queued jobs at once and executing ones through cancelling', async () => {
    const queued = await queue.submit(newJob());
    const running = await queue.submit(newJob());
    await queue.markWaiting();
    await queue.claimNext({ machine: 'm' });
    // The first submitted was claimed; cancel the one still waiting and the running one.
    expect(await queue.requestCancel(running.id)).toEqual({ before: 'waiting', after: 'cancelled' });
    expect(await queue.requestCancel(queued.id)).toEqual({ before: 'executing', after: 'cancelling' });
    expect(await queue.requestCancel(queued.id)).toEqual({ before: 'cancelling', after: 'cancelling' });
    expect(await queue.heartbeat(queued.id)).toBe('cancelling');
    expect(await queue.finishCancel(queued.id)).toBe(true);
    expect(await queue.requestCancel(queued.id)).toEqual({ before: 'cancelled', after: 'cancelled' });
    expect(await queue.requestCancel('jnope')).toBeUndefined();
  });

  it('marks deleting whatever the state, and removes every trace', async () => {
    const { id } = await queue.submit(newJob());
    await queue.addMessages(id, [{ type: 'warning', description: 'w', time: 1 }]);
    expect(await queue.markDeleting(id)).toBe('submitted');
    expect((await queue.claimNext({ machine: 'm' }))).toBeUndefined();
    expect(await queue.remove(id)).toBe(true);
    expect(await queue.get(id)).toBeUndefined();
    expect(await queue.messages(id)).toEqual([]);
    expect(await queue.markDeleting(id)).toBeUndefined();
    await queue.addMessages(id, [{ type: 'warning', description: 'late', time: 2 }]);
    expect(await queue.messages(id)).toEqual([]);
  });

  it('requeues a crashed job for another attempt', async () => {
    const { id } = await queue.submit(newJob());
    await queue.claimNext({ machine: 'm', workerPid: 7 });
    expect(await queue.requeue(id, [{ type: 'informative', description: 'again', time: 1 }])).toBe(true);
    expect(await queue.get(id)).toMatchObject({ state: 'submitted', workerPid: null, machine: null });
    expect((await queue.claimNext({ machine: 'm' }))?.attempts).toBe(2);
  });

  it('finds jobs whose heartbeat is stale', async () => {
    const { id } = await queue.submit(newJob());
    await queue.claimNext({ machine: 'm' });
    expect(await queue.findStale(Date.now() - 60_000)).toEqual([]);
    expect((await queue.findStale(Date.now() + 1)).map((job) => job.id)).toEqual([id]);
  });

  it('lists with filters and paging, counts by state, cancels the queued ones of a service', async () => {
    const jobs = [
      await queue.submit(newJob({ owner: 'ana' })),
      await queue.submit(newJob({ owner: 'ANA' })),
      await queue.submit(newJob({ service: 'Other/Tools' })),
      await queue.submit(newJob()),
    ];
    await queue.claimNext({ machine: 'm' });
    const page = await queue.list({ service: 'System/Tools' }, { offset: 1, limit: 1 });
    expect(page.total).toBe(3);
    expect(page.jobs.map((job) => job.id)).toEqual([jobs[1]!.id]);
    expect((await queue.list({ owner: 'ana' }, { offset: 0, limit: 10 })).total).toBe(2);
    expect((await queue.list({ owner: null, service: 'System/Tools' }, { offset: 0, limit: 10 })).jobs.map((job) => job.id)).toEqual([jobs[3]!.id]);
    expect((await queue.list({ states: [] }, { offset: 0, limit: 10 })).total).toBe(0);
    expect(await queue.countByState({ service: 'System/Tools' })).toEqual({ executing: 1, submitted: 2 });
    expect((await queue.cancelQueued({ service: 'System/Tools' })).sort()).toEqual([jobs[1]!.id, jobs[3]!.id].sort());
    expect(await queue.countByState({})).toEqual({ executing: 1, cancelled: 2, submitted: 1 });
  });

  it('finds finished jobs that ended before the cutoff, oldest first, in batches', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await queue.submit(newJob());
      await queue.requestCancel(id);
      ids.push(id);
    }
    const running = await queue.submit(newJob());
    await queue.claimNext({ machine: 'm' });
    expect(await queue.findExpired(Date.now() - 60_000, 10)).toEqual([]);
    expect(await queue.findExpired(Date.now() + 1, 2)).toEqual(ids.slice(0, 2));
    expect(await queue.findExpired(Date.now() + 1, 10)).toEqual(ids);
    expect(await queue.findExpired(Date.now() + 1, 10)).not.toContain(running.id);
  });

  it('tells every listener of submits, cancels and deletes (shared queues)', async () => {
    if (!queue.watch) return;
    const events: JobEvent[] = [];
    const unwatch = queue.watch((event) => events.push(event));
    // The LISTEN connection opens in the background: submit until it hears one.
    const first = await queue.submit(newJob());
    for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const { id } = await queue.submit(newJob());
    await queue.claimNext({ machine: 'm' });
    await queue.claimNext({ machine: 'm' });
    await queue.requestCancel(id);
    await queue.markDeleting(first.id);
    for (let i = 0; i < 100 && events.length < 4; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    unwatch();
    expect(events.slice(-3)).toEqual([
      { type: 'submitted', id },
      { type: 'stop', id, reason: 'cancelled' },
      { type: 'stop', id: first.id, reason: 'deleted' },
    ]);
  });

  it('hands a stale job to one recovering caller only', async () => {
    const { id } = await queue.submit(newJob());
    await queue.claimNext({ machine: 'm' });
    const [a, b] = [await queue.findStale(Date.now() + 1), await queue.findStale(Date.now() + 1)];
    expect(a.map((job) => job.id)).toEqual([id]);
    // Embedded: one runner per data directory, so nobody else is looking.
    if (queue.shared) expect(b).toEqual([]);
  });
});
