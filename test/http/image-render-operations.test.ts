import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogItem, NewCatalogItem } from '../../src/imagery/store/catalog-store.js';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import type { ErrorAnswer, HistogramsAnswer, IdentifyAnswer, ResourceJson, SamplesAnswer, StatisticsAnswer } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { decodeImage, makeOverlapImages, publishTestCollection, referenceWarp, type OverlapImages } from './image-render-collection.js';

let server: TestServer;
let dir: string;
let images: OverlapImages;
let service: string;
let collectionId: string;

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'render-ops-'));
  images = await makeOverlapImages(dir);
  ({ path: service, collectionId } = await publishTestCollection(server, 'ops', 32611, [
    { path: images.a, name: 'A' },
    { path: images.b, name: 'B' },
    { path: images.c, name: 'C' },
  ]));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const point = (x: number, y: number, sr: object = { wkid: 32611 }) => encodeURIComponent(JSON.stringify({ x, y, spatialReference: sr }));

describe('identify', () => {
  it('gives the top item value (NorthWest: A over C over B) and every item value under the point', async () => {
    const body = await server.get<IdentifyAnswer>(`${service}/identify?f=json&geometry=${point(500170, 4100130)}&geometryType=esriGeometryPoint`);
    expect(body.objectId).toBe(0);
    expect(body.name).toBe('Pixel');
    expect(body.value).toBe('200 60 40');
    expect(body.location).toEqual({ x: 500170, y: 4100130, spatialReference: { wkid: 32611 } });
    expect(body.catalogItems.features.map((f) => f.attributes.OBJECTID)).toEqual([1, 3, 2]);
    expect(body.properties.Values).toEqual(['200 60 40', '90 110 230', '70 210 90']);
    expect(body.catalogItemVisibilities).toEqual([1, 0, 0]);
  });

  it('reduces with the mosaic operation, and says NoData outside the images', async () => {
    const max = await server.get<IdentifyAnswer>(`${service}/identify?f=json&geometry=${point(500170, 4100130)}&mosaicRule=${encodeURIComponent('{"mosaicOperation":"MT_MAX"}')}`);
    expect(max.value).toBe('200 210 230');
    expect(max.catalogItemVisibilities).toEqual([1, 1, 1]);
    const outside = await server.get<IdentifyAnswer>(`${service}/identify?f=json&geometry=${point(499000, 4099000)}`);
    expect(outside.value).toBe('NoData');
    expect(outside.catalogItems.features).toEqual([]);
  });

  it('takes points in other SRs and applies the rendering rule (NDVI of the top item)', async () => {
    const to3857 = new gdal.CoordinateTransformation(gdal.SpatialReference.fromEPSG(32611), gdal.SpatialReference.fromEPSG(3857));
    const p = to3857.transformPoint(500170.5, 4100130.5);
    const rule = encodeURIComponent(JSON.stringify({ rasterFunction: 'NDVI', rasterFunctionArguments: { VisibleBandID: 0, InfraredBandID: 1 } }));
    const body = await server.get<IdentifyAnswer>(`${service}/identify?f=json&geometry=${point(p.x, p.y, { wkid: 102100 })}&renderingRule=${rule}&returnCatalogItems=false`);
    // A's pixel (col 170, row 169) there: red 235, NIR 95 → (95 - 235) / 330 × 100 + 100 ≈ 58.
    expect(body.value).toBe('58');
    expect(body.location.spatialReference).toEqual({ wkid: 102100, latestWkid: 3857 });
    expect(body.catalogItems).toBeNull();
  });
});

describe('getSamples', () => {
  it('samples along a line and returns raster ids, resolution and attributes', async () => {
    const line = encodeURIComponent(JSON.stringify({ paths: [[[500010.5, 4100289.5], [500290.5, 4100289.5]]], spatialReference: { wkid: 32611 } }));
    const body = await server.get<SamplesAnswer>(`${service}/getSamples?f=json&geometry=${line}&geometryType=esriGeometryPolyline&sampleCount=3&outFields=Name`);
    expect(body.samples.map((s) => [s.locationId, s.location.x, s.value, s.rasterId, s.resolution, s.attributes.Name])).toEqual([
      [0, 500010.5, '200 60 40', 1, 1, 'A'],
      [1, 500150.5, '220 80 60', 1, 1, 'A'],
      [2, 500290.5, '200 60 40', 1, 1, 'A'],
    ]);
  });

  it('returns one sample per item with returnFirstValueOnly=false, and NoData where there is none', async () => {
    const points = encodeURIComponent(JSON.stringify({ points: [[500170, 4100130], [499000, 4099000]], spatialReference: { wkid: 32611 } }));
    const body = await server.get<SamplesAnswer>(`${service}/getSamples?f=json&geometry=${points}&geometryType=esriGeometryMultipoint&returnFirstValueOnly=false`);
    expect(body.samples.map((s) => [s.locationId, s.rasterId, s.value])).toEqual([
      [0, 1, '200 60 40'],
      [0, 3, '90 110 230'],
      [0, 2, '70 210 90'],
      [1, undefined, 'NoData'],
    ]);
  });

  it('grids an area', async () => {
    const body = await server.get<SamplesAnswer>(`${service}/getSamples?f=json&geometry=500000,4100200,500100,4100300&geometryType=esriGeometryEnvelope&sampleCount=25`);
    expect(body.samples).toHaveLength(25);
    expect(body.samples.every((s) => s.rasterId === 1)).toBe(true);
  });
});

describe('statistics and histograms', () => {
  it('reports collection statistics (ingest figures) and histograms (computed and cached)', async () => {
    const { statistics } = await server.get<StatisticsAnswer>(`${service}/statistics?f=json`);
    expect(statistics).toHaveLength(3);
    expect(statistics[0]).toMatchObject({ min: expect.any(Number) as unknown, max: expect.any(Number) as unknown, skipX: expect.any(Number) as unknown, count: expect.any(Number) as unknown });
    // Ingest statistics are read from overviews: close to the true 50…239.
    expect(statistics[0].min).toBeGreaterThanOrEqual(50);
    expect(statistics[0].max).toBeGreaterThan(230);
    const { histograms } = await server.get<HistogramsAnswer>(`${service}/histograms?f=json`);
    expect(histograms).toHaveLength(3);
    expect(histograms[0]).toMatchObject({ size: 256, min: -0.5, max: 255.5 });
    expect(histograms[0].counts.reduce((a: number, b: number) => a + b, 0)).toBe(statistics[0].count);
  });

  it('computes statistics and histograms over an area', async () => {
    const geometry = encodeURIComponent(JSON.stringify({ xmin: 500000, ymin: 4100200, xmax: 500100, ymax: 4100300, spatialReference: { wkid: 32611 } }));
    const body = await server.get<StatisticsAnswer & HistogramsAnswer>(`${service}/computeStatisticsHistograms?f=json&geometry=${geometry}&geometryType=esriGeometryEnvelope`);
    expect(body.statistics[0]).toMatchObject({ min: 200, max: 239 });
    expect(body.statistics[0].count).toBe(10000);
    expect(body.histograms[1].counts[60]).toBeGreaterThan(0);
    const only = await server.get<HistogramsAnswer>(`${service}/computeHistograms?f=json&geometry=${geometry}`);
    expect(Object.keys(only)).toEqual(['histograms']);
    expect((await server.get<ErrorAnswer>(`${service}/computeHistograms?f=json`)).error.code).toBe(400);
  });
});

describe('raster info', () => {
  it('describes one catalog item', async () => {
    const info = await server.get<ResourceJson>(`${service}/1/info?f=json`);
    expect(info).toMatchObject({ width: 300, height: 200, bandCount: 3, pixelType: 'U8', pixelSizeX: 1, pixelSizeY: 1 });
    expect(info.extent).toEqual({ xmin: 500000, ymin: 4100100, xmax: 500300, ymax: 4100300, spatialReference: { wkid: 32611 } });
    expect((await server.get<ResourceJson>(`${service}/1/info/keyProperties?f=json`)).LowCellSize).toBe(1);
    const { histograms } = await server.get<HistogramsAnswer>(`${service}/3/info/histograms?f=json`);
    expect(histograms[2].counts.slice(0, 200).every((c: number) => c === 0)).toBe(true); // C's blue is 200…239
    expect((await server.get<ErrorAnswer>(`${service}/99/info?f=json`)).error.code).toBe(404);
  });
});

describe('tiles', () => {
  // The collection is in UTM 11N: its tiles are in its own SR, from ArcGIS's UTM cache origin.
  const ORIGIN = { x: -5120900, y: 9998100 };
  const tileOf = (level: number) => {
    const span = (156543.03392800014 / 2 ** level) * 256;
    return { col: Math.floor((500150 - ORIGIN.x) / span), row: Math.floor((ORIGIN.y - 4100200) / span), span };
  };

  it('renders tiles in the service SR like exportImage, caches them on disk, and starts afresh when the catalog changes', async () => {
    expect((await server.get<ResourceJson>(`${service}?f=json`)).tileInfo).toMatchObject({ origin: ORIGIN, spatialReference: { wkid: 32611 } });
    const { row, col, span } = tileOf(17);
    const tile = await fetch(`${server.url}${service}/tile/17/${row}/${col}`);
    expect(tile.status).toBe(200);
    const bytes = Buffer.from(await tile.arrayBuffer());
    const xmin = ORIGIN.x + col * span;
    const ymax = ORIGIN.y - row * span;
    const bbox = [xmin, ymax - span, xmin + span, ymax].join(',');
    const exported = await fetch(`${server.url}${service}/exportImage?f=image&bbox=${bbox}&bboxSR=32611&imageSR=32611&size=256,256&format=jpgpng`);
    expect(tile.headers.get('content-type')).toBe(exported.headers.get('content-type'));
    const [a, b] = [await decodeImage(bytes), await decodeImage(await exported.arrayBuffer())];
    let close = 0;
    for (let i = 0; i < a.data.length; i++) close += Math.abs(a.data[i] - b.data[i]) <= 4 ? 1 : 0;
    expect(close / a.data.length).toBeGreaterThan(0.99);

    const catalog = catalogStoreFor(server.context.config);
    const before = (await catalog.getCollection(collectionId))!.modified;
    // <collection>/<catalog version>/<tiling scheme>/<level>/<row>/<col>
    const version = path.join(server.dataDir, 'tiles', collectionId, String(before));
    const cached = path.join(version, ...(await readdir(version)), '17', String(row));
    expect((await readdir(cached)).some((f) => f.startsWith(`${col}.`))).toBe(true);
    const again = await fetch(`${server.url}${service}/tile/17/${row}/${col}`, { headers: { 'if-none-match': tile.headers.get('etag')! } });
    expect(again.status).toBe(304);

    // A catalog change moves `modified`: the next request renders into a new version.
    await new Promise((r) => setTimeout(r, 5));
    const [row1] = await catalog.queryItems(collectionId, { objectIds: [2] });
    const [added] = await catalog.addItems(collectionId, [{ ...toNewItem(row1), name: 'B2', zOrder: -1 }], null);
    const after = (await catalog.getCollection(collectionId))!.modified;
    expect(after).not.toBe(before);
    const changed = await fetch(`${server.url}${service}/tile/17/${row}/${col}`);
    expect(changed.status).toBe(200);
    expect(Buffer.from(await changed.arrayBuffer()).equals(bytes)).toBe(false); // B (green) is on top now
    await new Promise((r) => setTimeout(r, 50));
    expect(await readdir(path.join(server.dataDir, 'tiles', collectionId))).toEqual([String(after)]);
    await catalog.deleteItems(collectionId, { objectIds: [added!] });
  });

  it('answers 404 for tiles without data or outside the scheme, and a blank PNG with blankTile', async () => {
    expect((await fetch(`${server.url}${service}/tile/3/0/0`)).status).toBe(404); // a real 404 for tile clients, with the envelope
    expect((await server.get<ErrorAnswer>(`${service}/tile/3/0/0`)).error.code).toBe(404);
    expect((await server.get<ErrorAnswer>(`${service}/tile/40/0/0`)).error.code).toBe(404);
    const blank = await fetch(`${server.url}${service}/tile/3/0/0?blankTile=true`);
    expect(blank.headers.get('content-type')).toBe('image/png');
    const image = await decodeImage(await blank.arrayBuffer());
    expect(image.width).toBe(256);
  });
});

describe('items placed by GCPs', () => {
  it('renders and identifies an image that has ground control points but no geotransform', async () => {
    const plain = await writeRaster(path.join(dir, 'plain.tif'), { width: 100, height: 100, value: (c, r) => 1 + ((c + r) % 200) });
    const source = await gdal.openAsync(plain);
    // Four corners on a 2 m grid at 510000, 4100200: a north-up affine fit, but as GCPs.
    const gcps = [[0, 0, 510000, 4100200], [100, 0, 510200, 4100200], [0, 100, 510000, 4100000], [100, 100, 510200, 4100000]];
    const gcpFile = path.join(dir, 'gcp.tif');
    (await gdal.translateAsync(gcpFile, source, ['-a_srs', 'EPSG:32611', ...gcps.flatMap((g) => ['-gcp', ...g.map(String)])])).close();
    source.close();
    const { path: gcpService } = await publishTestCollection(server, 'gcp', 32611, [{ path: gcpFile, name: 'gcp' }]);
    // Column 30, row 20 → value 51; its centre at 510061, 4100159.
    const body = await server.get<IdentifyAnswer>(`${gcpService}/identify?f=json&geometry=${point(510061, 4100159)}`);
    expect(body.value).toBe('51');
    expect(body.properties.Values).toEqual(['51']);
    const image = await decodeImage(await (await fetch(`${server.url}${gcpService}/exportImage?f=image&format=png32&bbox=510000,4100000,510200,4100200&size=100,100&interpolation=RSP_NearestNeighbor`)).arrayBuffer());
    expect(Array.from(image.data.subarray((20 * 100 + 30) * 4, (20 * 100 + 30) * 4 + 4))).toEqual([51, 51, 51, 255]);
  });
});

describe('collection overview', () => {
  it('draws views beyond every item\'s MaxPS from an overview built in the background', async () => {
    const { path: small } = await publishTestCollection(server, 'small', 32611, [
      { path: images.a, name: 'A' },
      { path: images.b, name: 'B' },
      { path: images.c, name: 'C' },
    ], { maxPsFactor: 1 });
    // 1 m images shown up to 4 m pixels (overviews 2 and 4): a 12 m view has nothing to draw.
    const grid = { bbox: [499800, 4099696, 500700, 4100500] as [number, number, number, number], width: 75, height: 67, srs: 'EPSG:32611' };
    const query = `bbox=${grid.bbox.join(',')}&size=${grid.width},${grid.height}&format=png32&f=image`;
    const covered = async () => {
      const image = await decodeImage(await (await fetch(`${server.url}${small}/exportImage?${query}`)).arrayBuffer());
      return { image, count: image.data.filter((v, i) => i % 4 === 3 && v > 0).length };
    };
    let result = await covered();
    for (let tries = 0; result.count === 0 && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 50));
      result = await covered();
    }
    const reference = await referenceWarp([images.b, images.c, images.a], grid, 'average');
    const expected = reference.alpha.filter((a) => a > 0).length;
    expect(Math.abs(result.count - expected)).toBeLessThan(expected * 0.1);
    let difference = 0;
    let both = 0;
    for (let i = 0; i < reference.alpha.length; i++) {
      if (!reference.alpha[i] || !result.image.data[i * 4 + 3]) continue;
      both++;
      difference += Math.abs(result.image.data[i * 4] - reference.bands[0][i]);
    }
    expect(difference / both).toBeLessThan(10);
  });
});

describe('download and file', () => {
  it('needs the Download capability unless the caller owns the service', async () => {
    expect((await server.get<ErrorAnswer>(`${service}/download?f=json&rasterIds=1`)).error.code).toBe(400);
    const token = await server.token();
    const body = await server.get<ResourceJson>(`${service}/download?f=json&rasterIds=1,3&token=${token}`);
    expect(body.rasterFiles).toEqual([
      { id: 'ops/1/a.tif', size: expect.any(Number) as unknown, rasterIds: [1] },
      { id: 'ops/3/c.tif', size: expect.any(Number) as unknown, rasterIds: [3] },
    ]);
    const file = await fetch(`${server.url}${service}/file?id=ops/1/a.tif&rasterId=1&token=${token}`);
    expect(Buffer.from(await file.arrayBuffer()).equals(await readFile(images.a))).toBe(true);
    expect((await server.get<ErrorAnswer>(`${service}/file?id=ops/1/..%2F..%2Fetc%2Fpasswd&rasterId=1&token=${token}`)).error.code).toBe(404);
  });
});

function toNewItem(row: CatalogItem): Omit<NewCatalogItem, 'name'> {
  const { coordinates } = gdal.Geometry.fromWKT(`POLYGON((${row.bbox.xmin} ${row.bbox.ymin}, ${row.bbox.xmin} ${row.bbox.ymax}, ${row.bbox.xmax} ${row.bbox.ymax}, ${row.bbox.xmax} ${row.bbox.ymin}, ${row.bbox.xmin} ${row.bbox.ymin}))`).toObject() as { coordinates: [number, number][][] };
  return {
    footprint: coordinates,
    lowPs: row.fields.LowPS as number,
    highPs: row.fields.HighPS as number,
    rasterType: row.rasterType,
    source: row.source,
    path: row.path,
    byValue: false,
    raster: row.raster,
  };
}
