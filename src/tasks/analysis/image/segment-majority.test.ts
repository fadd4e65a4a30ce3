import { describe, expect, it } from 'vitest';
import { classifyBySegment } from './segment-majority.js';

describe('classifyBySegment', () => {
  it('gives each 4-connected segment its majority class; equal colours apart are separate segments', () => {
    // 4×2: segment colours a a b a / a b b a (the right-hand "a" column is not joined to the left).
    const colour = Float64Array.from([1, 1, 2, 1, 1, 2, 2, 1]);
    const classes = Float64Array.from([5, 5, 7, 9, 6, 7, 5, 3]);
    const out = classifyBySegment(classes, [colour], 4, 2);
    // Left a: 5, 5, 6 → 5; b: 7, 7, 5 → 7; right a: 9, 3 → tie, the lower 3.
    expect([...out]).toEqual([5, 5, 7, 3, 5, 7, 7, 3]);
  });

  it('keeps pixel classes where the segmented raster has no data', () => {
    const out = classifyBySegment(Float64Array.from([1, 2]), [Float64Array.from([NaN, NaN])], 2, 1);
    expect([...out]).toEqual([1, 2]);
  });
});
