import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import type { FeatureSet, ImageServiceJson, LayerJson, ServiceJson } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService } from './features-helpers.js';
import { decodeImage } from './image-render-collection.js';
import { registerFileShare, runJob } from './imagery-http.js';

/**
 * QGIS's ArcGIS REST providers, replayed request by request (the parameters its AFS and AMS
 * providers send): a feature layer read by ids in blocks with envelope filters and no `inSR`,
 * the token in a header; image collections made by CreateImageCollection — in EPSG:4326 from an
 * 8 × 8 GeoTIFF, and in UTM 33N (EPSG:32633) from a 64 × 64 one with a colour per quadrant —
 * drawn from tiles (QGIS lays `tileInfo` over the service's SR) and from `exportImage` without
 * `bboxSR`/`imageSR`.
 */
let server: TestServer;
let token: string;
let dir: string;

interface Source {
  name: string;
  epsg: number;
  x0: number;
  y0: number;
  pixel: number;
  size: number;
  /** The colour of a source pixel. */
  rgb: (col: number, row: number) => number[];
}

const WGS84: Source = { name: 'small4326', epsg: 4326, x0: 7, y0: 47, pixel: 0.01, size: 8, rgb: () => [200, 60, 30] };
const QUADRANTS = [[[220, 40, 40], [40, 200, 40]], [[40, 40, 220], [230, 220, 40]]];
const UTM: Source = { name: 'utm32633', epsg: 32633, x0: 500_000, y0: 5_200_000, pixel: 10, size: 64, rgb: (col, row) => QUADRANTS[row < 32 ? 0 : 1]![col < 32 ? 0 : 1]! };

/** The map point at the middle of a source pixel, and the colour there. */
function sample(source: Source, col: number, row: number) {
  return { x: source.x0 + (col + 0.5) * source.pixel, y: source.y0 - (row + 0.5) * source.pixel, rgb: source.rgb(col, row) };
}

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
  dir = await mkdtemp(path.join(tmpdir(), 'qgis-replay-'));
  await registerFileShare(server, 'share', dir, token);
  for (const source of [WGS84, UTM]) {
    await writeRaster(path.join(dir, `${source.name}.tif`), {
      width: source.size, height: source.size, bands: 3, srs: `EPSG:${source.epsg}`,
      geoTransform: [source.x0, source.pixel, 0, source.y0, 0, -source.pixel], value: (c, r, b) => source.rgb(c, r)[b - 1]!,
    });
    const job = await runJob(server, 'CreateImageCollection', {
      inputRasters: { uris: [`/share/${source.name}.tif`] },
      imageCollection: { serviceProperties: { name: source.name } },
      rasterType: { rasterTypeName: 'Raster Dataset' },
      context: { outSR: { wkid: source.epsg } },
    }, token);
    expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
  }
  await createGridService(server, token, 'qgisgrid');
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** QGIS sends its token in a header (auth configuration), never in the URL. */
const headers = () => ({ 'X-Esri-Authorization': `Bearer ${token}` });
const get = (pathAndQuery: string) => fetch(`${server.url}${pathAndQuery}`, { headers: headers() });
const json = async <T>(pathAndQuery: string) => (await (await get(pathAndQuery)).json()) as T;

for (const source of [WGS84, UTM]) {
  describe(`QGIS image service requests on a collection in EPSG:${source.epsg}`, () => {
    const service = `/rest/services/Hosted/${source.name}/ImageServer`;
    const half = source.size / 2;
    // A pixel in the middle of each quadrant (the WGS84 source is one colour).
    const points = [[half / 2, half / 2], [half * 1.5, half / 2], [half / 2, half * 1.5], [half * 1.5, half * 1.5]].map(([c, r]) => sample(source, Math.floor(c!), Math.floor(r!)));

    it('advertises a tiling scheme in the service SR and draws from its tiles: each colour where the source has it', async () => {
      const info = await json<ImageServiceJson>(`${service}?f=json`);
      expect(info.spatialReference.wkid).toBe(source.epsg);
      expect(info.singleFusedMapCache).toBe(true);
      expect(info.tileInfo.spatialReference.wkid).toBe(info.spatialReference.wkid);
      if (source === UTM) {
        // ArcGIS's cache origin for UTM and Transverse Mercator references; ArcGIS Online's scales in metres.
        expect(info.tileInfo.origin).toEqual({ x: -5120900, y: 9998100 });
        expect(info.tileInfo.lods[0]).toEqual({ level: 0, resolution: 156543.03392800014, scale: 591657527.591555 });
        expect(info.tileInfo.lods.at(-1)!.resolution).toBeLessThanOrEqual(source.pixel);
        expect(info.tileInfo.lods.at(-2)!.resolution).toBeGreaterThan(source.pixel);
      }
      // QGIS: tile indexes from tileInfo's origin and LOD resolutions, in the layer's CRS units.
      const { origin, lods, rows } = info.tileInfo;
      for (const lod of lods.slice(-2)) {
        const span = lod.resolution * rows;
        for (const point of points) {
          const col = Math.floor((point.x - origin.x) / span);
          const row = Math.floor((origin.y - point.y) / span);
          const tile = await get(`${service}/tile/${lod.level}/${row}/${col}`);
          expect(tile.status, `tile ${lod.level}/${row}/${col}`).toBe(200);
          expect(tile.headers.get('content-type')).toMatch(/^image\/(png|jpeg)$/);
          const image = await decodeImage(await tile.arrayBuffer());
          const px = Math.floor(((point.x - origin.x) / span - col) * image.width);
          const py = Math.floor((((origin.y - point.y) / span) - row) * image.height);
          const at = (py * image.width + px) * image.channels;
          const found = [0, 1, 2].map((b) => image.data[at + b]!);
          for (let b = 0; b < 3; b++) expect(Math.abs(found[b]! - point.rgb[b]!), `${found} for ${point.rgb} at level ${lod.level}`).toBeLessThan(16);
        }
      }
      // A tile where there is no data is a real 404: QGIS stops asking and draws nothing there.
      const last = lods.at(-1)!;
      const empty = await get(`${service}/tile/${last.level}/0/0`);
      expect(empty.status).toBe(404);
    });

    it('exports without bboxSR or imageSR in the service SR', async () => {
      const extent = source.size * source.pixel;
      const bbox = [source.x0, source.y0 - extent, source.x0 + extent, source.y0].join(',');
      const response = await get(`${service}/exportImage?bbox=${bbox}&size=16,16&format=png&transparent=true&f=image`);
      expect(response.status).toBe(200);
      const image = await decodeImage(await response.arrayBuffer());
      expect([image.width, image.height]).toEqual([16, 16]);
      for (const [px, py] of [[4, 4], [12, 4], [4, 12], [12, 12]]) {
        const at = (py! * image.width + px!) * image.channels;
        const expected = source.rgb(Math.floor((px! * source.size) / 16), Math.floor((py! * source.size) / 16));
        for (let b = 0; b < 3; b++) expect(Math.abs(image.data[at + b]! - expected[b]!)).toBeLessThanOrEqual(2); // the display stretch rounds
      }
    });
  });
}

describe('QGIS feature layer requests', () => {
  const layer = '/rest/services/Hosted/qgisgrid/FeatureServer/0';

  it('reads ids, then blocks of 100 objectIds, then ids in an envelope without inSR', async () => {
    const serviceInfo = await json<ServiceJson>('/rest/services/Hosted/qgisgrid/FeatureServer?f=json');
    expect(serviceInfo.layers[0].id).toBe(0);
    const layerInfo = await json<LayerJson>(`${layer}?f=json`);
    expect(layerInfo.objectIdField).toBe('OBJECTID');
    const ids = await json<FeatureSet>(`${layer}/query?where=1%3D1&returnIdsOnly=true&f=json`);
    expect(ids.objectIds).toHaveLength(100);
    const block = ids.objectIds.slice(0, 100).join(',');
    const features = await json<FeatureSet>(`${layer}/query?objectIds=${block}&returnGeometry=true&outFields=*&returnM=false&returnZ=false&outSR=4326&f=json`);
    expect(features.features).toHaveLength(100);
    expect(features.features[0].geometry).toEqual({ x: expect.any(Number) as number, y: expect.any(Number) as number });
    const inBox = await json<FeatureSet>(`${layer}/query?where=1%3D1&returnIdsOnly=true&geometry=2.5,2.5,4.5,3.5&geometryType=esriGeometryEnvelope&spatialRel=esriSpatialRelEnvelopeIntersects&f=json`);
    expect(inBox.objectIds.sort((a: number, b: number) => a - b)).toEqual([34, 35]);
  });
});
