import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService } from './features-helpers.js';
import { decodeImage } from './image-render-collection.js';
import { registerFileShare, runJob } from './imagery-http.js';

/**
 * QGIS's ArcGIS REST providers, replayed request by request (the parameters its AFS and AMS
 * providers send): a feature layer read by ids in blocks with envelope filters and no `inSR`,
 * the token in a header; an image collection in EPSG:4326 made by CreateImageCollection from an
 * 8 × 8 GeoTIFF, drawn from tiles — QGIS lays `tileInfo` over the service's SR — and from
 * `exportImage` without `bboxSR`/`imageSR`.
 */
let server: TestServer;
let token: string;
let dir: string;
const SOURCE = { x0: 7, y0: 47, pixel: 0.01, size: 8, rgb: [200, 60, 30] };

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
  dir = await mkdtemp(path.join(tmpdir(), 'qgis-replay-'));
  await writeRaster(path.join(dir, 'small.tif'), {
    width: SOURCE.size, height: SOURCE.size, bands: 3, srs: 'EPSG:4326',
    geoTransform: [SOURCE.x0, SOURCE.pixel, 0, SOURCE.y0, 0, -SOURCE.pixel], value: (_c, _r, b) => SOURCE.rgb[b - 1]!,
  });
  await registerFileShare(server, 'share', dir, token);
  const job = await runJob(server, 'CreateImageCollection', {
    inputRasters: { uris: ['/share/small.tif'] },
    imageCollection: { serviceProperties: { name: 'small4326' } },
    rasterType: { rasterTypeName: 'Raster Dataset' },
    context: { outSR: { wkid: 4326 } },
  }, token);
  expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
  await createGridService(server, token, 'qgisgrid');
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** QGIS sends its token in a header (auth configuration), never in the URL. */
const headers = () => ({ 'X-Esri-Authorization': `Bearer ${token}` });
const get = (pathAndQuery: string) => fetch(`${server.url}${pathAndQuery}`, { headers: headers() });
const json = async (pathAndQuery: string) => (await get(pathAndQuery)).json();

describe('QGIS image service requests on a WGS84 collection', () => {
  const service = '/rest/services/Hosted/small4326/ImageServer';

  it('draws from tiles laid over the service SR: every tile QGIS asks inside the data is an image', async () => {
    const info = await json(`${service}?f=json`);
    expect(info.spatialReference.wkid).toBe(4326);
    expect(info.singleFusedMapCache).toBe(true);
    expect(info.tileInfo.spatialReference.wkid).toBe(info.spatialReference.wkid);
    // QGIS: tile indexes from tileInfo's origin and LOD resolutions, in the layer's CRS units.
    const { origin, lods, rows } = info.tileInfo;
    const centre = { x: SOURCE.x0 + (SOURCE.size * SOURCE.pixel) / 2, y: SOURCE.y0 - (SOURCE.size * SOURCE.pixel) / 2 };
    for (const lod of lods.slice(-3)) {
      const span = lod.resolution * rows;
      const col = Math.floor((centre.x - origin.x) / span);
      const row = Math.floor((origin.y - centre.y) / span);
      const tile = await get(`${service}/tile/${lod.level}/${row}/${col}`);
      expect(tile.status, `tile ${lod.level}/${row}/${col}`).toBe(200);
      expect(tile.headers.get('content-type')).toMatch(/^image\/(png|jpeg)$/);
      const image = await decodeImage(await tile.arrayBuffer());
      const px = Math.floor(((centre.x - origin.x) / span - col) * image.width);
      const py = Math.floor(((origin.y - centre.y) / span - row) * image.height);
      const at = (py * image.width + px) * image.channels;
      for (let b = 0; b < 3; b++) expect(Math.abs(image.data[at + b]! - SOURCE.rgb[b]!), `band ${b} at level ${lod.level}`).toBeLessThan(12);
    }
    // A tile where there is no data is a real 404: QGIS stops asking and draws nothing there.
    const last = lods.at(-1);
    const empty = await get(`${service}/tile/${last.level}/0/0`);
    expect(empty.status).toBe(404);
  });

  it('exports without bboxSR or imageSR in the service SR', async () => {
    const bbox = [SOURCE.x0, SOURCE.y0 - SOURCE.size * SOURCE.pixel, SOURCE.x0 + SOURCE.size * SOURCE.pixel, SOURCE.y0].join(',');
    const response = await get(`${service}/exportImage?bbox=${bbox}&size=16,16&format=png&transparent=true&f=image`);
    expect(response.status).toBe(200);
    const image = await decodeImage(await response.arrayBuffer());
    expect([image.width, image.height]).toEqual([16, 16]);
    const at = (8 * image.width + 8) * image.channels;
    for (let b = 0; b < 3; b++) expect(Math.abs(image.data[at + b]! - SOURCE.rgb[b]!)).toBeLessThanOrEqual(2); // the display stretch rounds
  });
});

describe('QGIS feature layer requests', () => {
  const layer = '/rest/services/Hosted/qgisgrid/FeatureServer/0';

  it('reads ids, then blocks of 100 objectIds, then ids in an envelope without inSR', async () => {
    const serviceInfo = await json('/rest/services/Hosted/qgisgrid/FeatureServer?f=json');
    expect(serviceInfo.layers[0].id).toBe(0);
    const layerInfo = await json(`${layer}?f=json`);
    expect(layerInfo.objectIdField).toBe('OBJECTID');
    const ids = await json(`${layer}/query?where=1%3D1&returnIdsOnly=true&f=json`);
    expect(ids.objectIds).toHaveLength(100);
    const block = ids.objectIds.slice(0, 100).join(',');
    const features = await json(`${layer}/query?objectIds=${block}&returnGeometry=true&outFields=*&returnM=false&returnZ=false&outSR=4326&f=json`);
    expect(features.features).toHaveLength(100);
    expect(features.features[0].geometry).toEqual({ x: expect.any(Number), y: expect.any(Number) });
    const inBox = await json(`${layer}/query?where=1%3D1&returnIdsOnly=true&geometry=2.5,2.5,4.5,3.5&geometryType=esriGeometryEnvelope&spatialRel=esriSpatialRelEnvelopeIntersects&f=json`);
    expect(inBox.objectIds.sort((a: number, b: number) => a - b)).toEqual([34, 35]);
  });
});
