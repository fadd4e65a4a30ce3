import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRaster } from '../../test/fixtures/raster/write-raster.js';
import { openViewshedSurface, viewshedByCommand, type ViewshedParams } from './gdal-viewshed.js';

let dir: string;
let dem: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'viewshed-'));
  dem = await writeRaster(path.join(dir, 'dem.tif'), {
    width: 300,
    height: 240,
    dataType: 'Float32',
    srs: 'EPSG:32611',
    geoTransform: [500000, 10, 0, 4120000, 0, -10],
    value: (c, r) => 500 + 80 * Math.sin(c / 17) * Math.cos(r / 23) + 0.1 * c,
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const CASES: Array<[string, ViewshedParams]> = [
  ['NORMAL over the whole surface', { x: 500905, y: 4118795, height: 10, target: 0, mode: 'NORMAL', visible: 1, invisible: 0, outOfRange: 0 }],
  ['NORMAL within a maximum distance', { x: 502005, y: 4118005, height: 4, target: 2, maxDistance: 700, mode: 'NORMAL', visible: 1, invisible: 0, outOfRange: 0 }],
  ['GROUND within a maximum distance', { x: 501505, y: 4118505, height: 6, target: 0, maxDistance: 900, mode: 'GROUND' }],
];

describe('viewsheds in this process', () => {
  it.each(CASES)('%s: the same window and cells as the gdal_viewshed command', async (_, params) => {
    const surface = await openViewshedSurface(dem);
    // The C API is reached wherever gdal-async uses a shared libgdal (as setup.sh builds it).
    expect(surface).toBeDefined();
    try {
      const signal = new AbortController().signal;
      const inProcess = await surface!.viewshed(params, signal);
      const command = await viewshedByCommand(dem, params, path.join(dir, `${params.mode}-${params.maxDistance ?? 0}.tif`), signal);
      expect({ ...inProcess, values: undefined }).toEqual({ ...command, values: undefined });
      expect(Array.from(inProcess.values)).toEqual(Array.from(command.values));
      expect(new Set(inProcess.values).size).toBeGreaterThan(1);
    } finally {
      surface!.close();
    }
  });

  it('sees a cancel before it starts', async () => {
    const surface = (await openViewshedSurface(dem))!;
    try {
      const controller = new AbortController();
      controller.abort();
      await expect(surface.viewshed(CASES[0][1], controller.signal)).rejects.toThrow(/abort/i);
    } finally {
      surface.close();
    }
  });
});
