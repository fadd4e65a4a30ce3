import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGeoTiffs } from '../../fixtures/raster/make-geotiffs.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { registerFileShare, runJob } from '../imagery-http.js';

describe('image collections under hostile input', () => {
  let server: TestServer;
  let token: string;
  let share: string;
  let itemId: string;

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    await makeGeoTiffs(share);
    await registerFileShare(server, 'share', share, token);
    const created = await runJob(
      server,
      'CreateImageCollection',
      { inputRasters: { uris: ['/share/utm-rgb.tif', '/share/wgs84-dem.tif'] }, imageCollection: { serviceProperties: { name: 'hostile' } }, rasterType: 'Raster Dataset', context: { outSR: 4326 } },
      token,
    );
    expect(created.jobStatus, JSON.stringify(created.messages)).toBe('esriJobSucceeded');
    itemId = created.results.result.value.itemId;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  it('queries the catalog with Shape IS NOT NULL', async () => {
    const count = await server.get(`/rest/services/Hosted/hostile/ImageServer/query?where=${encodeURIComponent('Shape IS NOT NULL')}&returnCountOnly=true&f=json&token=${token}`);
    expect(count).toEqual({ count: 2 });
  });

  it('refuses URL inputs to loopback addresses with one message, whatever the port', async () => {
    const messages = [];
    for (const url of ['http://127.0.0.1:22/x.tif', `${server.url.replace('/arcgis', '')}/x.tif`]) {
      const job = await runJob(server, 'AddImage', { imageCollection: { itemId }, inputRasters: { urls: [url] }, rasterType: 'Raster Dataset' }, token);
      expect(job.jobStatus).toBe('esriJobFailed');
      messages.push(job.messages.filter((m) => m.type === 'esriJobMessageTypeError').map((m) => m.description.replace(url, 'URL')));
    }
    expect(messages[0].slice(0, 2)).toEqual(messages[1].slice(0, 2));
    expect(messages[0].join(' ')).toMatch(/loopback or private address/);
  });

  it('deletes with Shape IS NOT NULL, as the README lists', async () => {
    const job = await runJob(server, 'DeleteImage', { imageCollection: { itemId }, where: 'Shape IS NOT NULL' }, token);
    expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
    const count = await server.get(`/rest/services/Hosted/hostile/ImageServer/query?where=1%3D1&returnCountOnly=true&f=json&token=${token}`);
    expect(count).toEqual({ count: 0 });
  });
});
