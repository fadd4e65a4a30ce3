import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeArea } from '../../src/imagery/render/collection-statistics.js';
import { exportImage } from '../../src/imagery/render/export-image.js';
import { readExportRequest } from '../../src/imagery/render/export-params.js';
import { getSamples } from '../../src/imagery/render/get-samples.js';
import { identify } from '../../src/imagery/render/identify.js';
import { DEFAULT_MOSAIC_RULE } from '../../src/imagery/render/mosaic-rule.js';
import { renderTile } from '../../src/imagery/render/render-tile.js';
import { resolveSrs } from '../../src/imagery/render/srs-cache.js';
import type { CatalogStore, CollectionRecord } from '../../src/imagery/store/catalog-store.js';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { Params } from '../../src/params.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { makeOverlapImages, publishTestCollection } from './image-render-collection.js';

let server: TestServer;
let dir: string;
let service: string;
let catalog: CatalogStore;
let collection: CollectionRecord;

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'render-abort-'));
  const images = await makeOverlapImages(dir);
  const published = await publishTestCollection(server, 'abort', 32611, [
    { path: images.a, name: 'A' },
    { path: images.b, name: 'B' },
  ]);
  service = published.path;
  catalog = catalogStoreFor(server.context.config);
  collection = (await catalog.getCollection(published.collectionId))!;
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const gone = () => AbortSignal.abort(new DOMException('The client closed the connection', 'AbortError'));
const exportRequest = () => readExportRequest(new Params({ bbox: '500000,4100000,500450,4100300', size: '300,200' }));
const clientSrs = () => resolveSrs({ wkid: 32611 });

describe('a client that has gone', () => {
  it('stops exportImage, identify, getSamples, area statistics and tiles before their raster reads', async () => {
    const abortError = { name: 'AbortError' };
    await expect(exportImage(catalog, collection, exportRequest(), undefined, gone())).rejects.toMatchObject(abortError);
    const options = { renderingRule: null, returnGeometry: false, returnCatalogItems: true, returnPixelValues: true, outSrs: clientSrs(), location: { x: 500100, y: 4100200 } };
    await expect(identify(catalog, collection, { x: 500100, y: 4100200, rule: DEFAULT_MOSAIC_RULE }, options, gone())).rejects.toMatchObject(abortError);
    const samples = { geometry: { x: 500100, y: 4100200 }, rule: DEFAULT_MOSAIC_RULE, returnFirstValueOnly: true, outFields: [], toClient: (x: number, y: number): [number, number] => [x, y], clientSr: { wkid: 32611 } };
    await expect(getSamples(catalog, collection, { ...samples, signal: gone() })).rejects.toMatchObject(abortError);
    const box = { xmin: 500000, ymin: 4100000, xmax: 500300, ymax: 4100300 };
    await expect(summarizeArea(catalog, collection, box, { rule: DEFAULT_MOSAIC_RULE, renderingRule: null, signal: gone() })).rejects.toMatchObject(abortError);
    await expect(renderTile(catalog, collection, 0, 0, 0, undefined, gone())).rejects.toMatchObject(abortError);

    // The same calls with a live signal draw as before.
    const live = new AbortController().signal;
    const { grid } = await exportImage(catalog, collection, exportRequest(), undefined, live);
    expect([grid.width, grid.height]).toEqual([300, 200]);
    const at = await identify(catalog, collection, { x: 500100, y: 4100200, rule: DEFAULT_MOSAIC_RULE }, options, live);
    expect(at.value).not.toBe('NoData');
  });

  it('leaves the server answering: an exportImage dropped mid-way, then the same request whole', async () => {
    const url = `${server.url}${service}/exportImage?f=image&format=png&bbox=500000,4100000,500450,4100300&size=4000,2600`;
    const client = new AbortController();
    const dropped = fetch(url, { signal: client.signal });
    setTimeout(() => client.abort(), 20);
    await expect(dropped).rejects.toMatchObject({ name: 'AbortError' });
    const whole = await fetch(url.replace('size=4000,2600', 'size=300,200'));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('image/png');
  });
});
