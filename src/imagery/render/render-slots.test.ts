import { describe, expect, it } from 'vitest';
import { markSelfRequest } from '../../net/self-requests.js';
import { renderSlots } from './render-slots.js';

describe('renderSlots', () => {
  it('runs at most the limit at once, the others in arrival order, and skips a render whose request went', async () => {
    renderSlots.setLimit(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const render = (n: number) => async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      order.push(n);
      return n;
    };
    const gone = new AbortController();
    const results = [1, 2, 3, 4].map((n) => renderSlots.run(render(n)));
    const skipped = expect(renderSlots.run(render(5), gone.signal)).rejects.toThrow();
    gone.abort();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4]);
    await skipped;
    expect(most).toBe(2);
    expect(order.slice(2).sort()).toEqual([3, 4]);
    renderSlots.setLimit(0);
  });

  it("runs a render of this server's own read at once, although every slot is held", async () => {
    renderSlots.setLimit(1);
    let release!: () => void;
    const outer = renderSlots.run(() => new Promise<void>((resolve) => (release = resolve)));
    const self = new AbortController();
    markSelfRequest(self.signal);
    expect(await renderSlots.run(async () => 'inner', self.signal)).toBe('inner');
    // An unmarked render still waits for the slot.
    let waited = false;
    const queued = renderSlots.run(async () => (waited = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(waited).toBe(false);
    release();
    await Promise.all([outer, queued]);
    expect(waited).toBe(true);
    renderSlots.setLimit(0);
  });
});
