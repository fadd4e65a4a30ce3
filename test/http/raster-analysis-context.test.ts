import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import { expectSamePixels, gdalCommand, outputRasterPath, readBand, runAnalysisJob, useDemServer } from '../helpers/analysis-server.js';


const demServer = useDemServer();

const DEM_GT = [288776.250000803149305, 89.994067349451157, 0, 9120760.750028736889362, 0, -89.994067349451157];

describe('the context parameter of analysis tasks', () => {
  it('works on the grid of context.extent and context.cellSize, as gdalwarp with the same grid', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const extent = { xmin: 290000, ymin: 9112000, xmax: 297200, ymax: 9119200, spatialReference: { wkid: 31985 } };
    const { status, messages } = await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'ctx_grid', context: { extent, cellSize: 180 } });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const expected = path.join(demServer.env.share, 'expected-ctx-grid.tif');
    await gdalCommand('gdalwarp', ['-q', '-r', 'near', '-tr', '180', '180', '-te', '290000', '9112000', '297200', '9119200', '-te_srs', 'EPSG:31985', demServer.env.dem, expected]);
    const actual = readBand(await outputRasterPath(demServer.env.server, 'ctx_grid'));
    expect([actual.width, actual.height]).toEqual([40, 40]);
    expectSamePixels(actual, readBand(expected));
  });

  it('keeps only the cells inside context.mask', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    // The mask has data on the DEM's left half only.
    await writeRaster(path.join(demServer.env.share, 'left-mask.tif'), { width: 111, height: 111, dataType: 'Byte', noData: 0, srs: 'EPSG:31985', geoTransform: DEM_GT, value: (c) => (c < 55 ? 1 : 0) });
    const { status, messages } = await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'ctx_masked', context: { mask: { uri: '/data/left-mask.tif' } } });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const out = readBand(await outputRasterPath(demServer.env.server, 'ctx_masked'));
    const dem = readBand(demServer.env.dem);
    for (let row = 0; row < 111; row += 10) {
      expect(out.values[row * 111 + 10]).toBe(dem.values[row * 111 + 10]);
      expect(out.values[row * 111 + 100]).toBe(out.noData);
    }
  });

  it('aligns the output grid to context.snapRaster and takes its cell size', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const snapGt = [290013, 150, 0, 9119987, 0, -150];
    await writeRaster(path.join(demServer.env.share, 'snap.tif'), { width: 20, height: 20, dataType: 'Byte', srs: 'EPSG:31985', geoTransform: snapGt, value: () => 1 });
    const { status, messages } = await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'ctx_snapped', context: { snapRaster: { uri: '/data/snap.tif' } } });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const gt = readBand(await outputRasterPath(demServer.env.server, 'ctx_snapped')).geoTransform;
    expect(gt[1]).toBeCloseTo(150, 9);
    for (const [origin, snap] of [[gt[0], snapGt[0]], [gt[3], snapGt[3]]]) {
      const offset = (origin - snap) / 150;
      expect(Math.abs(offset - Math.round(offset))).toBeLessThan(1e-6);
    }
  });

  it('fails naming a malformed context key', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, messages } = await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'ctx_bad', context: { cellSize: -3 } });
    expect(status).toBe('esriJobFailed');
    expect(messages.join(' ')).toMatch(/context\.cellSize/);
  });
});
