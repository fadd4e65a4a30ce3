import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, describe, expect, it } from 'vitest';
import { writeGrid, writeGridStrips } from './grid-io.js';

const dir = await mkdtemp(path.join(tmpdir(), 'tessera-grid-io-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every level's pixels, the full resolution first. */
function levels(file: string): number[][] {
  const dataset = gdal.open(file);
  try {
    const band = dataset.bands.get(1);
    const read = (b: gdal.RasterBand) => [...(b.pixels.read(0, 0, b.size.x, b.size.y) as Int32Array)];
    return [read(band), ...Array.from({ length: band.overviews.count() }, (_, k) => read(band.overviews.get(k)))];
  } finally {
    dataset.close();
  }
}

describe('writeGridStrips', () => {
  it('writes the pixels and overviews writeGrid writes, on a grid whose strips and levels do not divide it', async () => {
    // Odd sizes: the last strip is short and the overview sides round up (two levels here).
    const grid = { width: 1030, height: 777, geoTransform: [0, 1, 0, 777, 0, -1], srsWkt: '' };
    const values = new Int32Array(grid.width * grid.height);
    for (let i = 0; i < values.length; i++) values[i] = (i * 7919) % 1000;
    await writeGrid(path.join(dir, 'whole.tif'), grid, [values], 'Int32');
    await writeGridStrips(path.join(dir, 'strips.tif'), grid, 'Int32', async (strip, firstRow) => strip.set(values.subarray(firstRow * grid.width, firstRow * grid.width + strip.length)));
    const whole = levels(path.join(dir, 'whole.tif'));
    expect(whole).toHaveLength(3);
    expect(levels(path.join(dir, 'strips.tif'))).toEqual(whole);
  });
});
