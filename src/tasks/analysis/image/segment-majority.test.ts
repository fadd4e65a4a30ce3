import { describe, expect, it } from 'vitest';
import { classifyBySegment, segmentLabels, segmentMajority } from './segment-majority.js';

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

describe('segmentLabels and segmentMajority', () => {
  it('numbers 4-connected equal-colour runs in row order, 0 for NoData, and votes per segment', () => {
    const { labels, count } = segmentLabels([Float64Array.from([1, 1, 2, NaN, 1, 2])], 3, 2);
    expect([...labels]).toEqual([1, 1, 2, 0, 1, 2]);
    expect(count).toBe(2);
    const winners = segmentMajority(Float64Array.from([4, NaN, 6, 9, 5, 6]), labels, count);
    expect([...winners]).toEqual([NaN, 4, 6]); // label 1: 4 and 5 tie → the lower; NaN does not vote
  });
});
