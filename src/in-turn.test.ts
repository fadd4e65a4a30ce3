import { describe, expect, it } from 'vitest';
import { inTurn } from './in-turn.js';

describe('inTurn', () => {
  it('returns the results in the order of the values, with their indexes', async () => {
    expect(await inTurn(['a', 'b', 'c'], async (value, i) => `${value}${i}`)).toEqual(['a0', 'b1', 'c2']);
  });

  it('starts a step only once the one before has finished', async () => {
    const events: string[] = [];
    await inTurn([30, 0, 10], async (ms) => {
      events.push(`start ${ms}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`end ${ms}`);
    });
    expect(events).toEqual(['start 30', 'end 30', 'start 0', 'end 0', 'start 10', 'end 10']);
  });

  it('stops at the first failure, running nothing after it', async () => {
    const ran: number[] = [];
    const run = inTurn([1, 2, 3], async (value) => {
      ran.push(value);
      if (value === 2) throw new Error('two');
      return value;
    });
    await expect(run).rejects.toThrow('two');
    expect(ran).toEqual([1, 2]);
  });

  it('gives an empty list for no values', async () => {
    expect(await inTurn([], async () => 1)).toEqual([]);
  });
});
