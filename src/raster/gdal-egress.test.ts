import { readFile, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressPolicy } from '../net/public-address.js';
import { gdalToolEgressEnv, guardGdalEgress } from './gdal-egress.js';
import { runGdalCommand } from './run-gdal-command.js';

// GDAL resolves and follows redirects itself: its reads go through the egress proxy, which allows
// the "public" host (127.0.0.2, allowed as TESSERA_PRIVATE_URL_HOSTS would) and nothing else here.
let dir: string;
let tiff: Buffer;
let secret: http.Server;
let host: http.Server;
let secretBase: string;
let hostBase: string;

/** Serves `tiff` at any `….tif` with range support, as /vsicurl/ wants; `/hop/…` redirects to `target`. */
function tiffServer(target?: () => string): http.Server {
  return http.createServer((request, response) => {
    if (target && request.url?.startsWith('/hop/')) return void response.writeHead(302, { location: `${target()}/${request.url.slice(5)}` }).end();
    // Only the .tif itself: GDAL's probes for side-car files (.ovr, .msk) find nothing.
    if (!request.url?.endsWith('.tif')) return void response.writeHead(404).end();
    const range = /bytes=(\d+)-(\d*)/.exec(request.headers.range ?? '');
    if (!range) return void response.writeHead(200, { 'content-length': tiff.length, 'accept-ranges': 'bytes' }).end(request.method === 'HEAD' ? undefined : tiff);
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : tiff.length - 1, tiff.length - 1);
    response.writeHead(206, { 'content-range': `bytes ${start}-${end}/${tiff.length}`, 'content-length': end - start + 1 });
    response.end(request.method === 'HEAD' ? undefined : tiff.subarray(start, end + 1));
  });
}

async function listen(server: http.Server, address: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return `http://${address}:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tessera-egress-'));
  const file = path.join(dir, 'a.tif');
  const dataset = gdal.open(file, 'w', 'GTiff', 4, 4, 1, gdal.GDT_Byte);
  dataset.geoTransform = [0, 1, 0, 4, 0, -1];
  dataset.close();
  tiff = await readFile(file);
  secret = tiffServer();
  secretBase = await listen(secret, '127.0.0.1');
  host = tiffServer(() => secretBase);
  hostBase = await listen(host, '127.0.0.2');
  await guardGdalEgress(addressPolicy(false, '127.0.0.2'));
});

afterAll(async () => {
  await guardGdalEgress(addressPolicy(true));
  secret.close();
  host.close();
  await rm(dir, { recursive: true, force: true });
});

describe('GDAL reads of URLs', () => {
  it('reach an allowed host', async () => {
    const dataset = await gdal.openAsync(`/vsicurl/${hostBase}/direct/a.tif`);
    expect(dataset.rasterSize).toEqual({ x: 4, y: 4 });
    dataset.close();
  });

  it('do not follow a redirect to a private address', async () => {
    await expect(gdal.openAsync(`/vsicurl/${hostBase}/hop/b.tif`)).rejects.toThrow();
  });

  it('do not reach a private address directly', async () => {
    await expect(gdal.openAsync(`/vsicurl/${secretBase}/c.tif`)).rejects.toThrow();
  });
});

describe('the proxy setting', () => {
  it('stays out of the environment other child processes inherit', () => {
    expect(process.env.GDAL_HTTP_PROXY).toBeUndefined();
    expect(gdalToolEgressEnv().GDAL_HTTP_PROXY).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('reaches the gdal tools: an allowed host is read, a private one is not', async () => {
    await runGdalCommand('gdalinfo', [`/vsicurl/${hostBase}/direct/a.tif`]);
    await expect(runGdalCommand('gdalinfo', [`/vsicurl/${secretBase}/d.tif`])).rejects.toThrow();
  });
});
