import { afterAll, describe, expect, it } from 'vitest';
import { ThreadPool } from './thread-pool.js';

const pool = new ThreadPool(new URL('../test/fixtures/threads/echo-entry.ts', import.meta.url), 2);
afterAll(() => pool.close());

describe('ThreadPool', () => {
  it('runs tasks on TypeScript entries, more than it has threads', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => pool.run({ value: i })));
    expect(answers).toEqual([0, 1, 2, 3, 4].map((echo) => ({ echo })));
  });

  it("keeps an entry's error name and message, for the domain error mapping", async () => {
    await expect(pool.run({ fail: 'bad ring' })).rejects.toMatchObject({ name: 'GeometryError', message: 'bad ring' });
  });

  it('ends a thread whose task is aborted (a runaway GEOS call), and carries on', async () => {
    const controller = new AbortController();
    const spinning = pool.run({ spin: true }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(spinning).rejects.toThrow();
    expect(await pool.run({ value: 'after' })).toEqual({ echo: 'after' });
  });

  it('starts a thread ahead of the first task (warm), which that task then uses', async () => {
    const warmed = new ThreadPool(new URL('../test/fixtures/threads/echo-entry.ts', import.meta.url), 1);
    warmed.warm();
    warmed.warm(); // one thread, however often it is warmed
    expect(await warmed.run({ value: 'first' })).toEqual({ echo: 'first' });
    await warmed.close();
  });

  it('ends a thread idle for its idleMs, and starts one again for the next task', async () => {
    const idle = new ThreadPool(new URL('../test/fixtures/threads/echo-entry.ts', import.meta.url), 1, 300);
    expect(await idle.run({ value: 1 })).toEqual({ echo: 1 });
    expect(idle.threads).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(idle.threads).toBe(0);
    expect(await idle.run({ value: 2 })).toEqual({ echo: 2 });
    await idle.close();
  });
});
