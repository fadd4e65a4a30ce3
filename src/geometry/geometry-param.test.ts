import { describe, expect, it } from 'vitest';
import { parseGeometryParam, type GeometryParam } from './geometry-param.js';

describe('parseGeometryParam', () => {
  it.each<[string, unknown, unknown, GeometryParam | undefined]>([
    ['simple point', '-118.15,33.80', undefined, { geometry: { x: -118.15, y: 33.8 }, geometryType: 'esriGeometryPoint' }],
    ['simple point with spaces', ' 1 , 2 ', 'esriGeometryPoint', { geometry: { x: 1, y: 2 }, geometryType: 'esriGeometryPoint' }],
    [
      'simple envelope',
      '-120,30,-110,40',
      undefined,
      { geometry: { xmin: -120, ymin: 30, xmax: -110, ymax: 40 }, geometryType: 'esriGeometryEnvelope' },
    ],
    [
      'simple envelope, reversed corners',
      '10,10,0,0',
      'esriGeometryEnvelope',
      { geometry: { xmin: 0, ymin: 0, xmax: 10, ymax: 10 }, geometryType: 'esriGeometryEnvelope' },
    ],
    [
      'JSON envelope with its spatial reference',
      '{"xmin":0,"ymin":0,"xmax":1,"ymax":1,"spatialReference":{"wkid":4326}}',
      'esriGeometryEnvelope',
      { geometry: { xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, geometryType: 'esriGeometryEnvelope', spatialReference: { wkid: 4326 } },
    ],
    [
      'JSON polygon, type from the parameter',
      '{"rings":[[[0,0],[0,1],[1,1],[0,0]]]}',
      'esriGeometryPolygon',
      { geometry: { rings: [[[0, 0], [0, 1], [1, 1], [0, 0]]] }, geometryType: 'esriGeometryPolygon' },
    ],
    [
      'JSON point, type implied by its keys',
      '{"x":1,"y":2,"spatialReference":{"wkid":102100,"latestWkid":3857}}',
      undefined,
      { geometry: { x: 1, y: 2 }, geometryType: 'esriGeometryPoint', spatialReference: { wkid: 102100, latestWkid: 3857 } },
    ],
    [
      'already-parsed object',
      { paths: [[[0, 0], [1, 1]]] },
      'esriGeometryPolyline',
      { geometry: { paths: [[[0, 0], [1, 1]]] }, geometryType: 'esriGeometryPolyline' },
    ],
    ['absent', undefined, undefined, undefined],
    ['blank', '  ', 'esriGeometryEnvelope', undefined],
  ])('%s', (_name, geometry, geometryType, expected) => {
    expect(parseGeometryParam(geometry, geometryType)).toEqual(expected);
  });

  it.each<[string, unknown, unknown, string]>([
    ['three numbers', '1,2,3', undefined, "Invalid geometry: expected 'x,y' or 'xmin,ymin,xmax,ymax'"],
    ['words', 'here', undefined, "Invalid geometry: expected 'x,y' or 'xmin,ymin,xmax,ymax'"],
    ['empty member', '1,,2,3', undefined, "Invalid geometry: expected 'x,y' or 'xmin,ymin,xmax,ymax'"],
    ['broken JSON', '{"x":1', undefined, "Invalid geometry: 'geometry' is not valid JSON"],
    ['unknown geometryType', '1,2', 'esriGeometryCircle', 'Invalid geometryType: esriGeometryCircle'],
    ['type mismatch', '{"x":1,"y":2}', 'esriGeometryPolygon', 'Invalid geometry: expected esriGeometryPolygon but got esriGeometryPoint'],
    ['bad polygon', '{"rings":[[[0,0],[1,1]]]}', 'esriGeometryPolygon', 'Invalid geometry: polygon ring has fewer than 4 points'],
    ['JSON with no shape', '{"a":1}', undefined, 'Invalid geometry: unknown geometry shape'],
  ])('rejects %s', (_name, geometry, geometryType, message) => {
    expect(() => parseGeometryParam(geometry, geometryType)).toThrowError(message);
  });
});
