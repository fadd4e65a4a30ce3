import { describe, expect, it } from 'vitest';
import type { EsriGeometry, Position } from './esri-geometry.js';
import { esriToGeoJSON, geoJSONToEsri, type GeoJSONGeometry } from './geojson.js';

// Esri winding (exterior clockwise) and its RFC 7946 reverse.
const esriSquare: Position[] = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]];
const geoSquare: Position[] = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
const esriHole: Position[] = [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]];
const geoHole: Position[] = [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]];
const esriFar: Position[] = [[20, 0], [20, 5], [25, 5], [25, 0], [20, 0]];
const geoFar: Position[] = [[20, 0], [25, 0], [25, 5], [20, 5], [20, 0]];

describe('esriToGeoJSON', () => {
  it.each<[string, EsriGeometry, GeoJSONGeometry | null]>([
    ['point', { x: 1, y: 2 }, { type: 'Point', coordinates: [1, 2] }],
    ['point z', { x: 1, y: 2, z: 3 }, { type: 'Point', coordinates: [1, 2, 3] }],
    ['point m is dropped', { x: 1, y: 2, m: 3 }, { type: 'Point', coordinates: [1, 2] }],
    ['empty point', { x: null }, null],
    ['multipoint', { points: [[1, 2], [3, 4]] }, { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] }],
    ['one path', { paths: [[[0, 0], [1, 1]]] }, { type: 'LineString', coordinates: [[0, 0], [1, 1]] }],
    [
      'two paths with m',
      { hasM: true, paths: [[[0, 0, 9], [1, 1, 9]], [[2, 2, 9], [3, 3, 9]]] },
      { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] },
    ],
    ['polygon', { rings: [esriSquare] }, { type: 'Polygon', coordinates: [geoSquare] }],
    ['polygon with hole', { rings: [esriSquare, esriHole] }, { type: 'Polygon', coordinates: [geoSquare, geoHole] }],
    ['winding of input does not matter', { rings: [geoHole, geoSquare] }, { type: 'Polygon', coordinates: [geoSquare, geoHole] }],
    [
      'multipart polygon',
      { rings: [esriSquare, esriHole, esriFar] },
      { type: 'MultiPolygon', coordinates: [[geoSquare, geoHole], [geoFar]] },
    ],
    ['envelope', { xmin: 0, ymin: 0, xmax: 10, ymax: 10 }, { type: 'Polygon', coordinates: [geoSquare] }],
    ['empty polygon', { rings: [] }, null],
  ])('%s', (_name, input, expected) => {
    expect(esriToGeoJSON(input)).toEqual(expected);
  });

  it('does not reorder the caller’s rings', () => {
    const rings = [esriSquare.map((p) => [...p])];
    esriToGeoJSON({ rings });
    expect(rings[0]).toEqual(esriSquare);
  });
});

describe('geoJSONToEsri', () => {
  it.each<[string, unknown, EsriGeometry | null]>([
    ['point', { type: 'Point', coordinates: [1, 2] }, { x: 1, y: 2 }],
    ['point z', { type: 'Point', coordinates: [1, 2, 3] }, { x: 1, y: 2, z: 3, hasZ: true }],
    ['multipoint', { type: 'MultiPoint', coordinates: [[1, 2]] }, { points: [[1, 2]] }],
    ['linestring', { type: 'LineString', coordinates: [[0, 0], [1, 1]] }, { paths: [[[0, 0], [1, 1]]] }],
    ['multilinestring', { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] }, { paths: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] }],
    ['polygon', { type: 'Polygon', coordinates: [geoSquare, geoHole] }, { rings: [esriSquare, esriHole] }],
    [
      'polygon already in Esri winding',
      { type: 'Polygon', coordinates: [esriSquare, esriHole] },
      { rings: [esriSquare, esriHole] },
    ],
    ['unclosed ring is closed', { type: 'Polygon', coordinates: [geoSquare.slice(0, 4)] }, { rings: [esriSquare] }],
    ['multipolygon', { type: 'MultiPolygon', coordinates: [[geoSquare, geoHole], [geoFar]] }, { rings: [esriSquare, esriHole, esriFar] }],
    ['feature', { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 2] } }, { x: 1, y: 2 }],
    ['feature without geometry', { type: 'Feature', properties: {}, geometry: null }, null],
    ['null', null, null],
  ])('%s', (_name, input, expected) => {
    expect(geoJSONToEsri(input)).toEqual(expected);
  });

  it.each<[string, unknown, string]>([
    ['a string', 'POINT(1 2)', 'Invalid GeoJSON: expected an object'],
    ['no coordinates', { type: 'Point' }, 'Invalid GeoJSON: coordinates must be an array'],
    ['a collection', { type: 'GeometryCollection', coordinates: [] }, 'Invalid GeoJSON: GeometryCollection is not supported'],
    ['an unknown type', { type: 'Circle', coordinates: [0, 0] }, 'Invalid GeoJSON: unknown geometry type Circle'],
    ['a text coordinate', { type: 'LineString', coordinates: [[0, 'a'], [1, 1]] }, 'Invalid geometry: a coordinate is not a number'],
    ['a null vertex', { type: 'Polygon', coordinates: [[null, [1, 1], [1, 0]]] }, 'Invalid geometry: a vertex must be an array of at least 2 numbers'],
    ['a two-point ring', { type: 'Polygon', coordinates: [[[0, 0], [1, 1]]] }, 'Invalid geometry: polygon ring has fewer than 4 points'],
  ])('rejects %s', (_name, input, message) => {
    expect(() => geoJSONToEsri(input)).toThrowError(message);
  });

  it('round-trips through esriToGeoJSON', () => {
    const esri: EsriGeometry = { rings: [esriSquare, esriHole, esriFar] };
    expect(geoJSONToEsri(esriToGeoJSON(esri))).toEqual(esri);
  });
});
