import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchStarsLandsat7 } from '../../test/fixtures/raster/fetch-stars-landsat7.js';
import { makeBadRasters, type BadRasterFixtures } from '../../test/fixtures/raster/make-bad-rasters.js';
import { makeGeoTiffs, type GeoTiffFixtures } from '../../test/fixtures/raster/make-geotiffs.js';
import { convertToCog } from './convert-to-cog.js';
import type { RasterInfo } from './raster-info.js';
import { toSpatialReference } from './srs-input.js';
import { transformBounds } from './transform-bounds.js';

let dir: string;
let tiffs: GeoTiffFixtures;
let bad: BadRasterFixtures;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'convert-to-cog-'));
  tiffs = await makeGeoTiffs(dir);
  bad = await makeBadRasters(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What makes a file a COG: the COG layout marker, 512 px tiles, and (past 512 px) overviews. */
function expectCog(info: RasterInfo, compression: string): void {
  expect(info.metadataDomains.IMAGE_STRUCTURE).toMatchObject({ LAYOUT: 'COG', COMPRESSION: compression });
  expect(info.blockSize).toEqual({ width: 512, height: 512 });
  if (Math.max(info.width, info.height) > 512) expect(info.overviewCount).toBeGreaterThan(0);
}

async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.startsWith('.cog-'));
}

describe('convertToCog', () => {
  it('reprojects and resamples 8-bit RGB with nodata to Web Mercator', async () => {
    const dst = path.join(dir, 'utm-to-3857.tif');
    const info = await convertToCog(tiffs.utmRgb.path, dst, { outSR: { wkid: 102100 }, cellSize: 2 });
    expectCog(info, 'DEFLATE');
    expect(info.overviewFactors).toEqual([2, 4]);
    expect(info).toMatchObject({ epsg: 3857, bandCount: 3, noData: [0, 0, 0], pixelSizeX: 2 });
    const expected = transformBounds(
      { xmin: 500000, ymin: 3798200, xmax: 502400, ymax: 3800000 },
      toSpatialReference(32611),
      toSpatialReference(3857),
    );
    for (const k of ['xmin', 'ymin', 'xmax', 'ymax'] as const) expect(Math.abs(info.extent![k] - expected[k])).toBeLessThan(3 * 2); // gdalwarp snaps to whole cells
  });

  it('writes integers with DEFLATE + predictor, keeping nodata', async () => {
    const info = await convertToCog(tiffs.wgs84Dem.path, path.join(dir, 'dem-utm.tif'), { outSR: 32611, cellSize: 30 });
    expectCog(info, 'DEFLATE');
    expect(info.metadataDomains.IMAGE_STRUCTURE.PREDICTOR).toBe('2');
    expect(info).toMatchObject({ epsg: 32611, dataType: 'Int16', noData: [-9999] });
  });

  it('writes floats with lossless LERC without warping when nothing asks for it', async () => {
    const info = await convertToCog(tiffs.mercatorFloat.path, path.join(dir, 'float.tif'));
    expectCog(info, 'LERC_DEFLATE');
    expect(info).toMatchObject({ epsg: 3857, width: 160, height: 120, geoTransform: tiffs.mercatorFloat.geoTransform });
    expect(info.noData[0]).toBeNaN();
  });

  it('clips to an extent given in another SR', async () => {
    const clip = transformBounds({ xmin: 500500, ymin: 3798500, xmax: 501500, ymax: 3799500 }, toSpatialReference(32611), toSpatialReference(4326));
    const info = await convertToCog(tiffs.utmRgb.path, path.join(dir, 'clip.tif'), { extent: { ...clip, spatialReference: { wkid: 4326 } } });
    expect(info.epsg).toBe(32611);
    expect(info.extent!.xmin).toBeGreaterThan(500400);
    expect(info.extent!.xmax).toBeLessThan(501600);
  });

  it('uses JPEG for 8-bit RGB without nodata and turns the warp alpha into a mask', async (ctx) => {
    const stars = await fetchStarsLandsat7();
    if (stars.path === null) return ctx.skip(stars.reason);
    const rgb = path.join(dir, 'l7-rgb.tif');
    await promisify(execFile)('gdal_translate', ['-b', '3', '-b', '2', '-b', '1', stars.path, rgb]);
    const info = await convertToCog(rgb, path.join(dir, 'l7-rgb-4326.tif'), { outSR: 4326 });
    expectCog(info, 'YCbCr JPEG');
    expect(info).toMatchObject({ epsg: 4326, bandCount: 3, hasAlpha: false });
    expect(info.bands[0].maskFlags).toEqual(['PER_DATASET']);
  });

  it.each([
    ['kept in place', {}],
    ['reprojected', { outSR: 4326 }],
  ])('turns a source alpha band into the mask when %s', async (_name, options) => {
    const rgba = path.join(dir, 'rgba.tif');
    await promisify(execFile)('gdalwarp', ['-overwrite', '-dstalpha', '-srcnodata', '0', '-dstnodata', 'None', tiffs.utmRgb.path, rgba]);
    const info = await convertToCog(rgba, path.join(dir, `rgba-${Object.keys(options).length}.tif`), options);
    expectCog(info, 'YCbCr JPEG');
    expect(info).toMatchObject({ bandCount: 3, hasAlpha: false });
    expect(info.bands[0].maskFlags).toEqual(['PER_DATASET']);
  });

  it('converts the real Landsat 7 subset (6 bands) keeping its overviews', async (ctx) => {
    const stars = await fetchStarsLandsat7();
    if (stars.path === null) return ctx.skip(stars.reason);
    const info = await convertToCog(stars.path, path.join(dir, 'l7.tif'), { noData: 0 });
    expectCog(info, 'DEFLATE');
    expect(info).toMatchObject({ epsg: 31985, bandCount: 6, width: 349, height: 352, noData: [0, 0, 0, 0, 0, 0] });
  });

  it('refuses to reproject an un-georeferenced image', async () => {
    await expect(convertToCog(bad.ungeoreferenced, path.join(dir, 'x.tif'), { outSR: 3857 })).rejects.toMatchObject({ code: 'RASTER_NOT_GEOREFERENCED' });
    expect(await leftovers()).toEqual([]);
  });

  it('reports a GDAL failure cleanly and leaves nothing behind', async () => {
    const dst = path.join(dir, 'bad-band.tif');
    const error = await convertToCog(tiffs.utmRgb.path, dst, { bands: [7] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RASTER_GDAL_FAILED' });
    expect((error as Error).message).not.toContain(dir);
    expect((error as Error).message.length).toBeGreaterThan(5);
    expect(await readdir(dir)).not.toContain('bad-band.tif');
    expect(await leftovers()).toEqual([]);
  });

  it('stops a running conversion on abort and deletes partial output', async () => {
    // A VRT blowing the small RGB up to 24000 × 18000 px: cheap to write, slow to convert.
    const big = path.join(dir, 'big.vrt');
    await promisify(execFile)('gdal_translate', ['-of', 'VRT', '-outsize', '24000', '18000', tiffs.utmRgb.path, big]);
    const dst = path.join(dir, 'big-cog.tif');
    const controller = new AbortController();
    let progressed = false;
    const started = Date.now();
    const running = convertToCog(big, dst, { outSR: 3857, onProgress: () => (progressed = true) }, controller.signal);
    setTimeout(() => controller.abort(), 1500);
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(progressed).toBe(true);
    expect(await readdir(dir)).not.toContain('big-cog.tif');
    expect(await leftovers()).toEqual([]);
  });
});
