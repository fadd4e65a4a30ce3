import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { registerFileShare, runJob } from './imagery-http.js';

/**
 * A collection whose item is this same server's image service, by reference: an exportImage of
 * it renders inside a render slot and GDAL's read of the item asks this server for the inner
 * service's exportImage. With one slot, the inner render used to wait for the slot the outer
 * render held while waiting for it: the request never answered.
 */
describe('exportImage of a collection whose item is this server\'s own image service (one render slot)', () => {
  let server: TestServer;
  let token: string;
  let share: string;
  const INNER = ['inner', 'inner1', 'inner2', 'inner3', 'inner4'];
  let query = '';
  const serviceUrl = (name: string) => `${server.url}/rest/services/Hosted/${name}/ImageServer`;
  // The same server under another name: a URL of the submitter's own origin would name the local collection.
  const otherNameUrl = (name: string) => serviceUrl(name).replace('//127.0.0.1:', '//localhost:');

  beforeAll(async () => {
    // The item is read over HTTP from loopback: private URLs allowed.
    server = await startTestServer({ allowPrivateUrls: true, raster: { renderConcurrency: 1 } as never });
    token = await server.token();
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    await makeGeoTiffs(share);
    await registerFileShare(server, 'share', share, token);
    for (const name of INNER) {
      const inner = await runJob(server, 'CreateImageCollection', { inputRasters: { uri: '/share/wgs84-dem.tif' }, imageCollection: name, rasterType: 'Raster Dataset', context: { outSR: { wkid: 4326 } } }, token);
      expect(inner.jobStatus, JSON.stringify(inner.messages)).toBe('esriJobSucceeded');
      await server.context.stores.services.update('Hosted', name, 'ImageServer', { access: 'public' });
    }
    const outer = await runJob(
      server,
      'CreateImageCollection',
      { inputRasters: { url: otherNameUrl('inner'), byref: true }, imageCollection: 'outer', rasterType: 'Raster Dataset', context: { outSR: { wkid: 4326 } } },
      token,
    );
    expect(outer.jobStatus, JSON.stringify(outer.messages)).toBe('esriJobSucceeded');
    // Five items read from this server, more than libuv's 4 threads (the test process's default).
    for (const [i, name] of INNER.entries()) {
      const job = i === 0
        ? await runJob(server, 'CreateImageCollection', { inputRasters: { url: otherNameUrl(name), byref: true }, imageCollection: 'five', rasterType: 'Raster Dataset', context: { outSR: { wkid: 4326 } } }, token)
        : await runJob(server, 'AddImage', { imageCollection: 'five', inputRasters: { url: otherNameUrl(name), byref: true }, rasterType: 'Raster Dataset' }, token);
      expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
    }
    const catalog = catalogStoreFor(server.context.config);
    const [item] = await catalog.queryItems((await catalog.getCollection('outer'))!.id, {});
    expect(item!.path.startsWith(`/vsicurl/${otherNameUrl('inner')}/exportImage?`), item!.path).toBe(true);
    const { xmin, ymin, xmax, ymax } = item!.bbox;
    query = `bbox=${xmin},${ymin},${xmax},${ymax}&bboxSR=4326&imageSR=4326&size=64,64&format=tiff&pixelType=S16&interpolation=RSP_NearestNeighbor&f=image`;
  }, 300_000);
  // Bounded: before the fix these never answered.
  const read = async (name: string, extra = '') => {
    const answer = await fetch(`${serviceUrl(name)}/exportImage?${query}${extra}&token=${token}`, { signal: AbortSignal.timeout(30_000) });
    expect(answer.status).toBe(200);
    const file = `/vsimem/self-read-${name}-${Math.random()}.tif`;
    gdal.vsimem.set(Buffer.from(await answer.arrayBuffer()), file);
    const dataset = gdal.open(file);
    const pixels = dataset.bands.get(1).pixels.read(0, 0, 64, 64) as Int16Array;
    dataset.close();
    gdal.vsimem.release(file);
    return pixels;
  };
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  it('answers with the inner service\'s pixels, also with two such requests at once', async () => {
    const [outer, again] = await Promise.all([read('outer'), read('outer')]);
    const inner = await read('inner');
    expect(outer.some((v) => v > 0)).toBe(true);
    expect(Array.from(outer)).toEqual(Array.from(inner));
    expect(Array.from(again)).toEqual(Array.from(inner));
  }, 60_000);

  it('draws five such items combined (mean) with a thread of the pool each in turn, not all at once', async () => {
    const mean = `&mosaicRule=${encodeURIComponent(JSON.stringify({ mosaicMethod: 'esriMosaicNone', mosaicOperation: 'MT_MEAN' }))}`;
    const [five, again] = await Promise.all([read('five', mean), read('five', mean)]);
    const inner = await read('inner');
    expect(Array.from(five)).toEqual(Array.from(inner));
    expect(Array.from(again)).toEqual(Array.from(inner));
  }, 60_000);
});
