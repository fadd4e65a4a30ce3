import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorAnswer, Extent } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { decodeImage, makeOverlapImages, publishTestCollection, referenceWarp, type OverlapImages } from './image-render-collection.js';

/** exportImage's answer with f=json. */
interface ExportImageAnswer {
  href: string;
  width: number;
  height: number;
  extent: Extent;
  scale: number;
}

let server: TestServer;
let dir: string;
let images: OverlapImages;
let service: string;

// 550 m × 450 m around the three images, 2 m pixels: wider than the data on every side.
const NATIVE = { bbox: [499950, 4099900, 500500, 4100350] as [number, number, number, number], width: 275, height: 225, srs: 'EPSG:32611' };

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'render-export-'));
  images = await makeOverlapImages(dir);
  ({ path: service } = await publishTestCollection(server, 'overlap', 32611, [
    { path: images.a, name: 'A', attributes: { Quality: 5 } },
    { path: images.b, name: 'B', attributes: { Quality: 9 } },
    { path: images.c, name: 'C', attributes: { Quality: 1 } },
  ]));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function exportPixels(query: Record<string, string>) {
  const search = new URLSearchParams({ f: 'image', format: 'png32', interpolation: 'RSP_NearestNeighbor', ...query });
  const response = await fetch(`${server.url}${service}/exportImage?${search}`);
  expect(response.headers.get('content-type')).toMatch(/^image\//);
  return decodeImage(await response.arrayBuffer());
}

const nativeQuery = (extra: Record<string, string> = {}) => ({ bbox: NATIVE.bbox.join(','), size: `${NATIVE.width},${NATIVE.height}`, ...extra });

/** Share of pixels whose RGB and alpha agree with the reference within `tolerance`. */
function agreement(image: { data: Uint8Array; channels: number }, reference: { bands: Float64Array[]; alpha: Uint8Array }, tolerance = 0): number {
  let same = 0;
  const n = reference.alpha.length;
  for (let i = 0; i < n; i++) {
    const alpha = image.data[i * image.channels + 3];
    const refAlpha = reference.alpha[i];
    let ok = (alpha === 0) === (refAlpha === 0);
    if (ok && refAlpha !== 0) for (let b = 0; b < 3; b++) ok &&= Math.abs(image.data[i * image.channels + b] - reference.bands[b][i]) <= tolerance;
    if (ok) same++;
  }
  return same / n;
}

describe('exportImage against GDAL warping the same sources', () => {
  it('mosaics NorthWest (the default) in the native SR: A over C over B, transparent outside the data', async () => {
    const image = await exportPixels(nativeQuery());
    expect([image.width, image.height, image.channels]).toEqual([NATIVE.width, NATIVE.height, 4]);
    const reference = await referenceWarp([images.b, images.c, images.a], NATIVE);
    expect(agreement(image, reference)).toBeGreaterThan(0.995);
    expect(image.data[3]).toBe(0); // top-left corner: no image there
  });

  it.each([
    ['esriMosaicNone', {}, ['c', 'b', 'a']],
    ['esriMosaicNone', { ascending: false }, ['a', 'b', 'c']],
    ['esriMosaicLockRaster', { lockRasterIds: [3, 1] }, ['a', 'c']],
    ['esriMosaicAttribute', { sortField: 'Quality', sortValue: 10 }, ['c', 'a', 'b']],
    ['esriMosaicNorthwest', { mosaicOperation: 'MT_LAST' }, ['a', 'c', 'b']],
  ] as const)('follows %s %j (bottom to top: %j)', async (method, extra, bottomToTop) => {
    const image = await exportPixels(nativeQuery({ mosaicRule: JSON.stringify({ mosaicMethod: method, ...extra }) }));
    const reference = await referenceWarp(bottomToTop.map((k) => images[k]), NATIVE);
    expect(agreement(image, reference)).toBeGreaterThan(0.995);
  });

  it('puts the item nearest the view centre on top with esriMosaicCenter', async () => {
    const grid = { ...NATIVE, bbox: [500150, 4100050, 500450, 4100250] as [number, number, number, number], width: 150, height: 100 };
    const image = await exportPixels({ bbox: grid.bbox.join(','), size: '150,100', mosaicRule: JSON.stringify({ mosaicMethod: 'esriMosaicCenter' }) });
    // Centres: A (500150, 4100200) 158 m away, B (500300, 4100150) 0 m, C (500200, 4100050) 141 m.
    const reference = await referenceWarp([images.a, images.c, images.b], grid);
    expect(agreement(image, reference)).toBeGreaterThan(0.995);
  });

  it.each(['min', 'max', 'mean'] as const)('combines overlaps with MT_%s', async (operation) => {
    const image = await exportPixels(nativeQuery({ mosaicRule: JSON.stringify({ mosaicMethod: 'esriMosaicNorthwest', mosaicOperation: `MT_${operation.toUpperCase()}` }) }));
    const parts = await Promise.all([images.a, images.b, images.c].map((f) => referenceWarp([f], NATIVE)));
    const reduce = { min: (v: number[]) => Math.min(...v), max: (v: number[]) => Math.max(...v), mean: (v: number[]) => Math.round(v.reduce((s, x) => s + x, 0) / v.length) }[operation];
    const n = NATIVE.width * NATIVE.height;
    const expected = { bands: [0, 1, 2].map(() => new Float64Array(n)), alpha: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      const valid = parts.filter((p) => p.alpha[i] > 0);
      if (valid.length === 0) continue;
      expected.alpha[i] = 255;
      for (let b = 0; b < 3; b++) expected.bands[b][i] = reduce(valid.map((p) => p.bands[b][i]));
    }
    expect(agreement(image, expected, 1)).toBeGreaterThan(0.995);
  });

  it('draws Voronoi seamlines between footprint centres with esriMosaicSeamline', async () => {
    const image = await exportPixels(nativeQuery({ mosaicRule: JSON.stringify({ mosaicMethod: 'esriMosaicSeamline' }) }));
    const parts = await Promise.all([images.a, images.b, images.c].map((f) => referenceWarp([f], NATIVE)));
    const centres = [[500150, 4100200], [500300, 4100150], [500200, 4100050]];
    const n = NATIVE.width * NATIVE.height;
    const expected = { bands: [0, 1, 2].map(() => new Float64Array(n)), alpha: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      const x = NATIVE.bbox[0] + ((i % NATIVE.width) + 0.5) * 2;
      const y = NATIVE.bbox[3] - (Math.floor(i / NATIVE.width) + 0.5) * 2;
      const valid = [0, 1, 2].filter((k) => parts[k].alpha[i] > 0);
      if (valid.length === 0) continue;
      const k = valid.reduce((best, j) => (Math.hypot(centres[j][0] - x, centres[j][1] - y) < Math.hypot(centres[best][0] - x, centres[best][1] - y) ? j : best));
      expected.alpha[i] = 255;
      for (let b = 0; b < 3; b++) expected.bands[b][i] = parts[k].bands[b][i];
    }
    // Pixels on a seamline may go either way (centroids are not exactly the nominal centres).
    expect(agreement(image, expected)).toBeGreaterThan(0.98);
  });

  it('reprojects to Web Mercator (102100) with bilinear resampling as gdalwarp does', async () => {
    const to3857 = new gdal.CoordinateTransformation(gdal.SpatialReference.fromEPSG(32611), gdal.SpatialReference.fromEPSG(3857));
    const lo = to3857.transformPoint(500000, 4100000);
    const hi = to3857.transformPoint(500450, 4100320);
    const grid = { bbox: [lo.x, lo.y, hi.x, hi.y] as [number, number, number, number], width: 256, height: 200, srs: 'EPSG:3857' };
    const image = await exportPixels({
      bbox: grid.bbox.join(','), bboxSR: '102100', imageSR: '102100', size: '256,200', adjustAspectRatio: 'false', interpolation: 'RSP_BilinearInterpolation',
    });
    const reference = await referenceWarp([images.b, images.c, images.a], grid, 'bilinear');
    expect(agreement(image, reference, 2)).toBeGreaterThan(0.99);
  });

  it.each([
    ['at an overview level (2 m)', 2],
    ['between levels (1.5 m)', 1.5],
    ['finer than the data (0.7 m)', 0.7],
  ])('draws native-SR bilinear views %s as gdalwarp does, transparent outside the data', async (_, pixel) => {
    // A and B have no mask: at a level or finer, resampled reads draw them; between levels, the warper.
    const grid = { bbox: [499990.3, 4100350.7 - 200 * pixel, 499990.3 + 240 * pixel, 4100350.7] as [number, number, number, number], width: 240, height: 200, srs: 'EPSG:32611' };
    const image = await exportPixels({
      bbox: grid.bbox.join(','), size: '240,200', interpolation: 'RSP_BilinearInterpolation', mosaicRule: JSON.stringify({ mosaicMethod: 'esriMosaicLockRaster', lockRasterIds: [1, 2] }),
    });
    const reference = await referenceWarp([images.b, images.a], grid, 'bilinear');
    expect(agreement(image, reference, 2)).toBeGreaterThan(0.99);
    expect(image.data[3]).toBe(0); // top-left corner: no image there
  });

  it('selects and reorders bands with bandIds', async () => {
    const image = await exportPixels(nativeQuery({ bandIds: '2,1,0' }));
    const reference = await referenceWarp([images.b, images.c, images.a], NATIVE);
    expect(agreement(image, { bands: [reference.bands[2], reference.bands[1], reference.bands[0]], alpha: reference.alpha })).toBeGreaterThan(0.995);
    const error = await server.get<ErrorAnswer>(`${service}/exportImage?f=json&bbox=${NATIVE.bbox.join(',')}&bandIds=3`);
    expect(error.error.code).toBe(400);
  });

  it('masks the noData value the client names', async () => {
    // C's blue band is 200 + variation: 200..239; say 200 is no data.
    const image = await exportPixels(nativeQuery({ noData: '200' }));
    const reference = await referenceWarp([images.b, images.c, images.a], NATIVE);
    let masked = 0;
    for (let i = 0; i < reference.alpha.length; i++) {
      const hasValue = [0, 1, 2].some((b) => reference.bands[b][i] === 200);
      if (reference.alpha[i] > 0 && hasValue) {
        expect(image.data[i * 4 + 3]).toBe(0);
        masked++;
      }
    }
    expect(masked).toBeGreaterThan(0);
  });
});

describe('exportImage answers', () => {
  it('describes the image with f=json and serves it from a short-lived href', async () => {
    const body = await server.get<ExportImageAnswer>(`${service}/exportImage?f=json&bbox=500000,4100000,500300,4100300&size=300,150&format=png`);
    expect(body.width).toBe(300);
    expect(body.height).toBe(150);
    // Widened around the centre so pixels are square (adjustAspectRatio defaults to true).
    expect(body.extent).toEqual({ xmin: 499850, ymin: 4100000, xmax: 500450, ymax: 4100300, spatialReference: { wkid: 32611 } });
    expect(body.scale).toBeCloseTo(2 * 3779.527559, 1);
    expect(body.href).toMatch(/\/rest\/directories\/arcgisoutput\/Hosted\/overlap_ImageServer\/_ags_[0-9a-f-]+\.png$/);
    const image = await fetch(body.href);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect((await decodeImage(await image.arrayBuffer())).width).toBe(300);
  });

  it('encodes JPEG, jpgpng (PNG only when transparent), GIF, BMP and PNG8', async () => {
    const inside = 'bbox=500160,4100160,500260,4100240&size=100,80';
    const outside = `bbox=${NATIVE.bbox.join(',')}&size=100,80`;
    const typeOf = async (query: string) => (await fetch(`${server.url}${service}/exportImage?f=image&${query}`)).headers.get('content-type');
    expect(await typeOf(`${inside}&format=jpg`)).toBe('image/jpeg');
    expect(await typeOf(`${inside}&format=jpgpng`)).toBe('image/jpeg');
    expect(await typeOf(`${outside}&format=jpgpng`)).toBe('image/png');
    expect(await typeOf(`${outside}&format=gif`)).toBe('image/gif');
    expect(await typeOf(`${outside}&format=bmp`)).toBe('image/bmp');
    expect(await typeOf(`${outside}&format=png8`)).toBe('image/png');
    const jpeg = await decodeImage(await (await fetch(`${server.url}${service}/exportImage?f=image&${inside}&format=jpg&compressionQuality=90`)).arrayBuffer());
    expect(jpeg.channels).toBe(3);
  });

  it('writes a georeferenced GeoTIFF with the pixel values and no data where there is none', async () => {
    const response = await fetch(`${server.url}${service}/exportImage?f=image&format=tiff&${new URLSearchParams(nativeQuery({ interpolation: 'RSP_NearestNeighbor' }))}`);
    expect(response.headers.get('content-type')).toBe('image/tiff');
    gdal.vsimem.set(Buffer.from(await response.arrayBuffer()), '/vsimem/export-test.tif');
    const tiff = gdal.open('/vsimem/export-test.tif');
    expect(tiff.geoTransform).toEqual([499950, 2, 0, 4100350, 0, -2]);
    expect(tiff.srs?.getAuthorityCode(null)).toBe('32611');
    const reference = await referenceWarp([images.b, images.c, images.a], NATIVE);
    const band = tiff.bands.get(1);
    const values = band.pixels.read(0, 0, NATIVE.width, NATIVE.height);
    expect(band.noDataValue).toBe(0);
    let same = 0;
    for (let i = 0; i < values.length; i++) same += (reference.alpha[i] ? reference.bands[0][i] : 0) === values[i] ? 1 : 0;
    expect(same / values.length).toBeGreaterThan(0.995);
    tiff.close();
    gdal.vsimem.release('/vsimem/export-test.tif');
  });

  it('writes LERC blobs (one per band, version 1 when pixels are missing)', async () => {
    const response = await fetch(`${server.url}${service}/exportImage?f=image&format=lerc&${new URLSearchParams(nativeQuery())}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 10).toString('latin1')).toBe('CntZImage ');
    expect(bytes.indexOf('CntZImage ', 10)).toBeGreaterThan(10);
  });

  it('refuses a missing bbox, a bad format and sizes beyond the limits', async () => {
    expect((await server.get<ErrorAnswer>(`${service}/exportImage?f=json`)).error.code).toBe(400);
    expect((await server.get<ErrorAnswer>(`${service}/exportImage?f=json&bbox=0,0,1,1&format=webp`)).error.code).toBe(400);
    expect((await server.get<ErrorAnswer>(`${service}/exportImage?f=json&bbox=0,0,1,1&size=20000,100`)).error.code).toBe(400);
    expect((await server.get<ErrorAnswer>(`${service}/exportImage?f=json&bbox=0,0,1,1&mosaicRule={"mosaicMethod":"esriMosaicNope"}`)).error.code).toBe(400);
    expect((await server.get<ErrorAnswer>(`${service}/exportImage?f=json&bbox=0,0,1,1&mosaicRule={"where":"Nope = 1"}`)).error.code).toBe(400);
  });

  it('gives a transparent image outside the data, and a 400 with validateExtent', async () => {
    const image = await exportPixels({ bbox: '0,0,100,100', size: '20,20' });
    expect(image.data.filter((_, i) => i % 4 === 3).every((a) => a === 0)).toBe(true);
    expect((await server.get<ErrorAnswer>(`${service}/exportImage?f=json&bbox=0,0,100,100&validateExtent=true`)).error.code).toBe(400);
  });

  it('filters items with the mosaic rule where clause', async () => {
    const image = await exportPixels(nativeQuery({ mosaicRule: JSON.stringify({ mosaicMethod: 'esriMosaicNorthwest', where: "Name = 'B'" }) }));
    const reference = await referenceWarp([images.b], NATIVE);
    expect(agreement(image, reference)).toBeGreaterThan(0.995);
  });
});
