import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, describe, expect, it } from 'vitest';
import { cellHasData, readCell, readGrid, readGridFrame, writeGrid, writeGridStrips } from './grid-io.js';

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

describe('readCell and cellHasData', () => {
  it('give each cell what readGrid and readGridFrame give it: nodata, NaN without nodata, and integer nodata', async () => {
    const grid = { width: 5, height: 4, geoTransform: [0, 1, 0, 4, 0, -1], srsWkt: '' };
    const values = Array.from({ length: 20 }, (_, i) => (i % 7 === 3 ? Number.NaN : i * 1.5 - 4));
    const valid = Uint8Array.from({ length: 20 }, (_, i) => (i % 5 === 1 ? 0 : 1));
    await writeGrid(path.join(dir, 'nodata.tif'), grid, [values], 'Float32', valid);
    await writeGrid(path.join(dir, 'int.tif'), grid, [values.map((v) => (Number.isNaN(v) ? 0 : Math.round(v)))], 'Int16', valid);
    const bare = gdal.open(path.join(dir, 'nan.tif'), 'w', 'GTiff', grid.width, grid.height, 1, 'Float32');
    bare.bands.get(1).pixels.write(0, 0, grid.width, grid.height, Float32Array.from(values));
    bare.close();
    for (const name of ['nodata.tif', 'int.tif', 'nan.tif']) {
      const file = path.join(dir, name);
      const [whole, frame] = [await readGrid(file), await readGridFrame(file)];
      for (let i = 0; i < 20; i++) {
        const [col, row] = [i % grid.width, Math.floor(i / grid.width)];
        expect(await readCell(file, col, row)).toEqual(whole.values[i]);
        expect(await cellHasData(file, col, row)).toBe(frame.valid[i] === 1);
      }
      expect(frame.valid.includes(0)).toBe(true);
    }
  });
});
