import { describe, expect, it } from 'vitest';
import { runPool } from './run-pool.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runPool', () => {
  it('keeps input order and never runs more than asked at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await runPool([30, 10, 20, 5, 1], 2, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(ms);
      running--;
      return i * 10;
    });
    expect(out).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBe(2);
  });

  it('stops starting work after a failure and waits for the running work', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = runPool([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      await sleep(i === 1 ? 5 : 20);
      if (i === 1) throw new Error('boom');
      finished.push(i);
    });
    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([0]);
  });

  it('rejects with the abort reason once aborted', async () => {
    const controller = new AbortController();
    const run = runPool([1, 2, 3], 1, async (i) => {
      if (i === 1) controller.abort(new Error('cancelled'));
      await sleep(1);
    }, controller.signal);
    await expect(run).rejects.toThrow('cancelled');
  });
});
