import { describe, expect, it } from 'vitest';
import { indexZoneValues } from './zones.js';

describe('indexZoneValues', () => {
  const valid = Uint8Array.from([1, 1, 1, 0, 1, 1]);

  it('numbers integer zones in the order they first appear', () => {
    const { zone, labels } = indexZoneValues(Float64Array.from([7, 3, 7, 99, -2, 3]), valid);
    expect(labels).toEqual([7, 3, -2]);
    expect([...zone]).toEqual([0, 1, 0, 0, 2, 1]);
  });

  it('numbers fractional or widely spread zones the same way', () => {
    for (const values of [[0.5, 3, 0.5, 9, 1e9, 3], [1, 3e7, 1, 5, -3e7, 3e7]]) {
      const { zone, labels } = indexZoneValues(Float64Array.from(values), valid);
      expect(labels).toEqual([values[0], values[1], values[4]]);
      expect([...zone]).toEqual([0, 1, 0, 0, 2, 1]);
    }
  });
});
