import { describe, expect, it } from 'vitest';
import { isNorthFirst } from './point-transformer.js';
import { toSpatialReference } from './srs-input.js';
import { boundsToRing, densifyRing, transformBounds } from './transform-bounds.js';

describe('densifyRing', () => {
  it('adds points on each edge', () => {
    const ring = densifyRing(boundsToRing({ xmin: 0, ymin: 0, xmax: 4, ymax: 4 }), 2);
    expect(ring).toEqual([[0, 0], [0, 2], [0, 4], [2, 4], [4, 4], [4, 2], [4, 0], [2, 0], [0, 0]]);
  });
});

describe('isNorthFirst', () => {
  it.each([
    [4326, true],
    [2193, true],
    [32633, false],
    [3857, false],
    ['OGC:CRS84', false],
  ] as const)('%s → %s', (code, expected) => {
    expect(isNorthFirst(toSpatialReference(code))).toBe(expected);
  });
});

describe('transformBounds', () => {
  const cases = [
    {
      name: 'lon/lat to web mercator',
      bounds: { xmin: -10, ymin: 40, xmax: 10, ymax: 50 },
      src: 4326,
      dst: 3857,
      expected: { xmin: -1113194.9, ymin: 4865942.3, xmax: 1113194.9, ymax: 6446275.8 },
      tolerance: 1,
    },
    {
      name: 'UTM 32N to lon/lat keeps x = longitude',
      bounds: { xmin: 699960, ymin: 4998840, xmax: 701160, ymax: 5000040 },
      src: 32632,
      dst: 4326,
      expected: { xmin: 11.5420, ymin: 45.1144, xmax: 11.5579, ymax: 45.1255 },
      tolerance: 1e-3,
    },
    {
      name: 'densifying catches the bulge of a curved edge',
      bounds: { xmin: 0, ymin: 60, xmax: 20, ymax: 70 },
      src: 4326,
      dst: 32633,
      // The southern edge bows south of its corners at the central meridian (15°E): corners
      // alone would give ymin 6661953. The western edge bows a few metres west of its corners.
      expected: { xmin: -331808.3, ymin: 6651411.2, xmax: 778711.2, ymax: 7836178.6 },
      tolerance: 50,
    },
  ];
  it.each(cases)('$name', ({ bounds, src, dst, expected, tolerance }) => {
    const out = transformBounds(bounds, toSpatialReference(src), toSpatialReference(dst));
    for (const k of ['xmin', 'ymin', 'xmax', 'ymax'] as const) expect(Math.abs(out[k] - expected[k])).toBeLessThan(tolerance);
  });
});
