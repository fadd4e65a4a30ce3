import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import type { EditsAnswer, ErrorEnvelope, FeatureSet, JobStatus, SearchAnswer, ServiceJson, SuccessAnswer } from '../helpers/answers.js';
import { FIXTURES, RASTER_TOOLS, get, mkdirp, post, startCluster, token, waitFor, type Cluster } from './harness.js';

/**
 * A cluster on loopback (./harness.ts): PostgreSQL/PostGIS, s3rver as the raster store, two
 * HTTP-only nodes (A, B) and one worker-only node (W). Nothing a request needs may live on one
 * node's disk.
 */
let cluster: Cluster;
let a: string;
let b: string;
let worker: Cluster['worker'];
let root: string;
const sql = (text: string, values: unknown[] = []) => cluster.sql(text, values);
const s3Objects = (prefix: string) => cluster.s3Objects(prefix);
const startNode = (role: 'serve' | 'worker', name: string, workers: number) => cluster.startNode(role, name, workers);

beforeAll(async () => {
  cluster = await startCluster();
  ({ a, b, worker, root } = cluster);
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('a cluster of two HTTP nodes and a worker node', () => {
  it('publishes a feature service on A, edits it on B and never answers stale on either', async () => {
    const tokenA = await token(a);
    const created = await post<SuccessAnswer>(`${a}/sharing/rest/content/users/admin/createService`, {
      f: 'json',
      token: tokenA,
      outputType: 'featureService',
      createParameters: JSON.stringify({ name: 'shared_points', spatialReference: { wkid: 4326 } }),
    });
    expect(created.success).toBe(true);
    const layer = { name: 'Points', geometryType: 'esriGeometryPoint', fields: [{ name: 'NAME', type: 'esriFieldTypeString', length: 20 }] };
    const added = await post<SuccessAnswer>(`${a}/rest/admin/services/Hosted/shared_points/FeatureServer/addToDefinition`, {
      f: 'json',
      token: tokenA,
      addToDefinition: JSON.stringify({ layers: [layer] }),
    });
    expect(added.success).toBe(true);
    const tokenB = await token(b);
    const layerPath = '/rest/services/Hosted/shared_points/FeatureServer/0';
    const count = async (base: string, t: string) => (await get<FeatureSet>(`${base}${layerPath}/query?where=1%3D1&returnCountOnly=true&f=json&token=${t}`)).count;
    // Both nodes answer (and cache) the empty layer first.
    expect([await count(a, tokenA), await count(b, tokenB)]).toEqual([0, 0]);
    const edit = await post<EditsAnswer>(`${b}${layerPath}/applyEdits`, {
      f: 'json',
      token: tokenB,
      adds: JSON.stringify([{ attributes: { NAME: 'one' }, geometry: { x: 1, y: 2 } }, { attributes: { NAME: 'two' }, geometry: { x: 3, y: 4 } }]),
    });
    expect(edit.addResults.map((r) => r.success)).toEqual([true, true]);
    expect([await count(a, tokenA), await count(b, tokenB)]).toEqual([2, 2]);
    const names = await get<FeatureSet>(`${a}${layerPath}/query?where=NAME%3D'two'&outFields=NAME&f=json&token=${tokenA}`);
    expect(names.features.map((f) => f.attributes.NAME)).toEqual(['two']);
  });

  it('runs a job submitted on A on the worker node; its record answers the same on B', async () => {
    const submitted = await post<JobStatus>(`${a}${FIXTURES}/InstantSuccess/submitJob`, { text: 'hello', f: 'json' });
    expect(submitted.jobId).toMatch(/^j[0-9a-f]{32}$/);
    const job = await waitFor(
      () => get<JobStatus>(`${b}${FIXTURES}/InstantSuccess/jobs/${submitted.jobId}?f=json`),
      (j) => j.jobStatus === 'esriJobSucceeded',
    );
    expect(job.jobStatus).toBe('esriJobSucceeded');
    const onA = await get<unknown>(`${a}${FIXTURES}/InstantSuccess/jobs/${submitted.jobId}?f=json`);
    expect(onA).toEqual(job);
    // A and B have no job workers: the worker node ran it.
    const [row] = await sql('SELECT worker_pid FROM jobs WHERE id = $1', [submitted.jobId]);
    expect(row.worker_pid).not.toBe(null);
  });

  it('cancels from B a job running on the worker node, and the administrator deletes one from A', async () => {
    const pidsOf = (job: JobStatus) => {
      const text = (job.messages ?? []).map((m) => m.description).find((d: string) => d.startsWith('pids'));
      const match = /worker=(\d+) child=(\d+)/.exec(text ?? '');
      return match ? { worker: Number(match[1]), child: Number(match[2]) } : undefined;
    };
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const jobUrl = (base: string, id: string) => `${base}${FIXTURES}/SleepUntilCancelled/jobs/${id}?f=json&returnMessages=true`;
    const [first, second] = [
      await post<JobStatus>(`${a}${FIXTURES}/SleepUntilCancelled/submitJob`, { f: 'json' }),
      await post<JobStatus>(`${a}${FIXTURES}/SleepUntilCancelled/submitJob`, { f: 'json' }),
    ];
    const running = await waitFor(() => get<JobStatus>(jobUrl(b, first.jobId)), (j) => j.jobStatus === 'esriJobExecuting' && pidsOf(j) !== undefined);
    const pids = pidsOf(running)!;
    expect(alive(pids.child)).toBe(true);
    const cancel = await post<JobStatus>(`${b}${FIXTURES}/SleepUntilCancelled/jobs/${first.jobId}/cancel`, { f: 'json' });
    expect(['esriJobCancelling', 'esriJobCancelled']).toContain(cancel.jobStatus);
    const cancelled = await waitFor(() => get<JobStatus>(jobUrl(a, first.jobId)), (j) => j.jobStatus === 'esriJobCancelled');
    expect(cancelled.jobStatus).toBe('esriJobCancelled');
    // NOTIFY reaches the worker node: its engine process is gone (no test asserts a time).
    expect(alive(pids.child)).toBe(false);

    await waitFor(() => get<JobStatus>(jobUrl(b, second.jobId)), (j) => j.jobStatus === 'esriJobExecuting' && pidsOf(j) !== undefined);
    const tokenA = await token(a);
    const deleted = await post<SuccessAnswer>(`${a}/admin/services/Tests/Fixtures.GPServer/jobs/${second.jobId}/delete`, { f: 'json', token: tokenA });
    expect(deleted.status).toBe('success');
    const gone = await get<ErrorEnvelope>(jobUrl(b, second.jobId));
    expect(gone.error).toMatchObject({ code: 400, details: [`Job '${second.jobId}' does not exist or is inaccessible.`] });
    expect(await sql('SELECT id FROM jobs WHERE id = $1', [second.jobId])).toEqual([]);
  });

  it('creates an image collection by value through A into S3 and renders it from B', async () => {
    const share = path.join(root, 'share');
    const { utmRgb } = await makeGeoTiffs(mkdirp(share));
    const tokenA = await token(a);
    const registered = await post<SuccessAnswer>(`${a}/admin/data/registerItem`, { item: JSON.stringify({ path: '/fileShares/share', type: 'folder', info: { path: share } }), f: 'json', token: tokenA });
    expect(registered.status).toBe('success');
    const submitted = await post<JobStatus>(`${a}${RASTER_TOOLS}/CreateImageCollection/submitJob`, {
      inputRasters: JSON.stringify({ uri: `/share/${path.basename(utmRgb.path)}` }),
      imageCollection: 'in_s3',
      rasterType: 'Raster Dataset',
      context: JSON.stringify({ outSR: { wkid: 3857 } }),
      f: 'json',
      token: tokenA,
    });
    const tokenB = await token(b);
    const job = await waitFor(
      () => get<JobStatus>(`${b}${RASTER_TOOLS}/CreateImageCollection/jobs/${submitted.jobId}?f=json&returnMessages=true&token=${tokenB}`),
      (j) => j.jobStatus === 'esriJobSucceeded' || j.jobStatus === 'esriJobFailed',
    );
    expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
    expect(s3Objects('cluster/in_s3').filter((f) => f.includes('.tif'))).toHaveLength(1);
    // The catalog row lives in PostgreSQL and points at the object in S3.
    const rows = await sql('SELECT path FROM catalog_items');
    expect(rows.map((r) => r.path)).toEqual([expect.stringMatching(/^\/vsis3\/tessera\/cluster\/in_s3\/j[0-9a-f]{32}\/.+\.tif$/) as string]);
    const info = await get<ServiceJson>(`${b}/rest/services/Hosted/in_s3/ImageServer?f=json&token=${tokenB}`);
    expect(info.extent).toBeDefined();
    const { xmin, ymin, xmax, ymax } = info.extent;
    const image = await fetch(`${b}/rest/services/Hosted/in_s3/ImageServer/exportImage?bbox=${xmin},${ymin},${xmax},${ymax}&size=64,48&format=png&f=image&token=${tokenB}`);
    expect(image.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await image.arrayBuffer());
    const dataset = gdal.open(png);
    const pixels = dataset.bands.get(1).pixels.read(0, 0, 64, 48) as Uint8Array;
    dataset.close();
    expect(pixels.some((v) => v > 0)).toBe(true);

    // Another collection from this one copies its objects server-side; deleting the original
    // through B removes only the original's objects.
    const copy = await post<JobStatus>(`${b}${RASTER_TOOLS}/CreateImageCollection/submitJob`, {
      // The URL as the submitting node names it (behind a load balancer every node shares TESSERA_PUBLIC_URL).
      inputRasters: JSON.stringify({ url: `${b}/rest/services/Hosted/in_s3/ImageServer` }),
      imageCollection: 'copy_s3',
      rasterType: 'Raster Dataset',
      context: JSON.stringify({ outSR: { wkid: 3857 } }),
      f: 'json',
      token: tokenB,
    });
    const copied = await waitFor(
      () => get<JobStatus>(`${a}${RASTER_TOOLS}/CreateImageCollection/jobs/${copy.jobId}?f=json&returnMessages=true&token=${tokenA}`),
      (j) => j.jobStatus === 'esriJobSucceeded' || j.jobStatus === 'esriJobFailed',
    );
    expect(copied.jobStatus, JSON.stringify(copied.messages)).toBe('esriJobSucceeded');
    const removal = await post<JobStatus>(`${b}${RASTER_TOOLS}/DeleteImageCollection/submitJob`, { imageCollection: 'in_s3', f: 'json', token: tokenB });
    const removed = await waitFor(
      () => get<JobStatus>(`${a}${RASTER_TOOLS}/DeleteImageCollection/jobs/${removal.jobId}?f=json&returnMessages=true&token=${tokenA}`),
      (j) => j.jobStatus === 'esriJobSucceeded' || j.jobStatus === 'esriJobFailed',
    );
    expect(removed.jobStatus, JSON.stringify(removed.messages)).toBe('esriJobSucceeded');
    expect(s3Objects('cluster/in_s3')).toEqual([]);
    expect(s3Objects('cluster/copy_s3').filter((f) => f.includes('.tif'))).toHaveLength(1);
    const still = await fetch(`${a}/rest/services/Hosted/copy_s3/ImageServer/exportImage?bbox=${xmin},${ymin},${xmax},${ymax}&size=64,48&format=png&f=image&token=${tokenA}`);
    expect(still.headers.get('content-type')).toBe('image/png');
  });

  it('ends an ingest failed and undone when its worker node is killed with -9, then runs new jobs once it is back', async () => {
    const share = path.join(root, 'big');
    const { utmRgb } = await makeGeoTiffs(mkdirp(share));
    const source = await gdal.openAsync(utmRgb.path);
    // Enough images that the job is still running when the first one is in S3, however loaded the
    // machine: each COG is uploaded whole once finished, so the kill lands with 15 still to do.
    for (let i = 0; i < 16; i++) await gdal.translateAsync(path.join(share, `big-${i}.tif`), source, ['-outsize', '2400', '1800']);
    source.close();
    rmSync(utmRgb.path);
    const tokenA = await token(a);
    await post<unknown>(`${a}/admin/data/registerItem`, { item: JSON.stringify({ path: '/fileShares/big', type: 'folder', info: { path: share } }), f: 'json', token: tokenA });
    const submitted = await post<JobStatus>(`${a}${RASTER_TOOLS}/CreateImageCollection/submitJob`, {
      inputRasters: JSON.stringify({ uri: '/big' }),
      imageCollection: 'killed',
      rasterType: 'Raster Dataset',
      context: JSON.stringify({ outSR: { wkid: 3857 }, parallelProcessingFactor: 1 }),
      f: 'json',
      token: tokenA,
    });
    expect(submitted.jobId).toBeTruthy();
    await waitFor(async () => s3Objects('cluster/killed').length, (n) => n >= 1);
    expect(s3Objects('cluster/killed').length).toBeGreaterThan(0);

    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
    // No worker node is up: an HTTP node notices the stale heartbeat and undoes the job.
    const jobUrl = `${b}${RASTER_TOOLS}/CreateImageCollection/jobs/${submitted.jobId}?f=json&returnMessages=true&token=${await token(b)}`;
    const job = await waitFor(() => get<JobStatus>(jobUrl), (j) => j.jobStatus === 'esriJobFailed', 30_000);
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(job.messages.map((m) => m.description).join(' ')).toMatch(/restarted/);
    expect(s3Objects('cluster/killed')).toEqual([]);
    const info = await get<ErrorEnvelope>(`${a}/rest/services/Hosted/killed/ImageServer?f=json&token=${tokenA}`);
    expect(info.error.code).toBe(404);
    const items = await get<SearchAnswer>(`${a}/sharing/rest/search?q=killed&f=json&token=${tokenA}`);
    expect(items.results ?? []).toEqual([]);

    // The job's scratch folder stayed on the killed node's disk until that node came back.
    const scratch = path.join(root, 'w', 'jobs', submitted.jobId);
    expect(existsSync(scratch)).toBe(true);
    worker = (await startNode('worker', 'w', 2)).child;
    // Its start-up (in the background of the node's start) removes it.
    expect(await waitFor(async () => existsSync(scratch), (exists) => !exists, 10_000)).toBe(false);
    const next = await post<JobStatus>(`${b}${FIXTURES}/InstantSuccess/submitJob`, { text: 'again', f: 'json' });
    const done = await waitFor(() => get<JobStatus>(`${a}${FIXTURES}/InstantSuccess/jobs/${next.jobId}?f=json`), (j) => j.jobStatus === 'esriJobSucceeded');
    expect(done.jobStatus).toBe('esriJobSucceeded');
  }, 180_000);
});
