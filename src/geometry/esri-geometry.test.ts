import { describe, expect, it } from 'vitest';
import { geometryTypeOf, isEmptyGeometry, validateEsriGeometry, type EsriGeometry, type GeometryType } from './esri-geometry.js';

describe('geometryTypeOf', () => {
  it.each<[unknown, GeometryType | undefined]>([
    [{ x: 1, y: 2 }, 'esriGeometryPoint'],
    [{ x: null }, 'esriGeometryPoint'],
    [{ points: [] }, 'esriGeometryMultipoint'],
    [{ paths: [] }, 'esriGeometryPolyline'],
    [{ rings: [] }, 'esriGeometryPolygon'],
    [{ xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, 'esriGeometryEnvelope'],
    [{ foo: 1 }, undefined],
    [null, undefined],
    ['x', undefined],
  ])('%j → %s', (geometry, expected) => {
    expect(geometryTypeOf(geometry)).toBe(expected);
  });
});

describe('validateEsriGeometry', () => {
  it.each<[string, unknown, EsriGeometry]>([
    ['point', { x: 1, y: 2 }, { x: 1, y: 2 }],
    ['point with z and m', { x: 1, y: 2, z: 3, m: 4 }, { x: 1, y: 2, z: 3, m: 4 }],
    ['point with numeric strings', { x: '1.5', y: '-2' }, { x: 1.5, y: -2 }],
    ['empty point (null)', { x: null }, { x: null }],
    ['empty point ("NaN")', { x: 'NaN', y: 'NaN' }, { x: null }],
    ['point keeps its spatial reference', { x: 1, y: 2, spatialReference: { wkid: 4326 } }, { x: 1, y: 2, spatialReference: { wkid: 4326 } }],
    ['multipoint', { points: [[1, 2], [3, 4]] }, { points: [[1, 2], [3, 4]] }],
    ['polyline with z', { hasZ: true, paths: [[[0, 0, 1], [1, 1, 2]]] }, { hasZ: true, paths: [[[0, 0, 1], [1, 1, 2]]] }],
    ['polyline m as null', { hasM: true, paths: [[[0, 0, null], [1, 1, 2]]] }, { hasM: true, paths: [[[0, 0, NaN], [1, 1, 2]]] }],
    [
      'unclosed ring is closed',
      { rings: [[[0, 0], [0, 1], [1, 1]]] },
      { rings: [[[0, 0], [0, 1], [1, 1], [0, 0]]] },
    ],
    [
      'closed ring is kept',
      { rings: [[[0, 0], [0, 1], [1, 1], [0, 0]]] },
      { rings: [[[0, 0], [0, 1], [1, 1], [0, 0]]] },
    ],
    ['empty polygon', { rings: [] }, { rings: [] }],
    ['envelope', { xmin: 0, ymin: 1, xmax: 2, ymax: 3 }, { xmin: 0, ymin: 1, xmax: 2, ymax: 3 }],
    ['reversed envelope is swapped', { xmin: 2, ymin: 3, xmax: 0, ymax: 1 }, { xmin: 0, ymin: 1, xmax: 2, ymax: 3 }],
    ['empty envelope', { xmin: 'NaN' }, { xmin: null }],
    ['envelope with z', { xmin: 0, ymin: 1, xmax: 2, ymax: 3, zmin: 5, zmax: 6 }, { xmin: 0, ymin: 1, xmax: 2, ymax: 3, zmin: 5, zmax: 6 }],
  ])('%s', (_name, input, expected) => {
    expect(validateEsriGeometry(input)).toEqual(expected);
  });

  it.each<[string, unknown, GeometryType | undefined, string]>([
    ['not an object', 'POINT(1 2)', undefined, 'Invalid geometry: expected a JSON object'],
    ['an array', [1, 2], undefined, 'Invalid geometry: expected a JSON object'],
    ['unknown keys', { a: 1 }, undefined, 'Invalid geometry: unknown geometry shape'],
    ['wrong type', { x: 1, y: 2 }, 'esriGeometryPolygon', 'Invalid geometry: expected esriGeometryPolygon but got esriGeometryPoint'],
    ['curves', { curveRings: [] }, undefined, 'Invalid geometry: true curves are not supported'],
    ['non-numeric x', { x: 'abc', y: 1 }, undefined, 'Invalid geometry: x is not a number'],
    ['infinite y', { x: 1, y: Infinity }, undefined, 'Invalid geometry: y is not a number'],
    ['x without y', { x: 1 }, undefined, 'Invalid geometry: point has x but no y'],
    ['short ring', { rings: [[[0, 0], [1, 1], [0, 0]]] }, undefined, 'Invalid geometry: polygon ring has fewer than 4 points'],
    ['two-vertex ring', { rings: [[[0, 0], [1, 1]]] }, undefined, 'Invalid geometry: polygon ring has fewer than 4 points'],
    ['one-point path', { paths: [[[0, 0]]] }, undefined, 'Invalid geometry: polyline path has fewer than 2 points'],
    ['NaN vertex', { paths: [[[0, NaN], [1, 1]]] }, undefined, 'Invalid geometry: a coordinate is not a number'],
    ['string vertex', { points: [['a', 1]] }, undefined, 'Invalid geometry: a coordinate is not a number'],
    ['short vertex', { points: [[1]] }, undefined, 'Invalid geometry: a vertex must be an array of at least 2 numbers'],
    ['rings not array', { rings: 5 }, undefined, 'Invalid geometry: polygon parts must be an array'],
    ['half envelope', { xmin: 1, ymin: 2 }, undefined, 'Invalid geometry: envelope needs xmin, ymin, xmax and ymax'],
    ['bad spatial reference', { x: 1, y: 2, spatialReference: { wkid: 'x' } }, undefined, 'Invalid spatial reference'],
  ])('rejects %s', (_name, input, expectedType, message) => {
    expect(() => validateEsriGeometry(input, expectedType)).toThrowError(message);
  });

  it('does not change its input', () => {
    const input = { rings: [[[0, 0], [0, 1], [1, 1]]] };
    validateEsriGeometry(input);
    expect(input.rings[0]).toHaveLength(3);
  });
});

describe('isEmptyGeometry', () => {
  it.each<[EsriGeometry, boolean]>([
    [{ x: null }, true],
    [{ x: 0, y: 0 }, false],
    [{ points: [] }, true],
    [{ paths: [] }, true],
    [{ rings: [] }, true],
    [{ xmin: null }, true],
    [{ xmin: 0, ymin: 0, xmax: 0, ymax: 0 }, false],
  ])('%j → %s', (geometry, expected) => {
    expect(isEmptyGeometry(geometry)).toBe(expected);
  });
});
