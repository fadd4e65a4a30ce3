import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { registerFileShare, runJob } from './imagery-http.js';

/** Every .tif below a folder. */
function tiffsBelow(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tif')).sort() : [];
}

/**
 * Issue 11, defect 1: a collection URL on another host must never name a local collection. Two
 * real servers on loopback (different ports, so different origins) each hold a collection `col2`
 * made from a different image; every task is run on `local` with URLs naming `other`'s.
 */
describe('seed conformance: image service URLs of other servers', () => {
  let local: TestServer;
  let other: TestServer;
  let localToken: string;
  let otherToken: string;
  let share: string;
  const collectionUrl = (server: TestServer, name: string) => `${server.url}/rest/services/Hosted/${name}/ImageServer`;

  /** The state of `local`'s col2 that no foreign URL may change. */
  async function localCol2(): Promise<{ rows: string[]; files: string[]; service: boolean; item: boolean }> {
    const catalog = catalogStoreFor(local.context.config);
    const collection = await catalog.getCollection('col2');
    const rows = collection ? (await catalog.queryItems(collection.id, {})).map((r) => r.name).sort() : [];
    const service = await local.context.stores.services.get('Hosted', 'col2', 'ImageServer');
    const item = service?.itemId ? await local.context.stores.items.get(service.itemId) : undefined;
    return { rows, files: tiffsBelow(path.join(local.dataDir, 'rasters', 'col2')), service: !!service, item: !!item };
  }

  beforeAll(async () => {
    [local, other] = await Promise.all([startTestServer(), startTestServer()]);
    [localToken, otherToken] = await Promise.all([local.token(), other.token()]);
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    await makeGeoTiffs(share);
    for (const [server, token, image] of [
      [local, localToken, 'utm-rgb.tif'],
      [other, otherToken, 'wgs84-dem.tif'],
    ] as const) {
      expect(await registerFileShare(server, 'share', share, token)).toMatchObject({ status: 'success' });
      const job = await runJob(server, 'CreateImageCollection', { inputRasters: { uri: `/share/${image}` }, imageCollection: 'col2', rasterType: 'Raster Dataset', context: { outSR: { wkid: 4326 } } }, token);
      expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
    }
    // The other server's collection is public, as a remote service read over HTTP would be.
    await other.context.stores.services.update('Hosted', 'col2', 'ImageServer', { access: 'public' });
  });
  afterAll(async () => {
    await Promise.all([local?.close(), other?.close()]);
    rmSync(share, { recursive: true, force: true });
  });

  it('DeleteImageCollection with a collection URL on another host fails and deletes nothing here', async () => {
    const before = await localCol2();
    expect(before).toMatchObject({ rows: ['utm-rgb'], service: true, item: true });
    for (const url of ['http://example.com/arcgis/rest/services/Hosted/col2/ImageServer', collectionUrl(other, 'col2')]) {
      const job = await runJob(local, 'DeleteImageCollection', { imageCollection: { url } }, localToken);
      expect(job.jobStatus).toBe('esriJobFailed');
      expect(job.messages.map((m) => m.description).join(' ')).toMatch(/not on this server/);
      expect(await localCol2()).toEqual(before);
    }
  });

  it('DeleteImage with a collection URL on another host fails and removes no image here', async () => {
    const before = await localCol2();
    for (const url of ['https://other-server.example.com/arcgis/rest/services/Hosted/col2/ImageServer', collectionUrl(other, 'col2')]) {
      const job = await runJob(local, 'DeleteImage', { imageCollection: { url }, where: '1=1' }, localToken);
      expect(job.jobStatus).toBe('esriJobFailed');
      expect(job.messages.map((m) => m.description).join(' ')).toMatch(/not on this server/);
      expect(await localCol2()).toEqual(before);
    }
  });

  it('AddImage into a collection URL on another host fails', async () => {
    const before = await localCol2();
    const job = await runJob(local, 'AddImage', { imageCollection: { url: collectionUrl(other, 'col2') }, inputRasters: { uri: '/share/mercator-float.tif' }, rasterType: 'Raster Dataset' }, localToken);
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(await localCol2()).toEqual(before);
  });

  it("an input URL of another server's image service reads that service's pixels, not the local namesake's", async () => {
    const before = await localCol2();
    const job = await runJob(
      local,
      'CreateImageCollection',
      { inputRasters: { url: collectionUrl(other, 'col2') }, imageCollection: 'fromother', rasterType: 'Raster Dataset', context: { outSR: { wkid: 4326 } } },
      localToken,
    );
    expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
    const catalog = catalogStoreFor(local.context.config);
    const [row, ...rest] = await catalog.queryItems((await catalog.getCollection('fromother'))!.id, {});
    expect(rest).toEqual([]);
    // The other server's col2 is the one-band Int16 DEM; the local col2 is 3-band RGB.
    const copy = gdal.open(row!.path);
    expect(copy.bands.count()).toBe(1);
    expect(copy.bands.get(1).dataType).toBe(gdal.GDT_Int16);
    // The same pixel, found by its coordinates: the service's extent is the DEM's valid area.
    const source = gdal.open(path.join(share, 'wgs84-dem.tif'));
    const [cx, cw, , cy, , ch] = copy.geoTransform!;
    const [sx, sw, , sy, , sh] = source.geoTransform!;
    expect(cw).toBeCloseTo(sw, 9);
    expect(ch).toBeCloseTo(sh, 9);
    const [col, row2] = [90, 90];
    const [lon, lat] = [cx! + (col + 0.5) * cw!, cy! + (row2 + 0.5) * ch!];
    const expected = source.bands.get(1).pixels.get(Math.floor((lon - sx!) / sw!), Math.floor((lat - sy!) / sh!));
    expect(copy.bands.get(1).pixels.get(col, row2)).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    copy.close();
    source.close();
    expect(await localCol2()).toEqual(before);
  });

  it('by reference, a remote image service stays remote: the row points at it over HTTP', async () => {
    const job = await runJob(
      local,
      'CreateImageCollection',
      { inputRasters: { url: collectionUrl(other, 'col2'), byref: true }, imageCollection: 'refother', rasterType: 'Raster Dataset', context: { outSR: { wkid: 4326 } } },
      localToken,
    );
    expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
    const catalog = catalogStoreFor(local.context.config);
    const rows = await catalog.queryItems((await catalog.getCollection('refother'))!.id, {});
    expect(rows).toHaveLength(1);
    expect(rows[0]!.path.startsWith(`/vsicurl/${collectionUrl(other, 'col2')}/exportImage?`)).toBe(true);
    expect(tiffsBelow(path.join(local.dataDir, 'rasters', 'refother'))).toEqual([]);
  });

  it('an input URL naming a missing service of this server says which input and that it does not exist (defect 9)', async () => {
    const url = collectionUrl(local, 'nope');
    const job = await runJob(local, 'CreateImageCollection', { inputRasters: { url }, imageCollection: 'never', rasterType: 'Raster Dataset', context: { outSR: { wkid: 4326 } } }, localToken);
    expect(job.jobStatus).toBe('esriJobFailed');
    const text = job.messages.map((m) => m.description).join(' ');
    expect(text).toContain(`Input '${url}'`);
    expect(text).toMatch(/Hosted\/nope does not exist/);
    expect(text).not.toMatch(/not recognized|http:127/);
    expect(await catalogStoreFor(local.context.config).getCollection('never')).toBeUndefined();
  });

  it('an output itemId that names no item fails; no service is named after it (defect 3)', async () => {
    const itemId = 'a'.repeat(32);
    const servicesBefore = (await local.context.stores.services.list()).length;
    const job = await runJob(local, 'CreateImageCollection', { inputRasters: { uri: '/share/utm-rgb.tif' }, imageCollection: { itemId }, rasterType: 'Raster Dataset', context: { outSR: { wkid: 4326 } } }, localToken);
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(job.messages.map((m) => m.description).join(' ')).toMatch(/does not exist/);
    expect(await local.context.stores.services.get('Hosted', itemId, 'ImageServer')).toBeUndefined();
    expect((await local.context.stores.services.list()).length).toBe(servicesBefore);
    expect(tiffsBelow(path.join(local.dataDir, 'rasters', itemId))).toEqual([]);
  });

  it('an output URL of a missing local service fails instead of creating one', async () => {
    const job = await runJob(local, 'CreateImageCollection', { inputRasters: { uri: '/share/utm-rgb.tif' }, imageCollection: { url: collectionUrl(local, 'ghost') }, rasterType: 'Raster Dataset', context: { outSR: { wkid: 4326 } } }, localToken);
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(await local.context.stores.services.get('Hosted', 'ghost', 'ImageServer')).toBeUndefined();
  });
});
