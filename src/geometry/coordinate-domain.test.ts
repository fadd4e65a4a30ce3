import { describe, expect, it } from 'vitest';
import { checkCoordinateDomain, isNotANumberPoint } from './coordinate-domain.js';

describe('checkCoordinateDomain', () => {
  it.each([
    [{ x: 10, y: 20 }, 4326, true],
    [{ x: 500, y: 0 }, 4326, false],
    [{ x: 500, y: 0 }, 3857, true],
    [{ x: 1e39, y: 0 }, 3857, false],
    [{ x: 0, y: Number.NaN }, 3857, false],
    [{ x: 0, y: 0, z: Number.POSITIVE_INFINITY }, 3857, false],
    [{ paths: [[[0, 0], [1e20, 1]]] }, 3857, false],
    [{ rings: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, 4326, true],
    [{ points: [[0, 0, Number.NaN]] }, 4326, true],
  ])('%j in %i → %s', (geometry, srid, ok) => {
    const check = () => checkCoordinateDomain(geometry as never, srid);
    if (ok) expect(check).not.toThrow();
    else expect(check).toThrow(/Invalid geometry/);
  });
});

describe('isNotANumberPoint', () => {
  it.each([
    [{ x: 'NaN', y: 0 }, true],
    [{ x: 'abc', y: 0 }, true],
    [{ x: null }, false],
    [{ x: 1, y: 2 }, false],
    [{ rings: [] }, false],
  ])('%j → %s', (geometry, expected) => expect(isNotANumberPoint(geometry)).toBe(expected));
});
