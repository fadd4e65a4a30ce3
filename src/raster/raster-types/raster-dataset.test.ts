import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBadRasters, type BadRasterFixtures } from '../../../test/fixtures/raster/make-bad-rasters.js';
import { makeGeoTiffs, type GeoTiffFixtures } from '../../../test/fixtures/raster/make-geotiffs.js';
import { makeSentinel2Safe, type Sentinel2Fixture } from '../../../test/fixtures/raster/make-sentinel2-safe.js';
import { RasterError, RasterTypeError } from '../raster-error.js';
import { resolveRasterType } from '../resolve-raster-type.js';

let dir: string;
let scratchDir: string;
let tiffs: GeoTiffFixtures;
let bad: BadRasterFixtures;
let s2: Sentinel2Fixture;
let mixed: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'raster-dataset-type-'));
  scratchDir = path.join(dir, 'scratch');
  await mkdir(scratchDir);
  tiffs = await makeGeoTiffs(dir);
  bad = await makeBadRasters(path.join(dir));
  s2 = await makeSentinel2Safe(dir);
  // A folder of GeoTIFFs plus junk GDAL cannot read: the junk is skipped.
  mixed = path.join(dir, 'mixed');
  await mkdir(mixed);
  await copyFile(tiffs.utmRgb.path, path.join(mixed, 'a.tif'));
  await copyFile(tiffs.wgs84Dem.path, path.join(mixed, 'b.tif'));
  await copyFile(bad.unreadable, path.join(mixed, 'junk.dat'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('Raster Dataset raster type', () => {
  it('gives one item per georeferenced file', async () => {
    const items = await resolveRasterType([tiffs.utmRgb.path, tiffs.mercatorFloat.path], 'Raster Dataset', undefined, { scratchDir });
    expect(items).toEqual([
      { name: 'utm-rgb', sourcePath: tiffs.utmRgb.path, attributes: { ProductName: 'GTiff', SensorName: null, AcquisitionDate: null, Tag: 'Dataset', GroupName: 'utm-rgb' } },
      expect.objectContaining({ name: 'mercator-float', sourcePath: tiffs.mercatorFloat.path }),
    ]);
  });

  it('lists a folder, skipping files GDAL cannot read', async () => {
    const items = await resolveRasterType(mixed, 'Raster Dataset', {}, { scratchDir });
    expect(items.map((i) => i.name)).toEqual(['a', 'b']);
  });

  it('opens each subdataset of a container', async () => {
    const items = await resolveRasterType(s2.mtdPath, 'Raster Dataset', {}, { scratchDir });
    expect(items.map((i) => i.name)).toEqual(['MTD_MSIL1C_EPSG_32632', 'MTD_MSIL1C_EPSG_32632', 'MTD_MSIL1C_EPSG_32632', 'MTD_MSIL1C_EPSG_32632']);
    expect(items.map((i) => i.sourcePath.split(':').slice(-2)[0])).toEqual(['10m', '20m', '60m', 'TCI']);
  });

  it('rejects an image without georeference', async () => {
    const error = await resolveRasterType(bad.ungeoreferenced, 'Raster Dataset', {}, { scratchDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RasterTypeError);
    expect((error as Error).message).toBe('ungeoreferenced.png has no georeference (no geotransform, GCPs or RPCs with a spatial reference), so it cannot be added as a Raster Dataset');
  });

  it('rejects a named file GDAL cannot read', async () => {
    const error = await resolveRasterType(bad.unreadable, 'Raster Dataset', {}, { scratchDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RasterError);
    expect((error as Error).message).toMatch(/unreadable\.tif/);
    expect((error as Error).message).not.toContain(dir);
  });

  it('rejects a folder without rasters', async () => {
    await expect(resolveRasterType(scratchDir, 'Raster Dataset', {}, { scratchDir })).rejects.toThrow(/No raster GDAL can read/);
  });
});
