import { describe, expect, it } from 'vitest';
import { emptyBlock } from './pixel-block.js';
import { bandTarget, interleavedPixels, recycleBlock, takeBlock } from './pixel-buffers.js';

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

  it('lays 8-bit bands out pixel-interleaved when asked, and splits them into planes on first use', () => {
    const block = takeBlock(2, 2, 3, 'U8', true, true);
    for (let b = 0; b < 3; b++) {
      const { array, offset, pixel_space, line_space } = bandTarget(block, b, 1, 0);
      expect([offset, pixel_space, line_space]).toEqual([3 + b, 3, 6]);
      array[offset] = 10 * (b + 1); // cell (1, 0)
    }
    expect([...interleavedPixels(block)!]).toEqual([0, 0, 0, 10, 20, 30, 0, 0, 0, 0, 0, 0]);
    const spread = { ...block };
    expect(interleavedPixels(spread)).toBeUndefined();
    expect(block.bands.map((band) => [...band])).toEqual([[0, 10, 0, 0], [0, 20, 0, 0], [0, 30, 0, 0]]);
    expect(interleavedPixels(block)).toBeUndefined();
    expect(bandTarget(block, 1, 1, 0)).toMatchObject({ array: block.bands[1], offset: 1, pixel_space: 1, line_space: 2 });
    expect(takeBlock(2, 2, 3, 'U16', true, true).bands).toHaveLength(3);
    expect(interleavedPixels(takeBlock(2, 2, 1, 'U8', true, true))).toBeUndefined();
  });
});
