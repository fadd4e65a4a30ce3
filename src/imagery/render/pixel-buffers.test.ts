import { describe, expect, it } from 'vitest';
import { emptyBlock } from './pixel-block.js';
import { recycleBlock, takeBlock } from './pixel-buffers.js';

describe('pixel buffers', () => {
  it('reuses a recycled block, cleared when asked', () => {
    const first = takeBlock(7, 5, 2, 'U8', true);
    first.bands[0].fill(9);
    first.mask.fill(255);
    recycleBlock(first);
    const second = takeBlock(7, 5, 2, 'U8', true);
    expect([...second.bands, second.mask].some((a) => a.buffer === first.bands[0].buffer)).toBe(true);
    expect([...second.bands, second.mask].every((a) => a.every((v) => v === 0))).toBe(true);
    expect(second.bands[0].length).toBe(35);
  });

  it('hands a buffer out once even when a block lists it twice or is recycled twice', () => {
    const block = takeBlock(3, 3, 1, 'U16', false);
    recycleBlock({ ...block, bands: [block.bands[0], block.bands[0]] });
    recycleBlock(block);
    const a = takeBlock(3, 3, 1, 'U16', false);
    const b = takeBlock(3, 3, 1, 'U16', false);
    expect(a.bands[0].buffer).not.toBe(b.bands[0].buffer);
    expect(a.bands[0]).toBeInstanceOf(Uint16Array);
  });

  it('keeps out memory it did not issue and partial views', () => {
    const foreign = emptyBlock(4, 4, 1, 'U8');
    const own = takeBlock(4, 4, 1, 'U8', true);
    recycleBlock(foreign);
    recycleBlock({ ...own, bands: [own.bands[0].subarray(4)] });
    const next = takeBlock(4, 4, 1, 'U8', true);
    expect(next.bands[0].buffer).not.toBe(foreign.bands[0].buffer);
    expect(next.mask.buffer).not.toBe(foreign.mask.buffer);
  });
});
