import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
    const count = await server.get<unknown>(`/rest/services/Hosted/hostile/ImageServer/query?where=${encodeURIComponent('Shape IS NOT NULL')}&returnCountOnly=true&f=json&token=${token}`);
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
    const count = await server.get<unknown>(`/rest/services/Hosted/hostile/ImageServer/query?where=1%3D1&returnCountOnly=true&f=json&token=${token}`);
    expect(count).toEqual({ count: 0 });
  });
});

describe('URL inputs that redirect', () => {
  // The image host is 127.0.0.2, allowed by TESSERA_PRIVATE_URL_HOSTS as an internal image server
  // would be; it redirects /hop/… to 127.0.0.1, which stays refused. GDAL (in the job worker
  // process) follows redirects itself: the egress proxy must stop the hop.
  let server: TestServer;
  let token: string;
  let share: string;
  let itemId: string;
  let host: http.Server;
  let hidden: http.Server;
  let hostBase: string;

  const fileServer = (redirectTo?: () => string) =>
    http.createServer((request, response) => {
      const name = path.basename(request.url ?? '');
      if (redirectTo && request.url?.startsWith('/hop/')) return void response.writeHead(302, { location: `${redirectTo()}/${name}` }).end();
      let body: Buffer;
      try {
        body = readFileSync(path.join(share, name));
      } catch {
        return void response.writeHead(404).end();
      }
      const range = /bytes=(\d+)-(\d*)/.exec(request.headers.range ?? '');
      if (!range) return void response.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' }).end(request.method === 'HEAD' ? undefined : body);
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : body.length - 1, body.length - 1);
      response.writeHead(206, { 'content-range': `bytes ${start}-${end}/${body.length}`, 'content-length': end - start + 1 });
      response.end(request.method === 'HEAD' ? undefined : body.subarray(start, end + 1));
    });
  const listen = async (target: http.Server, address: string) => {
    await new Promise<void>((resolve) => target.listen(0, address, resolve));
    return `http://${address}:${(target.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    await makeGeoTiffs(share);
    hidden = fileServer();
    const hiddenBase = await listen(hidden, '127.0.0.1');
    host = fileServer(() => hiddenBase);
    hostBase = await listen(host, '127.0.0.2');
    server = await startTestServer({ privateUrlHosts: '127.0.0.2' });
    token = await server.token();
    const created = await runJob(
      server,
      'CreateImageCollection',
      { inputRasters: { urls: [`${hostBase}/direct/utm-rgb.tif`] }, imageCollection: { serviceProperties: { name: 'redirects' } }, rasterType: 'Raster Dataset', context: { outSR: 4326 } },
      token,
    );
    expect(created.jobStatus, JSON.stringify(created.messages)).toBe('esriJobSucceeded');
    itemId = created.results.result.value.itemId;
  });
  afterAll(async () => {
    await server?.close();
    host?.close();
    hidden?.close();
    rmSync(share, { recursive: true, force: true });
  });

  it('reads the allowed host, and refuses its redirect to a private address', async () => {
    const job = await runJob(server, 'AddImage', { imageCollection: { itemId }, inputRasters: { urls: [`${hostBase}/hop/wgs84-dem.tif`] }, rasterType: 'Raster Dataset' }, token);
    expect(job.jobStatus).toBe('esriJobFailed');
    const count = await server.get<unknown>(`/rest/services/Hosted/redirects/ImageServer/query?where=1%3D1&returnCountOnly=true&f=json&token=${token}`);
    expect(count).toEqual({ count: 1 });
  });
});
