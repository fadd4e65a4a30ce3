import { describe, expect, it } from 'vitest';
import { readRasterType } from './raster-type-param.js';

describe('readRasterType', () => {
  it.each([
    ['Raster Dataset', { name: 'Raster Dataset', parameters: {}, collectionType: undefined }],
    ['{"rasterTypeName":"Landsat 7"}', { name: 'Landsat 7 ETM+' }],
    [{ rasterTypeName: 'uav/uas', rasterTypeParameters: { GPS: [] } }, { name: 'UAV/UAS', parameters: { GPS: [] } }],
    [{ rasterTypeName: 'Sentinel-2', imageCollectionProps: { imageCollectionType: 'satellite' } }, { name: 'Sentinel-2', collectionType: 'Satellite' }],
    [{ RasterTypeName: 'Aerial' }, { name: 'Aerial' }],
  ])('%j', (value, expected) => {
    expect(readRasterType(value)).toMatchObject(expected);
  });

  it.each([
    [{ rasterTypeName: 'QuickBird' }, /QuickBird raster type is not supported yet/],
    [{ rasterTypeName: 'Nonsense' }, /Raster type 'Nonsense' is unknown/],
    [{}, /Raster type '' is unknown/],
    [{ rasterTypeName: 'Landsat 8', imageCollectionProps: { imageCollectionType: 'Drone' } }, /imageCollectionType 'Drone'/],
  ])('refuses %j', (value, message) => {
    expect(() => readRasterType(value)).toThrow(message);
  });
});
