import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchStarsLandsat7 } from '../../../test/fixtures/raster/fetch-stars-landsat7.js';
import { makeLandsat7Scene } from '../../../test/fixtures/raster/make-landsat7-scene.js';
import { makeLandsat8Scene, type LandsatSceneFixture } from '../../../test/fixtures/raster/make-landsat-scene.js';
import { computeFootprint } from '../compute-footprint.js';
import { convertToCog } from '../convert-to-cog.js';
import { inspectRaster } from '../inspect-raster.js';
import { RasterTypeError } from '../raster-error.js';
import { resolveRasterType } from '../resolve-raster-type.js';
import { ringBounds } from '../transform-bounds.js';

let dir: string;
let scratchDir: string;
let scene: LandsatSceneFixture;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'landsat-type-'));
  scratchDir = path.join(dir, 'scratch');
  await mkdir(scratchDir);
  scene = await makeLandsat8Scene(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const EXPECTED_ATTRIBUTES = {
  ProductName: 'L1TP',
  SensorName: 'Landsat-8',
  AcquisitionDate: Date.UTC(2023, 0, 15, 18, 42, 8, 879),
  CloudCover: 12.34,
  SunAzimuth: 155.93826542,
  SunElevation: 29.31640318,
  Tag: 'MS',
  GroupName: 'LC08_L1TP_042036_20230115_20230125_02_T1',
  WRSPath: 42,
  WRSRow: 36,
  CollectionNumber: 2,
};

describe('Landsat 8 raster type', () => {
  it.each([
    ['the scene folder', () => scene.folder],
    ['its MTL.txt', () => scene.mtlTxt],
    ['its MTL.json', () => scene.mtlJson],
    ['a band file inside it', () => path.join(scene.folder, `${scene.productId}_B3.TIF`)],
    ['the folder above it', () => dir],
  ])('finds the scene from %s', async (_name, input) => {
    const items = await resolveRasterType(input(), 'Landsat 8', undefined, { scratchDir });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: scene.productId,
      noData: 0,
      bandNames: ['CoastalAerosol', 'Blue', 'Green', 'Red', 'NearInfrared', 'ShortWaveInfrared_1', 'ShortWaveInfrared_2', 'Cirrus'],
      attributes: EXPECTED_ATTRIBUTES,
    });
    expect(items[0].bandScaling).toHaveLength(8);
    expect(items[0].bandScaling![0]).toEqual({ scale: 2e-5, offset: -0.1 });
  });

  it('stacks the multispectral bands into a VRT with names and nodata', async () => {
    const [item] = await resolveRasterType(scene.folder, 'Landsat 8', {}, { scratchDir });
    const info = await inspectRaster(item.sourcePath);
    expect(info).toMatchObject({ driver: 'VRT', bandCount: 8, width: 60, height: 50, epsg: 32611, noData: Array(8).fill(0), pixelSizeX: 30 });
    expect(info.bands.map((b) => b.description)).toEqual(item.bandNames);
  });

  it.each([
    ['Panchromatic', 1, 15, 'Pan', 'LC08_L1TP_042036_20230115_20230125_02_T1_Panchromatic'],
    ['Pansharpen', 4, 15, 'Pansharpened', 'LC08_L1TP_042036_20230115_20230125_02_T1_Pansharpen'],
    ['Thermal', 2, 30, 'Thermal', 'LC08_L1TP_042036_20230115_20230125_02_T1_Thermal'],
    ['All Bands', 10, 30, 'All', 'LC08_L1TP_042036_20230115_20230125_02_T1_AllBands'],
    ['Pansharpen and Multispectral', 8, 30, 'MS', 'LC08_L1TP_042036_20230115_20230125_02_T1'],
  ])('template %s → %s bands at %s m', async (template, bands, cell, tag, name) => {
    const [item] = await resolveRasterType(scene.folder, 'Landsat 8', { processingTemplate: template }, { scratchDir });
    expect(item).toMatchObject({ name, attributes: { Tag: tag } });
    expect(await inspectRaster(item.sourcePath)).toMatchObject({ bandCount: bands, pixelSizeX: cell });
  });

  it('converts to a COG whose footprint is the tilted scene', async () => {
    const [item] = await resolveRasterType(scene.folder, 'Landsat 8', {}, { scratchDir });
    const cog = path.join(dir, 'l8.tif');
    const info = await convertToCog(item.sourcePath, cog, { noData: item.noData });
    expect(info).toMatchObject({ bandCount: 8, dataType: 'UInt16', noData: Array(8).fill(0) });
    const { rings } = await computeFootprint(cog, 32611);
    expect(rings).toHaveLength(1);
    expect(ringBounds(rings[0])).toEqual(ringBounds(scene.validArea));
  });

  it.each([
    ['a bad template', 'Landsat 8', { processingTemplate: 'Hyperspectral' }, /Processing template 'Hyperspectral' is not supported for Landsat 8/],
    ['a pansharpen method GDAL lacks', 'Landsat 8', { processingTemplate: 'Pansharpen', pansharpenType: 'Gram-Schmidt' }, /Gram-Schmidt' is not supported yet/],
    ['malformed weights', 'Landsat 8', { processingTemplate: 'Pansharpen', pansharpenWeights: '0.5, 0.5' }, /four numbers/],
    ['the wrong sensor', 'Landsat 7 ETM+', {}, /LANDSAT_8 scene, not Landsat 7 ETM\+/],
  ])('rejects %s', async (_name, type, props, message) => {
    const error = await resolveRasterType(scene.folder, type, props, { scratchDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RasterTypeError);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects a folder without MTL', async () => {
    const empty = path.join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    await expect(resolveRasterType(empty, 'Landsat 8', {}, { scratchDir })).rejects.toThrow(/no Landsat metadata file/);
  });
});

describe('Landsat 7 ETM+ raster type (real pixels from r-cran-stars)', () => {
  it('stacks the six reflective bands and converts them', async (ctx) => {
    const stars = await fetchStarsLandsat7();
    if (stars.path === null) return ctx.skip(stars.reason);
    const l7 = await makeLandsat7Scene(path.join(dir, 'l7'), stars.path);
    const [item] = await resolveRasterType(l7.folder, 'Landsat 7', {}, { scratchDir });
    expect(item).toMatchObject({
      name: l7.productId,
      bandNames: ['Blue', 'Green', 'Red', 'NearInfrared', 'ShortWaveInfrared_1', 'ShortWaveInfrared_2'],
      attributes: { SensorName: 'Landsat-7-ETM+', ProductName: 'L1TP', AcquisitionDate: Date.UTC(2000, 6, 18, 12, 15, 3, 500), CloudCover: 5 },
    });
    const info = await convertToCog(item.sourcePath, path.join(dir, 'l7.tif'), { noData: item.noData, outSR: 4326 });
    expect(info).toMatchObject({ bandCount: 6, epsg: 4326 });
    await expect(resolveRasterType(l7.folder, 'Landsat 7 ETM+', { processingTemplate: 'Thermal' }, { scratchDir })).rejects.toThrow(/band 6_VCID_1 \(ThermalInfrared_LowGain\) file is missing/);
  });
});
