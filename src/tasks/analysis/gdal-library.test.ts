import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, describe, expect, it } from 'vitest';
import { writeScaledResult } from './gdal-library.js';
import { readGrid, writeGrid } from './hydrology/grid.js';

const dir = await mkdtemp(path.join(tmpdir(), 'tessera-gdal-library-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Band 1's cells as their Float32 bit patterns, its NoData value and overview count. */
function bits(file: string): { cells: Uint32Array; noData: number | null; overviews: number } {
  const dataset = gdal.open(file);
  try {
    const band = dataset.bands.get(1);
    const cells = new Float32Array(band.size.x * band.size.y);
    band.pixels.read(0, 0, band.size.x, band.size.y, cells);
    return { cells: new Uint32Array(cells.buffer), noData: band.noDataValue, overviews: band.overviews.count() };
  } finally {
    dataset.close();
  }
}

describe('writeScaledResult', () => {
  // An engine's Float32 output with masked cells, on a grid large enough for overviews.
  const grid = { width: 700, height: 530, geoTransform: [288776.25, 4.99, 0, 9120760.75, 0, -4.99], srsWkt: gdal.SpatialReference.fromEPSG(32725).toWKT() };
  const values = new Float64Array(grid.width * grid.height);
  for (let i = 0; i < values.length; i++) values[i] = i % 97 === 0 ? NaN : Math.fround(1 + ((i * 7919) % 100_003) / 7.3);

  it.each([
    ['per-cell density to per km² (masked cells 0)', 1e6 / 9.98 ** 2, 0, 'zero'],
    ['accumulation less the cell itself (masked cells NoData)', 1, -1, 'noData'],
  ] as const)('writes the bits the worker loop wrote: %s', async (_, scale, offset, masked) => {
    const source = path.join(dir, `engine-${masked}.tif`);
    await writeGrid(source, grid, values, 'Float32', true);
    const loop = (await readGrid(source)).values;
    for (let i = 0; i < loop.length; i++) loop[i] = Number.isNaN(loop[i]!) ? (masked === 'zero' ? 0 : NaN) : loop[i]! * scale + offset;
    await writeGrid(path.join(dir, `loop-${masked}.tif`), grid, loop, 'Float32');
    await writeScaledResult(source, grid, scale, offset, masked, path.join(dir, `scaled-${masked}.tif`), new AbortController().signal);
    const expected = bits(path.join(dir, `loop-${masked}.tif`));
    const actual = bits(path.join(dir, `scaled-${masked}.tif`));
    expect(actual.noData).toBe(expected.noData);
    expect(actual.overviews).toBeGreaterThan(0);
    expect(Buffer.from(actual.cells.buffer).equals(Buffer.from(expected.cells.buffer))).toBe(true);
  });
});
