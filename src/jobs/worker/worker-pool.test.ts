import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { taskModule } from '../gp-registry.js';
import { WorkerPool } from './worker-pool.js';

let pool: WorkerPool | undefined;
afterEach(async () => pool?.close());

describe('WorkerPool.warm', () => {
  it('starts idle workers that import the task modules, and jobs take those workers', async () => {
    pool = new WorkerPool(pino({ level: 'silent' }));
    const tasks = [
      taskModule(new URL('../../tasks/copy-raster.ts', import.meta.url), 'copyRaster'),
      taskModule(new URL('../../tasks/generate-raster.ts', import.meta.url), 'generateRaster'),
      // A module that does not import is skipped: its job reports the failure when it runs.
      taskModule(new URL('../../tasks/no-such-task.ts', import.meta.url), 'nothing'),
    ];
    await pool.warm(2, tasks);
    const warmed = pool.pids();
    expect(warmed).toHaveLength(2);
    const [a, b] = [await pool.acquire(), await pool.acquire()];
    expect(await Promise.all([a.preloaded, b.preloaded])).toEqual([2, 2]);
    // No third process: the jobs got the warmed workers.
    expect([a.pid, b.pid].sort()).toEqual([...warmed].sort());
    expect(pool.pids()).toHaveLength(2);
    pool.release(a);
    pool.release(b);
    // Warming again tops up to the count, no further.
    await pool.warm(2, tasks);
    expect(pool.pids()).toHaveLength(2);
  }, 120_000);
});
