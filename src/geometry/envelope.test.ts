import { describe, expect, it } from 'vitest';
import { envelopeOf, envelopesIntersect, envelopeToPolygon, unionEnvelopes, type Bounds } from './envelope.js';
import type { EsriEnvelope, EsriGeometry, EsriPolygon } from './esri-geometry.js';
import { isClockwise } from './rings.js';

describe('envelopeOf', () => {
  it.each<[EsriGeometry, Bounds | undefined]>([
    [{ x: 1, y: 2 }, { xmin: 1, ymin: 2, xmax: 1, ymax: 2 }],
    [{ x: null }, undefined],
    [{ points: [[1, 5], [3, 2]] }, { xmin: 1, ymin: 2, xmax: 3, ymax: 5 }],
    [{ paths: [[[0, 0], [1, 1]], [[-1, 4], [2, 2]]] }, { xmin: -1, ymin: 0, xmax: 2, ymax: 4 }],
    [{ rings: [[[0, 0], [0, 10], [10, 10], [0, 0]]] }, { xmin: 0, ymin: 0, xmax: 10, ymax: 10 }],
    [{ rings: [] }, undefined],
    [{ xmin: 0, ymin: 1, xmax: 2, ymax: 3, spatialReference: { wkid: 4326 } }, { xmin: 0, ymin: 1, xmax: 2, ymax: 3 }],
    [{ xmin: null }, undefined],
  ])('%j → %j', (geometry, expected) => {
    expect(envelopeOf(geometry)).toEqual(expected);
  });
});

describe('unionEnvelopes', () => {
  const a: Bounds = { xmin: 0, ymin: 0, xmax: 1, ymax: 1 };
  const b: Bounds = { xmin: 2, ymin: -1, xmax: 3, ymax: 0.5 };
  it.each<[Bounds | undefined, Bounds | undefined, Bounds | undefined]>([
    [a, b, { xmin: 0, ymin: -1, xmax: 3, ymax: 1 }],
    [a, undefined, a],
    [undefined, b, b],
    [undefined, undefined, undefined],
  ])('%j ∪ %j → %j', (left, right, expected) => {
    expect(unionEnvelopes(left, right)).toEqual(expected);
  });
});

describe('envelopesIntersect', () => {
  it.each<[Bounds, Bounds, boolean]>([
    [{ xmin: 0, ymin: 0, xmax: 2, ymax: 2 }, { xmin: 1, ymin: 1, xmax: 3, ymax: 3 }, true],
    [{ xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, { xmin: 1, ymin: 1, xmax: 3, ymax: 3 }, true],
    [{ xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, { xmin: 1.1, ymin: 0, xmax: 3, ymax: 3 }, false],
    [{ xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, { xmin: 0, ymin: 2, xmax: 1, ymax: 3 }, false],
  ])('%j, %j → %s', (left, right, expected) => {
    expect(envelopesIntersect(left, right)).toBe(expected);
  });
});

describe('envelopeToPolygon', () => {
  it.each<[EsriEnvelope, EsriPolygon]>([
    [
      { xmin: 0, ymin: 0, xmax: 2, ymax: 1, spatialReference: { wkid: 4326 } },
      { rings: [[[0, 0], [0, 1], [2, 1], [2, 0], [0, 0]]], spatialReference: { wkid: 4326 } },
    ],
    [{ xmin: null }, { rings: [] }],
  ])('%j → %j', (envelope, expected) => {
    expect(envelopeToPolygon(envelope)).toEqual(expected);
  });

  it('winds the ring clockwise, as Esri exteriors are', () => {
    expect(isClockwise(envelopeToPolygon({ xmin: 0, ymin: 0, xmax: 2, ymax: 1 }).rings[0])).toBe(true);
  });
});
