import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorAnswer } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { decodeImage, publishTestCollection, referenceWarp, writeTiledRaster } from './image-render-collection.js';

let server: TestServer;
let dir: string;
let demFile: string;
let msFile: string;

// DEM: 200 × 200 cells of 10 m in UTM 11N; multispectral: 4 bands (B, G, R, NIR) of 2 m.
const DEM_GRID = { bbox: [500200, 4099200, 501800, 4100800] as [number, number, number, number], width: 160, height: 160, srs: 'EPSG:32611' };
const MS_GRID = { bbox: [500020, 4099820, 500180, 4099980] as [number, number, number, number], width: 80, height: 80, srs: 'EPSG:32611' };

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'render-functions-'));
  demFile = await writeTiledRaster(path.join(dir, 'dem.tif'), {
    width: 200, height: 200, dataType: 'Float32', srs: 'EPSG:32611', geoTransform: [500000, 10, 0, 4101000, 0, -10],
    value: (c, r) => 1000 + 200 * Math.sin(c / 25) * Math.cos(r / 35) + 2 * c,
  });
  msFile = await writeTiledRaster(path.join(dir, 'ms.tif'), {
    width: 100, height: 100, bands: 4, dataType: 'UInt16', srs: 'EPSG:32611', geoTransform: [500000, 2, 0, 4100000, 0, -2],
    value: (c, r, b) => [400, 700, 600 + 10 * c, 3000 - 20 * r][b - 1],
  });
  const classes = await writeTiledRaster(path.join(dir, 'classes.tif'), {
    width: 90, height: 30, srs: 'EPSG:32611', geoTransform: [500000, 1, 0, 4100030, 0, -1],
    value: (c) => 1 + Math.floor(c / 30),
  });
  await publishTestCollection(server, 'dem', 32611, [{ path: demFile, name: 'dem' }]);
  await publishTestCollection(server, 'ms', 32611, [{ path: msFile, name: 'ms' }]);
  await publishTestCollection(server, 'classes', 32611, [{ path: classes, name: 'classes' }]);
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function exportTiff(serviceName: string, grid: typeof DEM_GRID, rule: object, extra: Record<string, string> = {}) {
  const query = new URLSearchParams({
    f: 'image', format: 'tiff', bbox: grid.bbox.join(','), size: `${grid.width},${grid.height}`, interpolation: 'RSP_NearestNeighbor',
    renderingRule: JSON.stringify(rule), ...extra,
  });
  const response = await fetch(`${server.url}/rest/services/Hosted/${serviceName}/ImageServer/exportImage?${query}`);
  const name = `/vsimem/${serviceName}-${Math.random()}.tif`;
  gdal.vsimem.set(Buffer.from(await response.arrayBuffer()), name);
  const dataset = gdal.open(name);
  const bands = [];
  for (let b = 1; b <= dataset.bands.count(); b++) bands.push(dataset.bands.get(b).pixels.read(0, 0, grid.width, grid.height, new Float64Array(grid.width * grid.height)));
  const type = dataset.bands.get(1).dataType;
  dataset.close();
  gdal.vsimem.release(name);
  return { bands, type };
}

describe('rendering rules', () => {
  it('shades relief like gdaldem hillshade (Horn, azimuth 315, altitude 45)', async () => {
    const { bands, type } = await exportTiff('dem', DEM_GRID, { rasterFunction: 'Hillshade', rasterFunctionArguments: { Azimuth: 315, Altitude: 45, ZFactor: 1 } });
    expect(type).toBe('Byte');
    const dem = await gdal.openAsync(demFile);
    const warped = await gdal.warpAsync('/vsimem/dem-grid.tif', null, [dem], ['-te', ...DEM_GRID.bbox.map(String), '-ts', '160', '160', '-r', 'near']);
    const shaded = await gdal.demAsync('/vsimem/dem-shade.tif', warped, 'hillshade', ['-az', '315', '-alt', '45', '-z', '1']);
    const expected = shaded.bands.get(1).pixels.read(0, 0, 160, 160, new Float64Array(160 * 160));
    let close = 0;
    let interior = 0;
    for (let row = 1; row < 159; row++) {
      for (let col = 1; col < 159; col++) {
        const i = row * 160 + col;
        interior++;
        // gdaldem writes 1 + 254 × cos(angle), ArcGIS (and we) 255 × cos(angle).
        if (Math.abs(bands[0][i] - expected[i]) <= 2) close++;
      }
    }
    [shaded, warped, dem].forEach((d) => d.close());
    gdal.vsimem.release('/vsimem/dem-grid.tif');
    gdal.vsimem.release('/vsimem/dem-shade.tif');
    expect(close / interior).toBeGreaterThan(0.99);
  });

  it('computes NDVI (scientific) and the same index as a BandArithmetic expression', async () => {
    const reference = await referenceWarp([msFile], MS_GRID);
    const [red, nir] = [reference.bands[2], reference.bands[3]];
    const ndvi = await exportTiff('ms', MS_GRID, { rasterFunction: 'NDVI', rasterFunctionArguments: { VisibleBandID: 2, InfraredBandID: 3, Scientific: true } });
    const expression = await exportTiff('ms', MS_GRID, { rasterFunction: 'BandArithmetic', rasterFunctionArguments: { Method: 0, BandIndexes: '(B4 - B3) / (B4 + B3)' } });
    const index = await exportTiff('ms', MS_GRID, { rasterFunction: 'BandArithmetic', rasterFunctionArguments: { Method: 1, BandIndexes: '4 3' } });
    expect(ndvi.type).toBe('Float32');
    for (let i = 0; i < red.length; i += 97) {
      const expected = (nir[i] - red[i]) / (nir[i] + red[i]);
      expect(ndvi.bands[0][i]).toBeCloseTo(expected, 5);
      expect(expression.bands[0][i]).toBeCloseTo(expected, 5);
      expect(index.bands[0][i]).toBeCloseTo(expected, 5);
    }
    const scaled = await exportTiff('ms', MS_GRID, { rasterFunction: 'NDVI', rasterFunctionArguments: { VisibleBandID: 2, InfraredBandID: 3 } });
    expect(scaled.type).toBe('Byte');
    expect(scaled.bands[0][0]).toBe(Math.round(((nir[0] - red[0]) / (nir[0] + red[0])) * 100 + 100));
  });

  it('stretches min-max with given statistics to 0–255', async () => {
    const reference = await referenceWarp([demFile], DEM_GRID);
    const stretched = await exportTiff('dem', DEM_GRID, { rasterFunction: 'Stretch', rasterFunctionArguments: { StretchType: 5, Statistics: [[800, 1600, 1200, 100]] }, outputPixelType: 'U8' });
    expect(stretched.type).toBe('Byte');
    for (let i = 0; i < reference.bands[0].length; i += 101) {
      expect(stretched.bands[0][i]).toBe(Math.round(Math.min(1, Math.max(0, (reference.bands[0][i] - 800) / 800)) * 255));
    }
  });

  it('colours classes with an explicit colormap (values without an entry are transparent)', async () => {
    const rule = { rasterFunction: 'Colormap', rasterFunctionArguments: { Colormap: [[1, 255, 0, 0], [2, 0, 255, 0]] } };
    const query = new URLSearchParams({ f: 'image', format: 'png', bbox: '500000,4100000,500090,4100030', size: '90,30', interpolation: 'RSP_NearestNeighbor', renderingRule: JSON.stringify(rule) });
    const image = await decodeImage(await (await fetch(`${server.url}/rest/services/Hosted/classes/ImageServer/exportImage?${query}`)).arrayBuffer());
    const at = (col: number) => Array.from(image.data.subarray((15 * 90 + col) * 4, (15 * 90 + col) * 4 + 4));
    expect(at(10)).toEqual([255, 0, 0, 255]);
    expect(at(40)).toEqual([0, 255, 0, 255]);
    expect(at(70)[3]).toBe(0);
  });

  it('chains functions: NDVI then the NDVI colormap gives colour', async () => {
    const rule = {
      rasterFunction: 'Colormap',
      rasterFunctionArguments: { ColormapName: 'NDVI', Raster: { rasterFunction: 'NDVI', rasterFunctionArguments: { VisibleBandID: 2, InfraredBandID: 3 } } },
    };
    const query = new URLSearchParams({ f: 'image', format: 'png', bbox: MS_GRID.bbox.join(','), size: '80,80', renderingRule: JSON.stringify(rule) });
    const image = await decodeImage(await (await fetch(`${server.url}/rest/services/Hosted/ms/ImageServer/exportImage?${query}`)).arrayBuffer());
    expect(image.channels).toBe(3);
    const greenest = Math.max(...Array.from({ length: 80 * 80 }, (_, i) => image.data[i * 3 + 1] - image.data[i * 3]));
    expect(greenest).toBeGreaterThan(50);
  });

  it('stretches data that is not 8-bit by default for PNG, and clips when pixelType=U8 is asked', async () => {
    const query = (extra: string) => `${server.url}/rest/services/Hosted/dem/ImageServer/exportImage?f=image&format=png&bbox=${DEM_GRID.bbox.join(',')}&size=160,160${extra}`;
    const stretched = await decodeImage(await (await fetch(query(''))).arrayBuffer());
    const values = Array.from({ length: 160 * 160 }, (_, i) => stretched.data[i * stretched.channels]);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(150);
    const clipped = await decodeImage(await (await fetch(query('&pixelType=U8'))).arrayBuffer());
    expect(clipped.data.filter((_, i) => i % clipped.channels === 0).every((v) => v === 255)).toBe(true);
  });

  it('refuses unknown functions and bad expressions', async () => {
    const get = (rule: object) => server.get<ErrorAnswer>(`/rest/services/Hosted/ms/ImageServer/exportImage?f=json&bbox=${MS_GRID.bbox.join(',')}&renderingRule=${encodeURIComponent(JSON.stringify(rule))}`);
    expect((await get({ rasterFunction: 'Nope' })).error.code).toBe(400);
    expect((await get({ rasterFunction: 'BandArithmetic', rasterFunctionArguments: { Method: 0, BandIndexes: 'B1 + process.exit()' } })).error.code).toBe(400);
    expect((await get({ rasterFunction: 'BandArithmetic', rasterFunctionArguments: { Method: 0, BandIndexes: 'B9 * 2' } })).error.code).toBe(400);
  });
});
