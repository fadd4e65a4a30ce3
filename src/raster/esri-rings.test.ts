import { describe, expect, it } from 'vitest';
import { closeRing, signedArea, toEsriRings } from './esri-rings.js';
import type { Ring } from './transform-bounds.js';

const ccwSquare: Ring = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
const cwSquare: Ring = [[0, 0], [0, 4], [4, 4], [4, 0], [0, 0]];
const ccwHole: Ring = [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]];
const cwHole: Ring = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]];

describe('signedArea', () => {
  it.each([
    [ccwSquare, 16],
    [cwSquare, -16],
  ])('%j → %s', (ring, expected) => expect(signedArea(ring)).toBe(expected));
});

describe('closeRing', () => {
  it.each([
    [[[0, 0], [1, 0], [1, 1]] as Ring, [[0, 0], [1, 0], [1, 1], [0, 0]]],
    [ccwSquare, ccwSquare],
  ])('%j → %j', (ring, expected) => expect(closeRing(ring)).toEqual(expected));
});

describe('toEsriRings', () => {
  it.each([
    ['counter-clockwise exterior is reversed', [[ccwSquare]], [[...ccwSquare].reverse()]],
    ['clockwise exterior is kept', [[cwSquare]], [cwSquare]],
    ['holes become counter-clockwise', [[cwSquare, cwHole]], [cwSquare, ccwHole]],
    ['each polygon of a multipolygon', [[ccwSquare], [ccwSquare]], [[...ccwSquare].reverse(), [...ccwSquare].reverse()]],
  ])('%s', (_name, input, expected) => {
    expect(toEsriRings(input as Ring[][])).toEqual(expected);
  });
});
