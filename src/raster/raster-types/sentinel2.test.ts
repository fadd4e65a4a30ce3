import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSentinel2Safe, type Sentinel2Fixture } from '../../../test/fixtures/raster/make-sentinel2-safe.js';
import { computeFootprint } from '../compute-footprint.js';
import { convertToCog } from '../convert-to-cog.js';
import { inspectRaster } from '../inspect-raster.js';
import { resolveRasterType } from '../resolve-raster-type.js';

let dir: string;
let scratchDir: string;
let s2: Sentinel2Fixture;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sentinel2-type-'));
  scratchDir = path.join(dir, 'scratch');
  await mkdir(scratchDir);
  s2 = await makeSentinel2Safe(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const PRODUCT = 'S2A_MSIL1C_20230601T103031_N0509_R108_T32TQM_20230601T141506';

describe('Sentinel-2 raster type', () => {
  it.each([
    ['the .SAFE folder', () => s2.folder],
    ['MTD_MSIL1C.xml', () => s2.mtdPath],
    ['the folder holding products', () => dir],
  ])('reads an L1C product from %s', async (_name, input) => {
    const items = await resolveRasterType(input(), 'Sentinel-2', undefined, { scratchDir });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: PRODUCT,
      sourcePath: `SENTINEL2_L1C:${s2.mtdPath}:10m:EPSG_32632`,
      bandNames: ['B4', 'B3', 'B2', 'B8'],
      noData: 0,
      attributes: {
        ProductName: 'L1C',
        SensorName: 'Sentinel-2A',
        AcquisitionDate: Date.UTC(2023, 5, 1, 10, 30, 31, 24),
        CloudCover: 12.5,
        SunAzimuth: 141.6392,
        Tag: 'MS-10m',
        GroupName: PRODUCT,
        TileId: '32TQM',
        ProcessingBaseline: '05.09',
        RelativeOrbit: 108,
      },
    });
    expect(items[0].attributes.SunElevation).toBeCloseTo(61.5785, 6);
  });

  it.each([
    ['Multispectral-20m', ':20m:EPSG_32632', ['B5', 'B6', 'B7', 'B8A', 'B11', 'B12']],
    ['Multispectral-60m', ':60m:EPSG_32632', ['B1', 'B9', 'B10']],
    ['Natural Color', ':TCI:EPSG_32632', 3],
  ])('template %s opens subdataset %s', async (template, suffix, bands) => {
    const [item] = await resolveRasterType(s2.folder, 'Sentinel-2', { processingTemplate: template }, { scratchDir });
    expect(item.sourcePath.endsWith(suffix)).toBe(true);
    if (Array.isArray(bands)) expect(item.bandNames).toEqual(bands);
    else expect(item.bandNames).toHaveLength(bands);
  });

  it('stacks all 13 bands at 10 m for All Bands', async () => {
    const [item] = await resolveRasterType(s2.folder, 'Sentinel-2', { processingTemplate: 'All Bands' }, { scratchDir });
    expect(item.bandNames).toEqual(['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B08', 'B8A', 'B09', 'B10', 'B11', 'B12']);
    expect(await inspectRaster(item.sourcePath)).toMatchObject({ bandCount: 13, width: 120, height: 120, pixelSizeX: 10, epsg: 32632 });
  });

  it('converts the 10 m bands to a COG with the swath-edge corner as nodata', async () => {
    const [item] = await resolveRasterType(s2.folder, 'Sentinel-2', {}, { scratchDir });
    const cog = path.join(dir, 's2.tif');
    const info = await convertToCog(item.sourcePath, cog, { noData: item.noData, outSR: 3857 });
    expect(info).toMatchObject({ bandCount: 4, dataType: 'UInt16', epsg: 3857, noData: [0, 0, 0, 0] });
    const { rings } = await computeFootprint(cog, 32632);
    const expected = gdal.Geometry.fromGeoJson({ type: 'Polygon', coordinates: [[...s2.validArea, s2.validArea[0]]] });
    const got = gdal.Geometry.fromGeoJson({ type: 'Polygon', coordinates: rings });
    expect((got.intersection(expected) as gdal.Polygon).getArea() / (got.union(expected) as gdal.Polygon).getArea()).toBeGreaterThan(0.97);
  });

  it.each([
    ['a bad template', () => s2.folder, { processingTemplate: 'SWIR' }, /'SWIR' is not supported for Sentinel-2/],
    ['a folder that is no product', () => scratchDir, {}, /is not a Sentinel-2 product/],
  ])('rejects %s', async (_name, input, props, message) => {
    await expect(resolveRasterType(input(), 'Sentinel-2', props, { scratchDir })).rejects.toThrow(message);
  });
});
