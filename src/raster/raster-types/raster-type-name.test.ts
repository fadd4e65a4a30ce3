import { describe, expect, it } from 'vitest';
import { findKnownUnsupportedType, normaliseRasterTypeName } from './raster-type-name.js';

describe('normaliseRasterTypeName', () => {
  it.each([
    ['UAV/UAS', 'UAV/UAS'],
    ['uav', 'UAV/UAS'],
    ['Raster Dataset', 'Raster Dataset'],
    ['Aerial', 'Aerial'],
    ['ScannedAerial', 'ScannedAerial'],
    ['Scanned Aerial', 'ScannedAerial'],
    ['Landsat 7 ETM+', 'Landsat 7 ETM+'],
    ['Landsat 7', 'Landsat 7 ETM+'],
    ['landsat 8', 'Landsat 8'],
    ['Sentinel-2', 'Sentinel-2'],
    ['Sentinel2', 'Sentinel-2'],
    ['ZY3-SASMAC', 'ZY3-SASMAC'],
    ['zy3 cresda', 'ZY3-CRESDA'],
    ['WorldView-3', null],
    ['nonsense', null],
  ])('%s → %s', (input, expected) => expect(normaliseRasterTypeName(input)).toBe(expected));
});

describe('findKnownUnsupportedType', () => {
  it.each([
    ['worldview-3', 'WorldView-3'],
    ['Landsat 4-5 TM', 'Landsat 4-5 TM'],
    ['nonsense', undefined],
  ])('%s → %s', (input, expected) => expect(findKnownUnsupportedType(input)).toBe(expected));
});
