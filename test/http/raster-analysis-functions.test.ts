import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import gdal from 'gdal-async';
import { describe, expect, it } from 'vitest';
import { gdalCommand, outputRasterPath, readBand, runAnalysisJob, useDemServer } from '../helpers/analysis-server.js';
import { readJson, type ErrorEnvelope } from '../helpers/answers.js';
import { readMasked, type Masked } from '../helpers/masked-raster.js';

let demUrl = '';

const demServer = useDemServer(async (env) => {
  const copy = await runAnalysisJob(env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'fn_dem' });
  if (copy.status !== 'esriJobSucceeded') throw new Error(copy.messages.join('\n'));
  demUrl = copy.results.outputRaster.value.url;
});

/** exportImage of the DEM service with `rule`, on the grid of `like` (nearest neighbour, TIFF). */
async function exportLike(like: Masked, rule: object): Promise<Masked> {
  const gt = like.geoTransform;
  const bbox = [gt[0], gt[3] + gt[5] * like.height, gt[0] + gt[1] * like.width, gt[3]];
  const query = new URLSearchParams({ f: 'image', format: 'tiff', bbox: bbox.join(','), size: `${like.width},${like.height}`, interpolation: 'RSP_NearestNeighbor', noData: '-9999', token: demServer.env.token, renderingRule: JSON.stringify(rule) });
  const response = await fetch(`${demUrl}/exportImage?${query}`);
  const name = `/vsimem/fn-export-${Math.random()}.tif`;
  gdal.vsimem.set(Buffer.from(await response.arrayBuffer()), name);
  try {
    return readMasked(name);
  } finally {
    gdal.vsimem.release(name);
  }
}

function expectSame(actual: Masked, expected: Masked, tolerance = 0): void {
  expect([actual.width, actual.height, actual.bands.length]).toEqual([expected.width, expected.height, expected.bands.length]);
  let mismatched = 0;
  actual.bands.forEach((values, b) => {
    values.forEach((v, i) => {
      const e = expected.bands[b][i];
      if (Number.isNaN(v) !== Number.isNaN(e) || Math.abs(v - e) > tolerance) mismatched++;
    });
  });
  expect(mismatched).toBe(0);
}

function validCount(m: Masked): number {
  return m.bands[0].filter((v) => !Number.isNaN(v)).length;
}

/** Runs GenerateRaster with the chain (its rasters given as the DEM service) and compares it with exportImage. */
async function generateAndCompare(name: string, onTheFly: object, persistedChain: object): Promise<Masked> {
  const { status, messages } = await runAnalysisJob(demServer.env, 'GenerateRaster', { rasterFunction: persistedChain, outputName: name });
  expect(status, messages.join('\n')).toBe('esriJobSucceeded');
  const persisted = readMasked(await outputRasterPath(demServer.env.server, name));
  expectSame(persisted, await exportLike(persisted, onTheFly));
  return persisted;
}

describe('GenerateRaster and exportImage share Clip, Mask, CompositeBand and Local', () => {
  it('Clip keeps the cells inside a polygon (as gdal_rasterize burns it), shrinks to it, and ClipType 2 keeps the outside', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const dem = readBand(demServer.env.dem);
    const [x0, cx, , y0, , cy] = dem.geoTransform;
    // A triangle over the middle of the DEM, in the DEM's own coordinates.
    const ring = [[x0 + 20.3 * cx, y0 + 80.6 * cy], [x0 + 90.2 * cx, y0 + 85.1 * cy], [x0 + 50.7 * cx, y0 + 15.4 * cy], [x0 + 20.3 * cx, y0 + 80.6 * cy]];
    const clip = (type: number, raster: unknown) => ({ rasterFunction: 'Clip', rasterFunctionArguments: { ClippingGeometry: { rings: [ring] }, ClipType: type, Raster: raster } });
    const inside = await generateAndCompare('fn_clip_in', clip(1, '$$'), clip(1, { url: demUrl }));
    expect(inside.width).toBeLessThan(dem.width);
    const outside = await generateAndCompare('fn_clip_out', clip(2, '$$'), clip(2, { url: demUrl }));
    expect([outside.width, outside.height]).toEqual([dem.width, dem.height]);
    // gdal_rasterize burns the same cells (pixel centres inside) on the DEM's grid.
    const shape = path.join(demServer.env.share, 'triangle.geojson');
    await writeFile(shape, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }] }));
    const expected = path.join(demServer.env.share, 'expected-burn.tif');
    const extent = [x0, y0 + cy * dem.height, x0 + cx * dem.width, y0].map(String);
    await gdalCommand('gdal_rasterize', ['-q', '-burn', '1', '-init', '0', '-a_nodata', '0', '-ot', 'Byte', '-te', ...extent, '-ts', String(dem.width), String(dem.height), shape, expected]);
    const gdalInside = readMasked(expected);
    expect(validCount(inside)).toBe(validCount(gdalInside));
    expect(validCount(outside)).toBe(dem.width * dem.height - validCount(gdalInside));
  });

  it('Mask turns listed values and values outside IncludedRanges into no data', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const args = { IncludedRanges: [0, 30], NoDataValues: ['0'], NoDataInterpretation: 0 };
    const masked = await generateAndCompare('fn_mask', { rasterFunction: 'Mask', rasterFunctionArguments: args }, { rasterFunction: 'Mask', rasterFunctionArguments: { ...args, Raster: { url: demUrl } } });
    const dem = readBand(demServer.env.dem);
    const kept = dem.values.filter((v) => v !== dem.noData && v >= 0 && v <= 30 && v !== 0).length;
    expect(validCount(masked)).toBe(kept);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(dem.values.length);
  });

  it('CompositeBand stacks the DEM and its slope; Local sums them band by band, with constants', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const slope = (raster: unknown) => ({ rasterFunction: 'Slope', rasterFunctionArguments: { ZFactor: 1, Raster: raster } });
    const composite = await generateAndCompare(
      'fn_composite',
      { rasterFunction: 'CompositeBand', rasterFunctionArguments: { Rasters: ['$$', slope('$$')] } },
      { rasterFunction: 'CompositeBand', rasterFunctionArguments: { Rasters: [{ url: demUrl }, slope({ url: demUrl })] } },
    );
    expect(composite.bands.length).toBe(2);
    const local = await generateAndCompare(
      'fn_local_mean',
      { rasterFunction: 'Local', rasterFunctionArguments: { Operation: 40, Rasters: ['$$', slope('$$'), 10] } },
      { rasterFunction: 'Local', rasterFunctionArguments: { Operation: 40, Rasters: [{ url: demUrl }, slope({ url: demUrl }), 10] } },
    );
    const i = 55 * local.width + 55;
    expect(local.bands[0][i]).toBeCloseTo((composite.bands[0][i] + composite.bands[1][i] + 10) / 3, 4);
  });

  it('Local adds two different rasters (a file and a service) as the DEM doubled', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, messages } = await runAnalysisJob(demServer.env, 'GenerateRaster', {
      rasterFunction: 'Local',
      functionArguments: { Operation: 1, Rasters: [{ uri: '/data/dem.tif' }, { url: demUrl }] },
      outputName: 'fn_local_plus',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const sum = readMasked(await outputRasterPath(demServer.env.server, 'fn_local_plus'));
    const dem = readMasked(demServer.env.dem);
    expectSame(sum, { ...dem, bands: [dem.bands[0].map((v) => v * 2)] }, 1e-3);
  });

  it('fails naming a bad Local operation or a CompositeBand of constants', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const badOp = await runAnalysisJob(demServer.env, 'GenerateRaster', { rasterFunction: 'Local', functionArguments: { Operation: 999, Rasters: [{ url: demUrl }] }, outputName: 'fn_never' });
    expect(badOp.status).toBe('esriJobFailed');
    expect(badOp.messages.join(' ')).toMatch(/'rasterFunction'.*Operation 999/);
    const response = await fetch(`${demUrl}/exportImage?f=json&bbox=0,0,1,1&renderingRule=${encodeURIComponent(JSON.stringify({ rasterFunction: 'CompositeBand', rasterFunctionArguments: { Rasters: [1, 2] } }))}&token=${demServer.env.token}`);
    expect((await readJson<ErrorEnvelope>(response)).error.details.join(' ')).toMatch(/CompositeBand Rasters must be rasters/);
  });
});
