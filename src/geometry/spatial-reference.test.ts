import { describe, expect, it } from 'vitest';
import { GeometryError } from './geometry-error.js';
import {
  parseSpatialReference,
  toEpsg,
  toSpatialReferenceJson,
  unitsOf,
  type SpatialReference,
} from './spatial-reference.js';

describe('parseSpatialReference', () => {
  it.each<[unknown, SpatialReference | undefined]>([
    [4326, { wkid: 4326 }],
    ['4326', { wkid: 4326 }],
    [' 102100 ', { wkid: 102100 }],
    ['{"wkid":102100,"latestWkid":3857}', { wkid: 102100, latestWkid: 3857 }],
    [{ wkid: 4326 }, { wkid: 4326 }],
    [{ latestWkid: 3857 }, { latestWkid: 3857 }],
    [{ wkid: '2263' }, { wkid: 2263 }],
    [{ wkt: 'PROJCS["x"]' }, { wkt: 'PROJCS["x"]' }],
    [{ wkid: 4326, vcsWkid: 5703 }, { wkid: 4326, vcsWkid: 5703 }],
    [undefined, undefined],
    [null, undefined],
    ['', undefined],
  ])('%j → %j', (input, expected) => {
    expect(parseSpatialReference(input)).toEqual(expected);
  });

  it.each([['abc'], ['{wkid:'], [{}], [{ wkid: -1 }], [{ wkid: 4326.5 }], [[4326]], [true], ['{"wkid":"x"}']])(
    'rejects %j',
    (input) => {
      expect(() => parseSpatialReference(input)).toThrowError(new GeometryError('Invalid spatial reference'));
    },
  );
});

describe('toEpsg', () => {
  it.each<[SpatialReference | number | undefined, number | undefined]>([
    [{ wkid: 102100, latestWkid: 3857 }, 3857],
    [{ wkid: 102113 }, 3857],
    [{ wkid: 900913 }, 3857],
    [{ latestWkid: 3857 }, 3857],
    [102100, 3857],
    [{ wkid: 4326 }, 4326],
    [{ wkid: 4326, latestWkid: 4326 }, 4326],
    [{ wkid: 102718, latestWkid: 2263 }, 2263],
    [{ wkid: 102003 }, 102003],
    [{ latestWkid: 2229 }, 2229],
    [undefined, undefined],
  ])('%j → %s', (sr, expected) => {
    expect(toEpsg(sr)).toBe(expected);
  });

  it('identifies a WKT-only reference with GDAL', async () => {
    const gdal = (await import('gdal-async')).default;
    const wkt = gdal.SpatialReference.fromEPSG(32610).toWKT();
    expect(toEpsg({ wkt })).toBe(32610);
    expect(toEpsg({ wkt: 'not wkt' })).toBeUndefined();
  });
});

describe('toSpatialReferenceJson', () => {
  it.each<[number | SpatialReference, number | undefined, SpatialReference]>([
    [3857, 102100, { wkid: 102100, latestWkid: 3857 }],
    [3857, undefined, { wkid: 102100, latestWkid: 3857 }],
    [3857, 3857, { wkid: 3857, latestWkid: 3857 }],
    [102100, undefined, { wkid: 102100, latestWkid: 3857 }],
    [4326, undefined, { wkid: 4326 }],
    [4326, 4326, { wkid: 4326 }],
    [2263, 102718, { wkid: 102718, latestWkid: 2263 }],
    [{ wkid: 102100 }, undefined, { wkid: 102100, latestWkid: 3857 }],
    [{ wkid: 3857 }, undefined, { wkid: 3857, latestWkid: 3857 }],
    [{ wkid: 4326, latestWkid: 4326 }, undefined, { wkid: 4326 }],
    [{ wkt: 'LOCAL_CS["x"]' }, undefined, { wkt: 'LOCAL_CS["x"]' }],
  ])('(%j, %s) → %j', (input, preferred, expected) => {
    expect(toSpatialReferenceJson(input, preferred)).toEqual(expected);
  });
});

describe('unitsOf', () => {
  it.each<[number, string | undefined]>([
    [4326, 'esriDecimalDegrees'],
    [4269, 'esriDecimalDegrees'],
    [3857, 'esriMeters'],
    [102100, 'esriMeters'],
    [32610, 'esriMeters'],
    [2263, 'esriFeet'],
    [102003, 'esriMeters'],
    [999999, undefined],
  ])('%s → %s', (epsg, expected) => {
    expect(unitsOf(epsg)).toBe(expected);
  });
});
