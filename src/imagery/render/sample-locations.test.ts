import { describe, expect, it } from 'vitest';
import { sampleLocations } from './sample-locations.js';
import { detailsOf } from '../../../test/helpers/error-details.js';

describe('sampleLocations', () => {
  const max = { maxCount: 1000 };
  it.each([
    ['a point', { x: 1, y: 2 }, {}, [[1, 2]]],
    ['a multipoint', { points: [[1, 2], [3, 4]] }, {}, [[1, 2], [3, 4]]],
    ['a line by count', { paths: [[[0, 0], [10, 0]]] }, { sampleCount: 3 }, [[0, 0], [5, 0], [10, 0]]],
    ['a line by distance', { paths: [[[0, 0], [4, 0], [4, 4]]] }, { sampleDistance: 3 }, [[0, 0], [3, 0], [4, 2]]],
    ['an envelope by distance', { xmin: 0, ymin: 0, xmax: 4, ymax: 2 }, { sampleDistance: 2 }, [[1, 1], [3, 1]]],
    ['a triangle keeps cells inside (edges are outside)', { rings: [[[0, 0], [0, 6], [6, 0], [0, 0]]] }, { sampleDistance: 2 }, [[1, 3], [1, 1], [3, 1]]],
  ])('%s', (_, geometry, options, expected) => {
    expect(sampleLocations(geometry as never, { ...max, ...options })).toEqual(expected);
  });

  it('gives about sampleCount cells inside an area, never more than the cap', () => {
    expect(sampleLocations({ xmin: 0, ymin: 0, xmax: 100, ymax: 100 } as never, { sampleCount: 25, maxCount: 1000 })).toHaveLength(25);
    expect(sampleLocations({ xmin: 0, ymin: 0, xmax: 100, ymax: 100 } as never, { sampleDistance: 0.01, maxCount: 50 }).length).toBeLessThanOrEqual(50);
  });

  it('refuses more explicit points than the cap', () => {
    expect(detailsOf(() => sampleLocations({ points: [[0, 0], [1, 1], [2, 2]] } as never, { maxCount: 2 }))).toMatch(/at most 2/);
  });
});
