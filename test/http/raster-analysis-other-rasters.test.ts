import path from 'node:path';
import gdal from 'gdal-async';
import { describe, expect, it } from 'vitest';
import { gdalCommand, outputRasterPath, runAnalysisJob, useDemServer } from '../helpers/analysis-server.js';
import { readJson, type ErrorEnvelope } from '../helpers/answers.js';
import { readMasked, type Masked } from '../helpers/masked-raster.js';

/**
 * Rules that read another raster: Clip's `ClippingRaster`, and `Raster`/`Rasters` given as another
 * image service (`{"url"}`, the URL as text, `{"itemId"}`), drawn on the fly by exportImage and
 * persisted by GenerateRaster, both compared with what gdalwarp makes of the same rasters.
 */
let demUrl = '';
let twinUrl = '';
let twinItemId = '';
let clipUrl = '';
let clipFile = '';

const demServer = useDemServer(async (env) => {
  clipFile = writeClippingRaster(env.dem, path.join(env.share, 'clip.tif'));
  for (const [name, uri] of [['or_dem', '/data/dem.tif'], ['or_twin', '/data/dem.tif'], ['or_clip', '/data/clip.tif']]) {
    const copy = await runAnalysisJob(env, 'CopyRaster', { inputRaster: { uri }, outputName: name });
    if (copy.status !== 'esriJobSucceeded') throw new Error(copy.messages.join('\n'));
    const value = copy.results.outputRaster.value as { url: string; itemId: string };
    if (name === 'or_dem') demUrl = value.url;
    if (name === 'or_twin') [twinUrl, twinItemId] = [value.url, value.itemId];
    if (name === 'or_clip') clipUrl = value.url;
  }
}, 300_000);

/**
 * A Byte raster over part of the DEM, its grid offset by 0.3 cell, valid (1) but for a hole of
 * no data (0): the footprint a ClippingRaster clips to.
 */
function writeClippingRaster(demFile: string, file: string): string {
  const dem = gdal.open(demFile);
  const [x0, cx, , y0, , cy] = dem.geoTransform!;
  const [width, height] = [60, 50];
  const out = gdal.open(file, 'w', 'GTiff', width, height, 1, gdal.GDT_Byte);
  out.geoTransform = [x0 + 20.3 * cx, cx, 0, y0 + 30.3 * cy, 0, cy];
  out.srs = dem.srs;
  const values = new Uint8Array(width * height).fill(1);
  for (let r = 10; r < 20; r++) values.fill(0, r * width + 15, r * width + 35);
  const band = out.bands.get(1);
  band.noDataValue = 0;
  band.pixels.write(0, 0, width, height, values);
  out.close();
  dem.close();
  return file;
}

/** exportImage of `serviceUrl` with `rule` on the grid of `like` (nearest neighbour, TIFF); the error envelope when it fails. */
async function exportLike(serviceUrl: string, like: Masked, rule: object): Promise<Masked | ErrorEnvelope> {
  const gt = like.geoTransform;
  const bbox = [gt[0], gt[3] + gt[5] * like.height, gt[0] + gt[1] * like.width, gt[3]];
  const query = new URLSearchParams({ f: 'image', format: 'tiff', bbox: bbox.join(','), size: `${like.width},${like.height}`, interpolation: 'RSP_NearestNeighbor', noData: '-9999', token: demServer.env.token, renderingRule: JSON.stringify(rule) });
  const response = await fetch(`${serviceUrl}/exportImage?${query}`);
  if (!(response.headers.get('content-type') ?? '').includes('tif')) return readJson<ErrorEnvelope>(response);
  const name = `/vsimem/or-export-${Math.random()}.tif`;
  gdal.vsimem.set(Buffer.from(await response.arrayBuffer()), name);
  try {
    return readMasked(name);
  } finally {
    gdal.vsimem.release(name);
  }
}

async function exportOk(serviceUrl: string, like: Masked, rule: object): Promise<Masked> {
  const answer = await exportLike(serviceUrl, like, rule);
  if ('error' in answer) throw new Error(JSON.stringify(answer.error));
  return answer;
}

function mismatches(actual: Masked, expected: Masked, tolerance = 0): number {
  expect([actual.width, actual.height, actual.bands.length]).toEqual([expected.width, expected.height, expected.bands.length]);
  let mismatched = 0;
  actual.bands.forEach((values, b) => {
    values.forEach((v, i) => {
      const e = expected.bands[b]![i]!;
      if (Number.isNaN(v) !== Number.isNaN(e) || Math.abs(v - e) > tolerance) mismatched++;
    });
  });
  return mismatched;
}

const valid = (m: Masked): number => m.bands[0]!.filter((v) => !Number.isNaN(v)).length;

/** The DEM where gdalwarp puts valid pixels of the clipping raster on the DEM's grid (ClipType 1), or elsewhere (2). */
async function gdalClip(type: 1 | 2): Promise<Masked> {
  const dem = readMasked(demServer.env.dem);
  const [x0, cx, , y0, , cy] = dem.geoTransform;
  const warped = path.join(demServer.env.share, `clip-on-dem-${type}.tif`);
  const extent = [x0, y0 + cy * dem.height, x0 + cx * dem.width, y0].map(String);
  await gdalCommand('gdalwarp', ['-q', '-overwrite', '-r', 'near', '-dstalpha', '-te', ...extent, '-ts', String(dem.width), String(dem.height), clipFile, warped]);
  const footprint = readMasked(warped).bands[0]!;
  const keep = (i: number) => (type === 1) === !Number.isNaN(footprint[i]!);
  return { ...dem, bands: [dem.bands[0]!.map((v, i) => (keep(i) ? v : Number.NaN))] };
}

describe('Clip with a ClippingRaster', () => {
  it('keeps the DEM where the clipping raster has valid pixels, on the fly and persisted, as gdalwarp places them', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const expected = await gdalClip(1);
    expect(valid(expected)).toBeGreaterThan(0);
    expect(valid(expected)).toBeLessThan(60 * 50);
    const rule = (raster: unknown) => ({ rasterFunction: 'Clip', rasterFunctionArguments: { ClippingType: 1, ClippingRaster: { url: clipUrl }, Raster: raster } });
    expect(mismatches(await exportOk(demUrl, expected, rule('$$')), expected)).toBe(0);

    const { status, messages } = await runAnalysisJob(demServer.env, 'GenerateRaster', { rasterFunction: rule({ url: demUrl }), outputName: 'or_clipped' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const persisted = readMasked(await outputRasterPath(demServer.env.server, 'or_clipped'));
    // Shrunk to the clipping raster's valid cells: the same cells as the window of the DEM grid.
    expect(persisted.width).toBeLessThan(expected.width);
    const col0 = Math.round((persisted.geoTransform[0]! - expected.geoTransform[0]!) / expected.geoTransform[1]!);
    const row0 = Math.round((persisted.geoTransform[3]! - expected.geoTransform[3]!) / expected.geoTransform[5]!);
    const window = new Float64Array(persisted.width * persisted.height);
    for (let r = 0; r < persisted.height; r++) for (let c = 0; c < persisted.width; c++) window[r * persisted.width + c] = expected.bands[0]![(r + row0) * expected.width + c + col0]!;
    expect(mismatches(persisted, { ...persisted, bands: [window] })).toBe(0);
    expect(valid(persisted)).toBe(valid(expected));
    // And the on-the-fly rendering on the persisted grid is the persisted raster.
    expect(mismatches(await exportOk(demUrl, persisted, rule('$$')), persisted)).toBe(0);
  });

  it('ClippingType 2 keeps the rest; a ClippingRaster that is a function of the raster clips to its own valid cells', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const expected = await gdalClip(2);
    const outside = await exportOk(demUrl, expected, { rasterFunction: 'Clip', rasterFunctionArguments: { ClippingType: 2, ClippingRaster: clipUrl } });
    expect(mismatches(outside, expected)).toBe(0);
    // Mask keeps 0…30 m; clipping the DEM by that masked DEM leaves those cells only.
    const masked = { rasterFunction: 'Mask', rasterFunctionArguments: { IncludedRanges: [0, 30], NoDataInterpretation: 0 } };
    const dem = readMasked(demServer.env.dem);
    const self = await exportOk(demUrl, dem, { rasterFunction: 'Clip', rasterFunctionArguments: { ClippingType: 1, ClippingRaster: masked } });
    expect(mismatches(self, { ...dem, bands: [dem.bands[0]!.map((v) => (v >= 0 && v <= 30 ? v : Number.NaN))] })).toBe(0);
  });

  it('fails naming a ClippingRaster that cannot be read', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const failed = await runAnalysisJob(demServer.env, 'GenerateRaster', {
      rasterFunction: { rasterFunction: 'Clip', rasterFunctionArguments: { ClippingRaster: { uri: '/data/missing.tif' }, Raster: { url: demUrl } } },
      outputName: 'or_never',
    });
    expect(failed.status).toBe('esriJobFailed');
    expect(failed.messages.join(' ')).toMatch(/missing\.tif/);
    const constant = await exportLike(demUrl, readMasked(demServer.env.dem), { rasterFunction: 'Clip', rasterFunctionArguments: { ClippingRaster: 3 } });
    expect('error' in constant && constant.error.details.join(' ')).toMatch(/ClippingRaster must be a raster/);
  });
});

describe('Rasters given as another image service', () => {
  it('exportImage adds another service ({"url"}, the URL as text, {"itemId"}) to its own pixels, as GenerateRaster does', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const dem = readMasked(demServer.env.dem);
    const doubled = { ...dem, bands: [dem.bands[0]!.map((v) => v * 2)] };
    for (const other of [{ url: twinUrl }, twinUrl, { itemId: twinItemId }]) {
      const sum = await exportOk(demUrl, dem, { rasterFunction: 'Local', rasterFunctionArguments: { Operation: 1, Rasters: ['$$', other] } });
      expect(mismatches(sum, doubled, 1e-3), JSON.stringify(other)).toBe(0);
    }
    // CompositeBand of the service and its twin given by URL text, persisted: two equal bands.
    const { status, messages } = await runAnalysisJob(demServer.env, 'GenerateRaster', { rasterFunction: 'CompositeBand', functionArguments: { Rasters: [demUrl, twinUrl] }, outputName: 'or_stack' });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const stack = readMasked(await outputRasterPath(demServer.env.server, 'or_stack'));
    expect(mismatches(stack, { ...dem, bands: [dem.bands[0]!, dem.bands[0]!] })).toBe(0);
    expect(mismatches(await exportOk(demUrl, stack, { rasterFunction: 'CompositeBand', rasterFunctionArguments: { Rasters: ['$$', twinUrl] } }), stack)).toBe(0);
    // identify with the rule: the service's value plus its twin's at a cell centre.
    const [x0, cx, , y0, , cy] = dem.geoTransform;
    const [col, row] = [40, 60];
    const rule = { rasterFunction: 'Local', rasterFunctionArguments: { Operation: 1, Rasters: ['$$', { url: twinUrl }] } };
    const query = new URLSearchParams({ f: 'json', geometryType: 'esriGeometryPoint', geometry: JSON.stringify({ x: x0 + (col + 0.5) * cx, y: y0 + (row + 0.5) * cy }), renderingRule: JSON.stringify(rule), token: demServer.env.token });
    const identified = await readJson<{ value: string }>(await fetch(`${demUrl}/identify?${query}`));
    expect(Number(identified.value)).toBeCloseTo(2 * dem.bands[0]![row * dem.width + col]!, 3);
    // A single catalog item of the twin (…/ImageServer/1) reads the same pixels.
    const item = await exportOk(demUrl, dem, { rasterFunction: 'Local', rasterFunctionArguments: { Operation: 1, Rasters: ['$$', `${twinUrl}/1`] } });
    expect(mismatches(item, doubled, 1e-3)).toBe(0);
  });

  it('exportImage refuses files and other servers with a message, and an unknown service', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const dem = readMasked(demServer.env.dem);
    const cases: Array<[unknown, RegExp]> = [
      [{ uri: '/data/dem.tif' }, /only GenerateRaster reads \{"uri"\}/],
      [{ url: 'https://elsewhere.example/arcgis/rest/services/x/ImageServer' }, /not an image service of this server/],
      [{ url: demUrl.replace('or_dem', 'or_nothing') }, /is not an image service you can see/],
    ];
    for (const [other, message] of cases) {
      const answer = await exportLike(demUrl, dem, { rasterFunction: 'Local', rasterFunctionArguments: { Operation: 1, Rasters: ['$$', other] } });
      expect('error' in answer && answer.error.details.join(' '), JSON.stringify(other)).toMatch(message);
    }
  });
});
