import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGeoTiffs, type GeoTiffFixtures } from '../fixtures/raster/make-geotiffs.js';
import { makeLandsat8Scene } from '../fixtures/raster/make-landsat-scene.js';
import type { ErrorAnswer, JobStatus, SearchAnswer, ServiceJson, SuccessAnswer } from '../helpers/answers.js';
import { BUCKET, RASTER_TOOLS, STORE_PREFIX, get, mkdirp, post, startCluster, token, waitFor, type Cluster } from './harness.js';

/**
 * The S3 raster store in a cluster (./harness.ts: PostgreSQL, s3rver, HTTP nodes A and B, worker
 * node W): images added by reference stay where every node reads them (a shared data-store
 * folder, an http(s) URL, an s3:// object) and only Tessera's own recipes go to the store;
 * raster-analysis results are uploaded by the worker and rendered by any node. Deleting
 * removes Tessera's objects only.
 */
let cluster: Cluster;
let a: string;
let b: string;
let tokenA: string;
let tokenB: string;
let share: string;
let tiffs: GeoTiffFixtures;
let landsatFolder: string;
let files: Server;
let filesBase: string;
let hanging: Server;
const sockets = new Set<Socket>();
/** Serves the shared folder until `closedWhen` (checked per request) answers true; then holds requests. */
let gated: Server;
let gatedBase: string;
let closedWhen: () => Promise<boolean> = async () => false;
let held = 0;
let s3: S3Client;

beforeAll(async () => {
  // The URL inputs are served on loopback, which only a server allowing private URLs reads.
  cluster = await startCluster({ TESSERA_ALLOW_PRIVATE_URLS: 'true' });
  ({ a, b } = cluster);
  [tokenA, tokenB] = [await token(a), await token(b)];
  share = mkdirp(path.join(cluster.root, 'share'));
  tiffs = await makeGeoTiffs(share);
  landsatFolder = (await makeLandsat8Scene(mkdirp(path.join(share, 'landsat')))).folder;
  const registered = await post<SuccessAnswer>(`${a}/admin/data/registerItem`, { item: JSON.stringify({ path: '/fileShares/share', type: 'folder', info: { path: share } }), f: 'json', token: tokenA });
  expect(registered.status).toBe('success');
  // An http(s) source: a file server with ranges, as GDAL's /vsicurl/ reads.
  const served = mkdirp(path.join(cluster.root, 'served'));
  await copyFile(tiffs.utmRgb.path, path.join(served, 'remote.tif'));
  files = createServer((request, response) => serveFile(served, request.url ?? '/', request.headers.range, request.method ?? 'GET', response));
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesBase = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
  gated = createServer((request, response) => {
    void closedWhen().then((closed) => {
      if (closed) held++;
      else serveFile(share, request.url ?? '/', request.headers.range, request.method ?? 'GET', response);
    });
  });
  gated.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => gated.listen(0, '127.0.0.1', resolve));
  gatedBase = `http://127.0.0.1:${(gated.address() as { port: number }).port}`;
  hanging = createServer(() => undefined);
  hanging.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  // An s3:// source outside the raster store's prefix.
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: `http://${cluster.env.AWS_S3_ENDPOINT}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sources/utm-rgb.tif', Body: readFileSync(tiffs.utmRgb.path) }));
}, 300_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of [files, hanging, gated]) {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  }
  s3?.destroy();
  await cluster?.stop();
}, 60_000);

/** Submits a raster task on `base` and waits for its end on the other HTTP node. */
async function runTask(base: string, task: string, params: Record<string, unknown>): Promise<JobStatus> {
  const [t, other, otherToken] = base === a ? [tokenA, b, tokenB] : [tokenB, a, tokenA];
  const form = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const submitted = await post<JobStatus>(`${base}${RASTER_TOOLS}/${task}/submitJob`, { ...form, f: 'json', token: t });
  expect(submitted.jobId, JSON.stringify(submitted)).toBeTruthy();
  return waitFor(
    () => get<JobStatus>(`${other}${RASTER_TOOLS}/${task}/jobs/${submitted.jobId}?f=json&returnMessages=true&token=${otherToken}`),
    (j) => ['esriJobSucceeded', 'esriJobFailed', 'esriJobCancelled'].includes(j.jobStatus),
    120_000,
  );
}

const lock = (id: number | undefined): string =>
  id === undefined ? '' : `&mosaicRule=${encodeURIComponent(JSON.stringify({ mosaicMethod: 'esriMosaicLockRaster', lockRasterIds: [id] }))}`;
const messages = (job: JobStatus): string => JSON.stringify(job.messages);
const rowsOf = (name: string) =>
  cluster.sql<{ object_id: number | string; path: string; by_value: number }>('SELECT i.object_id, i.path, i.by_value FROM catalog_items i JOIN image_collections c ON c.id = i.collection_id WHERE c.name = $1', [name]);
const objects = (prefix: string) => cluster.s3Objects(prefix).map((f) => f.replace(/\._S3rver_object$/, ''));

/** exportImage of a service's full extent from `base`: true when some pixel has data. */
async function rendersSomething(base: string, t: string, name: string, lockRasterId?: number): Promise<boolean> {
  const info = await get<ServiceJson>(`${base}/rest/services/Hosted/${name}/ImageServer?f=json&token=${t}`);
  expect(info.extent, JSON.stringify(info)).toBeDefined();
  const { xmin, ymin, xmax, ymax } = info.extent;
  const image = await fetch(`${base}/rest/services/Hosted/${name}/ImageServer/exportImage?bbox=${xmin},${ymin},${xmax},${ymax}&size=64,48&format=png&f=image&token=${t}${lock(lockRasterId)}`);
  expect(image.headers.get('content-type')).toBe('image/png');
  const dataset = gdal.open(Buffer.from(await image.arrayBuffer()));
  try {
    for (let i = 1; i <= dataset.bands.count(); i++) if ((dataset.bands.get(i).pixels.read(0, 0, 64, 48) as Uint8Array).some((v) => v > 0)) return true;
    return false;
  } finally {
    dataset.close();
  }
}

describe('adding images by reference with an S3 raster store', () => {
  it('references a shared data-store file, an http URL and an s3:// object in place, renders them on B, and its deletion leaves the sources', async () => {
    const job = await runTask(a, 'CreateImageCollection', {
      inputRasters: { uris: [`/share/${path.basename(tiffs.utmRgb.path)}`, `${filesBase}/remote.tif`, `s3://${BUCKET}/sources/utm-rgb.tif`], byref: true },
      imageCollection: 'byref_s3',
      rasterType: 'Raster Dataset',
      context: { outSR: { wkid: 3857 } },
    });
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    const rows = await rowsOf('byref_s3');
    expect(rows.map((r) => ({ path: r.path, by_value: r.by_value }))).toEqual(
      expect.arrayContaining([
        { path: `/vsicurl/${filesBase}/remote.tif`, by_value: 0 },
        { path: `/vsis3/${BUCKET}/sources/utm-rgb.tif`, by_value: 0 },
        { path: tiffs.utmRgb.path, by_value: 0 },
      ]),
    );
    expect(rows).toHaveLength(3);
    // Nothing was copied: the store holds no object of this collection.
    expect(objects(`${STORE_PREFIX}/byref_s3`)).toEqual([]);
    // Each source, alone, is drawn by B from where it lives.
    for (const row of rows) expect(await rendersSomething(b, tokenB, 'byref_s3', Number(row.object_id)), row.path).toBe(true);

    const removed = await runTask(b, 'DeleteImageCollection', { imageCollection: 'byref_s3' });
    expect(removed.jobStatus, messages(removed)).toBe('esriJobSucceeded');
    expect(await rowsOf('byref_s3')).toEqual([]);
    expect(existsSync(tiffs.utmRgb.path)).toBe(true);
    expect(objects('sources')).toEqual(['utm-rgb.tif']);
    expect((await fetch(`${filesBase}/remote.tif`)).status).toBe(200);
  }, 240_000);

  it('puts the recipes of a raster type (a Landsat band stack) into S3 with absolute source paths; B renders them; deletion removes them', async () => {
    const job = await runTask(a, 'CreateImageCollection', {
      inputRasters: { uri: `/share/landsat/${path.basename(landsatFolder)}`, byref: true },
      imageCollection: 'landsat_ref',
      rasterType: { rasterTypeName: 'Landsat 8' },
      context: { outSR: { wkid: 3857 } },
    });
    expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    const [row] = await rowsOf('landsat_ref');
    expect(row.path).toMatch(new RegExp(`^/vsis3/${BUCKET}/${STORE_PREFIX}/landsat_ref/j[0-9a-f]{32}/recipes/.+\\.vrt$`));
    expect(row.by_value).toBe(0);
    const key = row.path.slice(`/vsis3/${BUCKET}/`.length);
    expect(objects(`${STORE_PREFIX}/landsat_ref`).map((k) => `${STORE_PREFIX}/landsat_ref/${k}`)).toContain(key);
    // The recipe names the band files where every node finds them, never relative to itself.
    const recipe = readFileSync(path.join(cluster.s3Dir, BUCKET, `${key}._S3rver_object`), 'utf8');
    expect(recipe).toContain(`relativeToVRT="0">${landsatFolder}/`);
    expect(recipe).not.toMatch(/relativeToVRT="1"/i);
    expect(await rendersSomething(b, tokenB, 'landsat_ref')).toBe(true);

    // DeleteImage removes the row's recipe object, never the band files it names.
    const deleted = await runTask(b, 'DeleteImage', { imageCollection: 'landsat_ref', where: '1=1' });
    expect(deleted.jobStatus, messages(deleted)).toBe('esriJobSucceeded');
    expect(await rowsOf('landsat_ref')).toEqual([]);
    expect(objects(`${STORE_PREFIX}/landsat_ref`).map((k) => `${STORE_PREFIX}/landsat_ref/${k}`)).not.toContain(key);
    expect(existsSync(path.join(landsatFolder, `${path.basename(landsatFolder)}_B1.TIF`))).toBe(true);

    const removed = await runTask(b, 'DeleteImageCollection', { imageCollection: 'landsat_ref' });
    expect(removed.jobStatus, messages(removed)).toBe('esriJobSucceeded');
    expect(objects(`${STORE_PREFIX}/landsat_ref`)).toEqual([]);
    expect(statSync(landsatFolder).isDirectory()).toBe(true);
  }, 240_000);

  it('refuses by reference an object inside the raster store, naming why', async () => {
    const job = await runTask(a, 'CreateImageCollection', {
      inputRasters: { uri: `s3://${BUCKET}/${STORE_PREFIX}/elsewhere/a.tif`, byref: true },
      imageCollection: 'refused_ref',
      rasterType: 'Raster Dataset',
      context: { outSR: { wkid: 3857 } },
    });
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(messages(job)).toMatch(/inside the server's raster store/);
  }, 120_000);
});

describe('raster analysis with an S3 raster store', () => {
  it('uploads CopyRaster, GenerateRaster and Fill results from the worker; B renders them; deleting removes their objects', async () => {
    const dem = { uri: `/share/${path.basename(tiffs.wgs84Dem.path)}` };
    const jobs = await Promise.all([
      runTask(a, 'CopyRaster', { inputRaster: { uri: `/share/${path.basename(tiffs.utmRgb.path)}` }, outputName: 'copied_s3' }),
      runTask(a, 'GenerateRaster', { rasterFunction: 'Slope', functionArguments: { Raster: dem }, outputName: 'slope_s3' }),
      runTask(b, 'Fill', { inputSurfaceRaster: dem, outputName: 'filled_s3' }),
    ]);
    for (const job of jobs) expect(job.jobStatus, messages(job)).toBe('esriJobSucceeded');
    for (const name of ['copied_s3', 'slope_s3', 'filled_s3']) {
      const [row] = await rowsOf(name);
      expect(row.path).toMatch(new RegExp(`^/vsis3/${BUCKET}/${STORE_PREFIX}/${name}/j[0-9a-f]{32}/${name}\\.tif$`));
      expect(objects(`${STORE_PREFIX}/${name}`)).toHaveLength(1);
      // Not also a local file under a folder named like the object (a worker run as root could make one).
      expect(existsSync(row.path)).toBe(false);
      expect(await rendersSomething(b, tokenB, name), name).toBe(true);
    }

    const removed = await runTask(b, 'DeleteImageCollection', { imageCollection: 'copied_s3' });
    expect(removed.jobStatus, messages(removed)).toBe('esriJobSucceeded');
    expect(objects(`${STORE_PREFIX}/copied_s3`)).toEqual([]);
    expect(objects(`${STORE_PREFIX}/slope_s3`)).toHaveLength(1);
  }, 360_000);

  it('cancels from B an analysis running on the worker node: no service and no object is left', async () => {
    const slow = `http://127.0.0.1:${(hanging.address() as { port: number }).port}/slow.tif`;
    const submitted = await post<JobStatus>(`${a}${RASTER_TOOLS}/CopyRaster/submitJob`, { inputRaster: JSON.stringify({ url: slow }), outputName: 'cancelled_s3', f: 'json', token: tokenA });
    const jobUrl = (base: string, t: string) => `${base}${RASTER_TOOLS}/CopyRaster/jobs/${submitted.jobId}?f=json&token=${t}`;
    await waitFor(() => get<JobStatus>(jobUrl(b, tokenB)), (j) => j.jobStatus === 'esriJobExecuting');
    const cancel = await post<JobStatus>(`${b}${RASTER_TOOLS}/CopyRaster/jobs/${submitted.jobId}/cancel`, { f: 'json', token: tokenB });
    expect(['esriJobCancelling', 'esriJobCancelled']).toContain(cancel.jobStatus);
    const job = await waitFor(() => get<JobStatus>(jobUrl(a, tokenA)), (j) => j.jobStatus === 'esriJobCancelled');
    expect(job.jobStatus).toBe('esriJobCancelled');
    expect(objects(`${STORE_PREFIX}/cancelled_s3`)).toEqual([]);
    expect((await get<Partial<ErrorAnswer>>(`${a}/rest/services/Hosted/cancelled_s3/ImageServer?f=json&token=${tokenA}`)).error?.code).toBe(404);
  }, 120_000);
});

describe('a worker node killed with -9 during an analysis', () => {
  it('ends the job failed and removes what it had published (S3 object, catalog, service, item) from the shared journal', async () => {
    // CalculateDistance with two outputs publishes them one after the other, each after applying
    // the mask (read over HTTP anew by each gdalwarp). Once the first output's service exists the
    // mask's server holds its requests: the job sits between its two outputs, one of them
    // published, when its node is killed.
    const [first, second] = ['killed_distance', 'killed_allocation'];
    closedWhen = async () => (await cluster.sql("SELECT 1 FROM services WHERE name = $1 AND type = 'ImageServer'", [first])).length > 0;
    const submitted = await post<JobStatus>(`${a}${RASTER_TOOLS}/CalculateDistance/submitJob`, {
      inputSourceRasterOrFeatures: JSON.stringify({ uri: `/share/${path.basename(tiffs.utmRgb.path)}` }),
      outputDistanceName: first,
      outputAllocationName: second,
      context: JSON.stringify({ mask: { url: `${gatedBase}/${path.basename(tiffs.utmRgb.path)}` } }),
      f: 'json',
      token: tokenA,
    });
    expect(submitted.jobId, JSON.stringify(submitted)).toBeTruthy();
    const jobUrl = (base: string, t: string) => `${base}${RASTER_TOOLS}/CalculateDistance/jobs/${submitted.jobId}?f=json&returnMessages=true&token=${t}`;
    const waiting = await waitFor(async () => ({ held, job: await get<JobStatus>(jobUrl(b, tokenB)) }), (w) => w.held > 0 || !['esriJobSubmitted', 'esriJobWaiting', 'esriJobExecuting'].includes(w.job.jobStatus), 120_000);
    expect(waiting.held, messages(waiting.job)).toBeGreaterThan(0);
    expect(waiting.job.jobStatus).toBe('esriJobExecuting');
    // The first output is out: its COG in S3, its collection, service and item.
    expect(objects(`${STORE_PREFIX}/${first}`)).toHaveLength(1);
    expect(await rowsOf(first)).toHaveLength(1);
    const items = async () => (await get<SearchAnswer>(`${a}/sharing/rest/search?q=${first}&f=json&token=${tokenA}`)).results ?? [];
    expect(await items()).toHaveLength(1);

    const worker = cluster.worker;
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
    for (const socket of sockets) socket.destroy();
    // No worker node is up: an HTTP node notices the stale heartbeat and undoes the job.
    const job = await waitFor(() => get<JobStatus>(jobUrl(b, tokenB)), (j) => !['esriJobSubmitted', 'esriJobWaiting', 'esriJobExecuting'].includes(j.jobStatus), 60_000);
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(messages(job)).toMatch(/restarted/);
    expect(objects(`${STORE_PREFIX}/${first}`)).toEqual([]);
    expect(objects(`${STORE_PREFIX}/${second}`)).toEqual([]);
    expect(await rowsOf(first)).toEqual([]);
    for (const name of [first, second]) expect((await get<Partial<ErrorAnswer>>(`${a}/rest/services/Hosted/${name}/ImageServer?f=json&token=${tokenA}`)).error?.code, name).toBe(404);
    expect(await items()).toEqual([]);

    // Back up, the worker node runs the same analysis to the end (the mask now served).
    closedWhen = async () => false;
    cluster.worker = (await cluster.startNode('worker', 'w', 2)).child;
    const again = await runTask(a, 'CalculateDistance', {
      inputSourceRasterOrFeatures: { uri: `/share/${path.basename(tiffs.utmRgb.path)}` },
      outputDistanceName: first,
      context: { mask: { url: `${gatedBase}/${path.basename(tiffs.utmRgb.path)}` } },
    });
    expect(again.jobStatus, messages(again)).toBe('esriJobSucceeded');
    expect(objects(`${STORE_PREFIX}/${first}`)).toHaveLength(1);
  }, 300_000);
});

/** A static file server answering HEAD and byte ranges (what GDAL's /vsicurl/ asks for). */
function serveFile(dir: string, url: string, range: string | undefined, method: string, response: import('node:http').ServerResponse): void {
  const file = path.join(dir, path.basename(decodeURIComponent(url.split('?')[0]!)));
  if (!existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404).end();
    return;
  }
  const size = statSync(file).size;
  const match = /^bytes=(\d+)-(\d*)$/.exec(range ?? '');
  const [start, end] = match ? [Number(match[1]), Math.min(size - 1, match[2] ? Number(match[2]) : size - 1)] : [0, size - 1];
  response.writeHead(match ? 206 : 200, {
    'content-length': String(end - start + 1),
    'accept-ranges': 'bytes',
    ...(match ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (method === 'HEAD') response.end();
  else createReadStream(file, { start, end }).pipe(response);
}
