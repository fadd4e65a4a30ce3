import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGeoTiffs, type GeoTiffFixtures } from '../../test/fixtures/raster/make-geotiffs.js';
import { writeRaster } from '../../test/fixtures/raster/write-raster.js';
import { RasterTypeError } from './raster-error.js';
import { resolveRasterType } from './resolve-raster-type.js';

let dir: string;
let tiffs: GeoTiffFixtures;
let zy3Scene: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'resolve-raster-type-'));
  tiffs = await makeGeoTiffs(dir);
  // ZY3 Level-1 scenes: a TIFF named after satellite, sensor and centre, with RPCs beside it.
  zy3Scene = await writeRaster(path.join(dir, 'ZY3_MUX_E116.5_N39.9_20130112_L1A0000978652.tiff'), { width: 8, height: 8, value: () => 1 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('resolveRasterType', () => {
  it.each([
    ['an unknown type', () => tiffs.utmRgb.path, 'Hyperion', "Unknown raster type 'Hyperion'"],
    ['a known type not ingested yet', () => tiffs.utmRgb.path, 'worldview-3', 'The WorldView-3 raster type is not supported yet'],
    ['ZY3 on a ZY3 scene without RPCs', () => zy3Scene, 'ZY3-SASMAC', 'ZY3_MUX_E116.5_N39.9_20130112_L1A0000978652.tiff has no RPCs: a ZY3 Level-1 image needs its _rpc.txt or .rpb file beside it'],
    ['ZY3 on a folder holding one', () => dir, 'ZY3-CRESDA', 'ZY3_MUX_E116.5_N39.9_20130112_L1A0000978652.tiff has no RPCs: a ZY3 Level-1 image needs its _rpc.txt or .rpb file beside it'],
    ['ZY3 on something else', () => tiffs.utmRgb.path, 'ZY3-CRESDA', 'utm-rgb.tif is not a ZY3 product (no ZY3 MUX, NAD, FWD or BWD images found) for the ZY3-CRESDA raster type'],
    ['a missing input', () => path.join(dir, 'nope.tif'), 'Raster Dataset', 'Input nope.tif does not exist'],
  ])('rejects %s', async (_name, input, type, message) => {
    const error = await resolveRasterType(input(), type, {}, { scratchDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RasterTypeError);
    expect((error as Error).message).toBe(message);
  });

  it('rejects an empty input list', async () => {
    await expect(resolveRasterType([], 'Raster Dataset', {}, { scratchDir: dir })).rejects.toThrow('No input rasters were given');
  });

  it('stops before work when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(resolveRasterType(tiffs.utmRgb.path, 'Raster Dataset', {}, { scratchDir: dir, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('accepts type names in any spelling', async () => {
    const items = await resolveRasterType(tiffs.utmRgb.path, 'raster dataset', {}, { scratchDir: dir });
    expect(items.map((i) => i.name)).toEqual(['utm-rgb']);
  });
});
