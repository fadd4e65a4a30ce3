import { describe, expect, it } from 'vitest';
import { findEpsgCode, toSpatialReference, toSrsText } from './srs-input.js';

describe('toSrsText', () => {
  it.each([
    [4326, 'EPSG:4326'],
    [102100, 'EPSG:3857'],
    [102003, 'ESRI:102003'],
    ['32633', 'EPSG:32633'],
    ['EPSG:3857', 'EPSG:3857'],
    [{ wkid: 102100, latestWkid: 3857 }, 'EPSG:3857'],
    [{ wkid: 4326 }, 'EPSG:4326'],
    [{ wkt: 'GEOGCS["WGS 84"]' }, 'GEOGCS["WGS 84"]'],
  ] as const)('%j → %s', (input, expected) => {
    expect(toSrsText(input)).toBe(expected);
  });

  it.each([[{}], [-1], [1.5]])('rejects %j', (input) => {
    expect(() => toSrsText(input)).toThrow(/spatial reference/i);
  });
});

describe('toSpatialReference / findEpsgCode', () => {
  it.each([
    [{ wkid: 102100 }, 3857],
    [32611, 32611],
    ['EPSG:4326', 4326],
  ] as const)('%j has EPSG %s', (input, code) => {
    expect(findEpsgCode(toSpatialReference(input))).toBe(code);
  });

  it('identifies a UTM WKT whose projection is untagged', () => {
    const wkt = toSpatialReference(32633).toWKT().replace(',AUTHORITY["EPSG","32633"]', '');
    expect(findEpsgCode(toSpatialReference(wkt))).toBe(32633);
  });

  it('rejects an unknown definition', () => {
    expect(() => toSpatialReference('EPSG:999999')).toThrow(/Unknown spatial reference/);
  });
});
