import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { makeBadRasters } from '../fixtures/raster/make-bad-rasters.js';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import type { JobStatus } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { RASTER_ANALYSIS, registerFileShare, runJob, waitForJob } from './imagery-http.js';

/** Files left in the raster store for a collection name. */
function storedFiles(server: TestServer, name: string): string[] {
  const dir = path.join(server.dataDir, 'rasters', name);
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [];
}

/** No catalog, no service, no item, no copied file: what a failed or cancelled create must leave. */
async function expectNothingLeft(server: TestServer, name: string): Promise<void> {
  expect(await catalogStoreFor(server.context.config).getCollection(name)).toBeUndefined();
  expect(await server.context.stores.services.get('Hosted', name, 'ImageServer')).toBeUndefined();
  const { items } = await server.context.stores.items.query({ types: ['Image Service'], title: name, start: 1, num: 10 });
  expect(items).toEqual([]);
  expect(storedFiles(server, name)).toEqual([]);
  expect(existsSync(path.join(server.dataDir, 'rasters', name))).toBe(false);
}

describe('image collection jobs that fail leave nothing behind', () => {
  let server: TestServer;
  let token: string;
  let share: string;

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    await makeGeoTiffs(share);
    await makeBadRasters(share);
    await registerFileShare(server, 'share', share, token);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  const create = (name: string, inputRasters: unknown, extra: Record<string, unknown> = {}) =>
    runJob(server, 'CreateImageCollection', { inputRasters, imageCollection: name, rasterType: 'Raster Dataset', context: { outSR: 3857, parallelProcessingFactor: 1 }, ...extra }, token);

  it.each([
    ['an unreadable file', 'bad1', { uris: ['/share/utm-rgb.tif', '/share/unreadable.tif'] }, /Not a readable raster.*unreadable\.tif/],
    ['an image without georeference or GPS', 'bad2', { uris: ['/share/utm-rgb.tif', '/share/ungeoreferenced.png'] }, /ungeoreferenced\.png.*(georeference)/],
    ['a uri outside every data store', 'bad3', { uri: '/etc/hostname', byref: true }, /not inside a registered data store/],
    ['a uri escaping its data store', 'bad4', { uri: '/share/../../etc/hostname' }, /not inside a registered data store/],
    ['a missing item', 'bad5', { itemIds: ['0123456789abcdef0123456789abcdef'] }, /does not exist or is not accessible/],
  ])('fails on %s', async (_what, name, inputRasters, message) => {
    const job = await create(name, inputRasters);
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(job.messages.map((m) => m.description).join('\n')).toMatch(message);
    expect(job.messages.map((m) => m.description).join('\n')).not.toContain(share);
    await expectNothingLeft(server, name);
  });

  it('fails without outSR, with an unknown raster type, and for ZY3 on images that are not ZY3', async () => {
    const noSr = await create('bad6', { uri: '/share/utm-rgb.tif' }, { context: {} });
    expect(noSr.messages.map((m) => m.description).join(' ')).toMatch(/context\.outSR is required/);
    const unknown = await create('bad7', { uri: '/share/utm-rgb.tif' }, { rasterType: { rasterTypeName: 'Hyperspectral 9000' } });
    expect(unknown.messages.map((m) => m.description).join(' ')).toMatch(/Raster type 'Hyperspectral 9000' is unknown/);
    const zy3 = await create('bad8', { uri: '/share' }, { rasterType: { rasterTypeName: 'ZY3-SASMAC' } });
    expect(zy3.jobStatus).toBe('esriJobFailed');
    expect(zy3.messages.map((m) => m.description).join(' ')).toMatch(/not a ZY3 product/i);
    for (const name of ['bad6', 'bad7', 'bad8']) await expectNothingLeft(server, name);
  });

  it('refuses a where clause naming an unknown field and keeps every row', async () => {
    const created = await create('keep', { uris: ['/share/utm-rgb.tif'] });
    expect(created.jobStatus, JSON.stringify(created.messages)).toBe('esriJobSucceeded');
    const job = await runJob(server, 'DeleteImage', { imageCollection: { url: created.results.result.value.url }, where: 'NoSuchField = 1' }, token);
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(job.messages.map((m) => m.description).join(' ')).toMatch(/'where' is invalid.*NoSuchField/i);
    const count = await server.get<unknown>(`/rest/services/Hosted/keep/ImageServer/query?where=1%3D1&returnCountOnly=true&f=json&token=${token}`);
    expect(count).toEqual({ count: 1 });
    expect(storedFiles(server, 'keep').filter((f) => f.endsWith('.tif'))).toHaveLength(1);
  });

  it('rolls back a job cancelled in the middle of its ingest', async () => {
    const big = mkdtempSync(path.join(share, 'big-'));
    const source = await gdal.openAsync(path.join(share, 'utm-rgb.tif'));
    for (let i = 0; i < 12; i++) await gdal.translateAsync(path.join(big, `big-${i}.tif`), source, ['-outsize', '2400', '1800']);
    source.close();
    const form = {
      inputRasters: JSON.stringify({ uri: `/share/${path.basename(big)}` }),
      imageCollection: 'cancelled',
      rasterType: 'Raster Dataset',
      context: JSON.stringify({ outSR: { wkid: 3857 }, parallelProcessingFactor: 1 }),
    };
    const submitted = await server.post<JobStatus>(`${RASTER_ANALYSIS}/CreateImageCollection/submitJob`, { ...form, f: 'json', token });
    // Wait until some images are in the raster store, then cancel.
    const deadline = Date.now() + 60_000;
    while (storedFiles(server, 'cancelled').filter((f) => f.endsWith('.tif')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(storedFiles(server, 'cancelled').length).toBeGreaterThan(0);
    const cancel = await server.post<JobStatus>(`${RASTER_ANALYSIS}/CreateImageCollection/jobs/${submitted.jobId}/cancel`, { f: 'json', token });
    expect(cancel.jobStatus).toMatch(/esriJobCancell?ing|esriJobCancelled/);
    const job = await waitForJob(server, 'CreateImageCollection', submitted.jobId, token, 60_000, (j) => j.jobStatus === 'esriJobCancelled');
    expect(job.jobStatus).toBe('esriJobCancelled');
    await expectNothingLeft(server, 'cancelled');
    rmSync(big, { recursive: true, force: true });
  });
});
