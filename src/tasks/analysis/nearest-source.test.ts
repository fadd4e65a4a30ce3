import { describe, expect, it } from 'vitest';
import { directionTo, nearestSources } from './nearest-source.js';

/** Brute force over every source, for comparison. */
function bruteForce(isSource: Uint8Array, width: number, height: number, cx: number, cy: number): Float64Array {
  const out = new Float64Array(width * height).fill(Infinity);
  for (let i = 0; i < isSource.length; i++) {
    for (let s = 0; s < isSource.length; s++) {
      if (!isSource[s]) continue;
      const d = (((i % width) - (s % width)) * cx) ** 2 + ((Math.floor(i / width) - Math.floor(s / width)) * cy) ** 2;
      if (d < out[i]) out[i] = d;
    }
  }
  return out;
}

describe('nearestSources', () => {
  it('matches brute force on a random grid with rectangular cells', () => {
    const width = 23;
    const height = 17;
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const isSource = Uint8Array.from({ length: width * height }, () => (random() < 0.03 ? 1 : 0));
    const { nearest, distance2 } = nearestSources(isSource, width, height, 2, 3);
    const expected = bruteForce(isSource, width, height, 2, 3);
    for (let i = 0; i < expected.length; i++) {
      expect(distance2[i]).toBeCloseTo(expected[i], 9);
      expect(isSource[nearest[i]]).toBe(1);
    }
  });

  it('gives -1 and infinity without sources', () => {
    const { nearest, distance2 } = nearestSources(new Uint8Array(6), 3, 2, 1, 1);
    expect([...nearest]).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(distance2[0]).toBe(Infinity);
  });

  it('measures direction clockwise from north towards the source', () => {
    // 3×3 grid, source in the centre (index 4).
    expect(directionTo(4, 4, 3, 1, 1)).toBe(0);
    expect(directionTo(7, 4, 3, 1, 1)).toBe(360); // cell below: source is north
    expect(directionTo(3, 4, 3, 1, 1)).toBe(90); // cell to the west: source is east
    expect(directionTo(1, 4, 3, 1, 1)).toBe(180);
    expect(directionTo(5, 4, 3, 1, 1)).toBe(270);
  });
});
