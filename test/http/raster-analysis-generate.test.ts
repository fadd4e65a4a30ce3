import path from 'node:path';
import gdal from 'gdal-async';
import { describe, expect, it } from 'vitest';
import { expectSamePixels, gdalCommand, outputRasterPath, readBand, runAnalysisJob, useDemServer, type Band } from '../helpers/analysis-server.js';

let demUrl = '';

const demServer = useDemServer(async (env) => {
  const copy = await runAnalysisJob(env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'olinda_dem' });
  if (copy.status !== 'esriJobSucceeded') throw new Error(copy.messages.join('\n'));
  demUrl = copy.results.outputRaster.value.url;
});

/** exportImage of a service at the DEM's own grid (111×111 cells), as TIFF values. */
async function exportAtDemGrid(serviceUrl: string, rule?: object): Promise<Band> {
  const dem = readBand(demServer.env.dem);
  const gt = dem.geoTransform;
  const bbox = [gt[0], gt[3] + gt[5] * dem.height, gt[0] + gt[1] * dem.width, gt[3]];
  const query = new URLSearchParams({ f: 'image', format: 'tiff', bbox: bbox.join(','), size: `${dem.width},${dem.height}`, interpolation: 'RSP_NearestNeighbor', token: demServer.env.token, ...(rule ? { renderingRule: JSON.stringify(rule) } : {}) });
  const response = await fetch(`${serviceUrl}/exportImage?${query}`);
  const name = `/vsimem/export-${Math.random()}.tif`;
  gdal.vsimem.set(Buffer.from(await response.arrayBuffer()), name);
  try {
    return readBand(name);
  } finally {
    gdal.vsimem.release(name);
  }
}

describe('GenerateRaster over HTTP', () => {
  it('persists Hillshade pixel for pixel as exportImage draws it on the fly', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const rule = { rasterFunction: 'Hillshade', rasterFunctionArguments: { Azimuth: 315, Altitude: 45, ZFactor: 3 } };
    const { status, results, messages } = await runAnalysisJob(demServer.env, 'GenerateRaster', {
      rasterFunction: 'Hillshade',
      functionArguments: { ...rule.rasterFunctionArguments, Raster: { url: demUrl } },
      outputName: 'olinda_hillshade',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const persisted = readBand(await outputRasterPath(demServer.env.server, 'olinda_hillshade'));
    const onTheFly = await exportAtDemGrid(demUrl, rule);
    expectSamePixels({ ...persisted, noData: null }, { ...onTheFly, geoTransform: persisted.geoTransform, noData: null });
    // And the new service draws its stored pixels back unchanged.
    const served = await exportAtDemGrid(results.outputRaster.value.url);
    expectSamePixels({ ...served, geoTransform: persisted.geoTransform, noData: null }, { ...persisted, noData: null });
  });

  it('runs a function chain (Slope → Remap) given as JSON, with the raster inside it', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const chain = {
      rasterFunction: 'Remap',
      rasterFunctionArguments: {
        InputRanges: [0, 2, 2, 5, 5, 90],
        OutputValues: [1, 2, 3],
        Raster: { rasterFunction: 'Slope', rasterFunctionArguments: { ZFactor: 1, Raster: { uri: '/data/dem.tif' } } },
      },
    };
    const { status, messages } = await runAnalysisJob(demServer.env, 'GenerateRaster', { rasterFunction: chain, outputName: 'olinda_slope_classes' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const classes = readBand(await outputRasterPath(demServer.env.server, 'olinda_slope_classes'));
    expect(new Set(classes.values)).toEqual(new Set([1, 2, 3]));
    // Slope against gdaldem on the same DEM. Tolerance 0.1°: the functions measure cells on the
    // ground (great-circle metres, as exportImage does; ~0.2 % off the grid's 89.994 m here),
    // where gdaldem takes the grid's own cell size.
    const { status: slopeStatus } = await runAnalysisJob(demServer.env, 'GenerateRaster', { rasterFunction: 'Slope', functionArguments: { Raster: { uri: '/data/dem.tif' } }, outputName: 'olinda_slope' });
    expect(slopeStatus).toBe('esriJobSucceeded');
    const expected = path.join(demServer.env.share, 'expected-slope.tif');
    await gdalCommand('gdaldem', ['slope', '-q', demServer.env.dem, expected]);
    const slope = readBand(await outputRasterPath(demServer.env.server, 'olinda_slope'));
    const baseline = readBand(expected);
    // gdaldem leaves the outer ring of cells as nodata (no full 3×3 window): compare the interior.
    const interior = (band: Band) => ({ ...band, noData: null, values: band.values.map((v, i) => (baseline.values[i] === baseline.noData ? 0 : v)) });
    expectSamePixels(interior(slope), interior(baseline), 0.1);
  });

  it('fails naming an unknown function or a missing raster', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const unknown = await runAnalysisJob(demServer.env, 'GenerateRaster', { rasterFunction: 'Teleport', functionArguments: { Raster: { uri: '/data/dem.tif' } }, outputName: 'never_generated' });
    expect(unknown.status).toBe('esriJobFailed');
    expect(unknown.messages.join(' ')).toMatch(/'rasterFunction'.*Teleport.*not supported/);
    const noRaster = await runAnalysisJob(demServer.env, 'GenerateRaster', { rasterFunction: 'Slope', functionArguments: {}, outputName: 'never_generated' });
    expect(noRaster.status).toBe('esriJobFailed');
    expect(noRaster.messages.join(' ')).toMatch(/"Raster"/);
  });
});
