import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import type { ErrorAnswer, HistogramsAnswer, ImageServiceJson, StatisticsAnswer } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { makeOverlapImages, publishTestCollection } from './image-render-collection.js';

/** An ImageServer's `rasterFunctionInfos` answer. */
interface RasterFunctionInfos {
  rasterFunctionInfos: Array<{ name: string; description: string; help: string; functionType: number }>;
}

/** An ImageServer's `legend` answer. */
interface LegendAnswer {
  layers: Array<{
    layerId: number;
    layerName: string;
    layerType: string;
    legendType: string;
    legend: Array<{ label: string; contentType: string; width: number; height: number; imageData: string }>;
  }>;
}

/**
 * The ImageServer resources the ArcGIS Maps SDK for JavaScript reads besides drawing (learnt from
 * its traffic, test/browser/arcgis-imagery-layer.test.ts): rasterFunctionInfos, legend, the
 * absent attribute table and dimensions, and the service JSON, statistics and histograms as the
 * output of a rendering rule.
 */
let server: TestServer;
let dir: string;
let rgb: string;
let dem: string;

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'client-metadata-'));
  const images = await makeOverlapImages(dir);
  rgb = (await publishTestCollection(server, 'metargb', 32611, [{ path: images.a, name: 'A' }])).path;
  const file = await writeRaster(path.join(dir, 'dem.tif'), {
    width: 64, height: 64, dataType: 'Float32', srs: 'EPSG:32611', geoTransform: [500000, 10, 0, 4100000, 0, -10], value: (c, r) => 1000 + 5 * c + 3 * r,
  });
  dem = (await publishTestCollection(server, 'metadem', 32611, [{ path: file, name: 'dem' }])).path;
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ImageServer resources the JavaScript SDK reads', () => {
  it('lists raster function templates as rasterFunctionInfos (functionType 0: mosaic level)', async () => {
    const body = await server.get<RasterFunctionInfos>(`${rgb}/rasterFunctionInfos?f=json`);
    expect(body.rasterFunctionInfos[0]).toEqual({ name: 'None', description: expect.any(String) as unknown, help: '', functionType: 0 });
    expect(body.rasterFunctionInfos.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(['Hillshade', 'Stretch', 'NDVI']));
  });

  it('answers legend: an RGB composite of the shown bands, a stretched ramp for one band or a rule making one', async () => {
    const composite = await server.get<LegendAnswer>(`${rgb}/legend?f=json&bandIds=2,1,0`);
    expect(composite.layers[0]).toMatchObject({ layerId: 0, layerName: 'metargb', layerType: 'Raster Layer', legendType: 'RGB Composite' });
    expect(composite.layers[0].legend.map((l: { label: string }) => l.label)).toEqual(['Red: Band_3', 'Green: Band_2', 'Blue: Band_1']);
    expect(composite.layers[0].legend[0]).toMatchObject({ contentType: 'image/png', width: 20, height: 20, imageData: expect.stringMatching(/^iVBOR/) as unknown });
    const stretched = await server.get<LegendAnswer>(`${dem}/legend?f=json`);
    expect(stretched.layers[0].legendType).toBe('Stretched');
    expect(stretched.layers[0].legend.map((l: { label: string }) => l.label)).toEqual([expect.stringMatching(/^High : /), expect.stringMatching(/^Low : /)]);
    const ndvi = await server.get<LegendAnswer>(`${rgb}/legend?f=json&renderingRule=${encodeURIComponent('{"rasterFunction":"NDVI"}')}`);
    expect(ndvi.layers[0].legend.map((l: { label: string }) => l.label)).toEqual(['High : 1', 'Low : -1']);
    expect((await server.get<ErrorAnswer>(`${rgb}/legend?f=json&bandIds=7`)).error.code).toBe(400);
  });

  it('reports no raster attribute table and no multidimensional info as errors, as ArcGIS does', async () => {
    expect((await server.get<ErrorAnswer>(`${rgb}/rasterAttributeTable?f=json`)).error.code).toBe(400);
    expect((await server.get<ErrorAnswer>(`${rgb}/multiDimensionalInfo?f=json`)).error.code).toBe(400);
  });

  it('describes the output of a rendering rule in the service JSON, statistics and histograms', async () => {
    const rule = encodeURIComponent(JSON.stringify({ rasterFunction: 'Hillshade', rasterFunctionArguments: { Azimuth: 315, Altitude: 45, ZFactor: 1 } }));
    const raw = await server.get<unknown>(`${dem}?f=json`);
    expect(raw).toMatchObject({ pixelType: 'F32', bandCount: 1 });
    const shaded = await server.get<ImageServiceJson>(`${dem}?f=json&renderingRule=${rule}`);
    expect(shaded.pixelType).not.toBe('F32');
    expect(shaded.bandCount).toBe(1);
    expect(shaded.maxValues[0]).toBeLessThanOrEqual(255);
    const stats = await server.get<StatisticsAnswer>(`${dem}/statistics?f=json&renderingRule=${rule}`);
    expect(stats.statistics[0].max).toBe(shaded.maxValues[0]);
    const histograms = await server.get<HistogramsAnswer>(`${dem}/histograms?f=json&renderingRule=${rule}`);
    expect(histograms.histograms).toHaveLength(1);
    expect((await server.get<StatisticsAnswer>(`${dem}/statistics?f=json`)).statistics[0].min).toBeGreaterThanOrEqual(1000);
  });
});
