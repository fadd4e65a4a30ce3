import { describe, expect, it } from 'vitest';
import { combineBlocks } from './combine-blocks.js';
import type { PixelBlock } from './pixel-block.js';

/** Two-pixel, one-band blocks: values and masks. */
const block = (values: number[], mask: number[]): PixelBlock => ({ width: 2, height: 1, pixelType: 'U8', bands: [Uint8Array.from(values)], mask: Uint8Array.from(mask) });
const top = block([10, 20], [255, 0]);
const bottom = block([30, 40], [255, 255]);

describe('combineBlocks (top first)', () => {
  it.each([
    ['first', [10, 40]],
    ['last', [30, 40]],
    ['min', [10, 40]],
    ['max', [30, 40]],
    ['mean', [20, 40]],
    ['sum', [40, 40]],
  ] as const)('%s', (operation, expected) => {
    const out = combineBlocks([top, bottom], operation);
    expect(Array.from(out.bands[0])).toEqual(expected);
    expect(Array.from(out.mask)).toEqual([255, 255]);
  });

  it('seamline takes the item whose centre is nearest each pixel', () => {
    const left = block([1, 1], [255, 255]);
    const right = block([2, 2], [255, 255]);
    const out = combineBlocks([left, right], 'seamline', [[0, 0.5], [2, 0.5]]);
    expect(Array.from(out.bands[0])).toEqual([1, 2]);
  });

  it('leaves pixels no item covers empty', () => {
    const out = combineBlocks([block([1, 2], [0, 0]), block([3, 4], [0, 255])], 'mean');
    expect(Array.from(out.mask)).toEqual([0, 255]);
    expect(Array.from(out.bands[0])).toEqual([0, 4]);
  });
});
