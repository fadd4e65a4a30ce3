import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBadRasters, type BadRasterFixtures } from '../../test/fixtures/raster/make-bad-rasters.js';
import { makeGeoTiffs, type GeoTiffFixtures } from '../../test/fixtures/raster/make-geotiffs.js';
import { makeSentinel2Safe, type Sentinel2Fixture } from '../../test/fixtures/raster/make-sentinel2-safe.js';
import { makeUavFrames, type UavFramesFixture } from '../../test/fixtures/raster/make-uav-frames.js';
import { inspectRaster } from './inspect-raster.js';
import { RasterError } from './raster-error.js';

let dir: string;
let tiffs: GeoTiffFixtures;
let bad: BadRasterFixtures;
let uav: UavFramesFixture;
let s2: Sentinel2Fixture;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'inspect-raster-'));
  tiffs = await makeGeoTiffs(dir);
  bad = await makeBadRasters(dir);
  uav = await makeUavFrames(dir);
  s2 = await makeSentinel2Safe(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('inspectRaster', () => {
  it.each([
    {
      fixture: 'utmRgb' as const,
      expected: {
        name: 'utm-rgb.tif',
        driver: 'GTiff',
        width: 240,
        height: 180,
        bandCount: 3,
        dataType: 'Byte',
        pixelType: 'U8',
        epsg: 32611,
        pixelSizeX: 10,
        pixelSizeY: 10,
        extent: { xmin: 500000, ymin: 3798200, xmax: 502400, ymax: 3800000 },
        noData: [0, 0, 0],
        overviewCount: 2,
        overviewFactors: [2, 4],
        blockSize: { width: 64, height: 64 },
        isGeoreferenced: true,
      },
    },
    {
      fixture: 'wgs84Dem' as const,
      expected: { dataType: 'Int16', pixelType: 'S16', epsg: 4326, noData: [-9999], overviewCount: 0, pixelSizeX: 0.001, isGeoreferenced: true },
    },
    {
      fixture: 'mercatorFloat' as const,
      expected: { dataType: 'Float32', pixelType: 'F32', epsg: 3857, noData: [Number.NaN], extent: { xmin: 1000000, ymin: 5996400, xmax: 1004800, ymax: 6000000 } },
    },
  ])('reads $fixture', async ({ fixture, expected }) => {
    const info = await inspectRaster(tiffs[fixture].path);
    expect(info).toMatchObject(expected);
    expect(info.srsWkt).toMatch(/^PROJCRS|^GEOGCRS/);
    expect(info.geoTransform).toEqual(tiffs[fixture].geoTransform);
  });

  it('reads EXIF from a drone JPEG and reports it as not georeferenced', async () => {
    const info = await inspectRaster(uav.frames[0].path);
    expect(info).toMatchObject({ driver: 'JPEG', width: 400, height: 300, bandCount: 3, isGeoreferenced: false, geoTransform: null, epsg: null });
    expect(info.metadata).toMatchObject({ EXIF_GPSLatitudeRef: 'N', EXIF_GPSLongitudeRef: 'W', EXIF_Make: 'DJI', EXIF_FocalLength: '(8.8)' });
  });

  it('lists the subdatasets of a Sentinel-2 product', async () => {
    const info = await inspectRaster(s2.mtdPath);
    expect(info.bandCount).toBe(0);
    expect(info.subdatasets.map((s) => s.name.replace(/^.*:(\w+:EPSG_\d+)$/, '$1'))).toEqual(['10m:EPSG_32632', '20m:EPSG_32632', '60m:EPSG_32632', 'TCI:EPSG_32632']);
  });

  it('rejects an unreadable file without leaking its folder', async () => {
    const error = await inspectRaster(bad.unreadable).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RasterError);
    expect(error).toMatchObject({ code: 'RASTER_UNREADABLE' });
    expect((error as Error).message).toContain('unreadable.tif');
    expect((error as Error).message).not.toContain(dir);
  });

  it('rejects a missing file', async () => {
    await expect(inspectRaster(path.join(dir, 'missing.tif'))).rejects.toMatchObject({ code: 'RASTER_UNREADABLE' });
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(inspectRaster(tiffs.utmRgb.path, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads an un-georeferenced image', async () => {
    expect(await inspectRaster(bad.ungeoreferenced)).toMatchObject({ driver: 'PNG', isGeoreferenced: false, extent: null, pixelSizeX: null });
  });
});
