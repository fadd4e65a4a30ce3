import { describe, expect, it } from 'vitest';
import { convertBlock, defaultNoData } from './convert-pixel-type.js';

describe('convertBlock', () => {
  const block = { width: 4, height: 1, pixelType: 'F32', bands: [Float32Array.from([300.7, -2, 12.5, Number.NaN])], mask: Uint8Array.from([255, 255, 255, 255]) };
  it.each([
    ['U8', [255, 0, 13, 0]],
    ['S16', [301, -2, 13, 0]],
    ['U16', [301, 0, 13, 0]],
  ])('to %s clips and rounds', (type, expected) => {
    expect(Array.from(convertBlock(block, type).bands[0])).toEqual(expected);
  });

  it.each([
    ['U8', 0],
    ['S16', -32768],
    ['F32', -3.4028234663852886e38],
  ])('no data for %s is %s', (type, value) => expect(defaultNoData(type)).toBe(value));
});
