import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApiKeyManager, Job, JOB_STATUSES } from '@esri/arcgis-rest-request';
import gdal from 'gdal-async';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Config } from '../../src/config.js';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { fetchStarsFile } from '../fixtures/raster/fetch-stars-file.js';
import type { JobResults, JobStatus, SuccessAnswer } from './answers.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * The set-up the Raster Analysis and engine tests share: a test server, an administrator's token
 * and arcgis-rest-js session, and a scratch folder registered as a file share the tasks read from;
 * jobs run with arcgis-rest-js's Job client, their outputs read back with GDAL.
 */

const run = promisify(execFile);

export const RASTER_ANALYSIS = '/rest/services/System/RasterAnalysisTools/GPServer';

/** Registers a server folder as the file share `/fileShares/<name>` through the admin API. */
export async function registerFileShare(server: TestServer, name: string, folder: string, token: string): Promise<SuccessAnswer> {
  return server.post<SuccessAnswer>('/admin/data/registerItem', { item: JSON.stringify({ path: `/fileShares/${name}`, type: 'folder', info: { path: folder } }), f: 'json', token });
}

export interface AnalysisServer {
  server: TestServer;
  token: string;
  session: ApiKeyManager;
  /** A scratch folder registered as `/fileShares/<name>` (`/<name>/...` uris); removed on close. */
  share: string;
  close(): Promise<void>;
}

/** A test server with a fresh scratch folder registered as the file share `name`. */
export async function startAnalysisServer(name: string, config: Partial<Config> = {}): Promise<AnalysisServer> {
  const server = await startTestServer(config);
  const token = await server.token();
  const share = await mkdtemp(path.join(tmpdir(), `tessera-${name}-`));
  const registered = await registerFileShare(server, name, share, token);
  if (registered.status !== 'success' && !registered.success) throw new Error(`registerItem: ${JSON.stringify(registered)}`);
  return {
    server,
    token,
    session: ApiKeyManager.fromKey(token),
    share,
    close: async () => {
      await server.close();
      await rm(share, { recursive: true, force: true });
    },
  };
}

export interface DemServer extends AnalysisServer {
  /** The Olinda DEM, as `dem.tif` in the share `data` (uri `/data/dem.tif`). */
  dem: string;
}

/** An analysis server with the Olinda DEM in its share; the reason when the DEM cannot be fetched. */
export async function startDemServer(): Promise<DemServer | { reason: string }> {
  const fetched = await fetchStarsFile('olinda_dem_utm25s.tif');
  if (fetched.path === null) return { reason: fetched.reason };
  // The cancel tests read from a loopback server that never answers.
  const env = await startAnalysisServer('data', { allowPrivateUrls: true });
  const dem = path.join(env.share, 'dem.tif');
  await copyFile(fetched.path, dem);
  return { ...env, dem };
}

/** The DEM server of a test file: started before its tests (then `setup`), closed after them; `skip` says why when the DEM cannot be fetched. */
export function useDemServer(setup?: (env: DemServer) => Promise<void>, timeoutMs = 180_000): { readonly env: DemServer; readonly skip: string } {
  let env: DemServer | undefined;
  let skip = '';
  beforeAll(async () => {
    const started = await startDemServer();
    if ('reason' in started) {
      skip = started.reason;
      return;
    }
    env = started;
    await setup?.(started);
  }, timeoutMs);
  afterAll(async () => env?.close());
  return {
    get env() {
      return env!;
    },
    get skip() {
      return skip;
    },
  };
}

/** Submits a Raster Analysis task with arcgis-rest-js's Job. */
export async function submitAnalysisJob(server: TestServer, token: string, task: string, params: Record<string, unknown>): Promise<Job> {
  return Job.submitJob({ url: `${server.url}${RASTER_ANALYSIS}/${task}/submitJob`, params, authentication: ApiKeyManager.fromKey(token), pollingRate: 100 });
}

/** Submits a task with the Job client, waits, and reads every result (none unless it succeeded). */
export async function runAnalysisJob(env: AnalysisServer, task: string, params: Record<string, unknown>): Promise<{ job: Job; status: string; results: JobResults; messages: string[] }> {
  const job = await Job.submitJob({ url: `${env.server.url}${RASTER_ANALYSIS}/${task}/submitJob`, params, authentication: env.session, pollingRate: 100 });
  let status = 'esriJobSucceeded';
  try {
    await job.waitForCompletion();
  } catch {
    status = (await job.getJobInfo()).status;
  }
  const info = await env.server.get<JobStatus>(`${RASTER_ANALYSIS}/${task}/jobs/${job.id}?f=json&returnMessages=true&token=${env.token}`);
  const results = status === 'esriJobSucceeded' ? ((await job.getAllResults()) as JobResults) : {};
  return { job, status: info.jobStatus, results, messages: (info.messages ?? []).map((m: { description: string }) => m.description) };
}

/** Runs a task to success and returns its results by parameter name (values as the client gets them). */
export async function analysisResults(server: TestServer, token: string, task: string, params: Record<string, unknown>): Promise<JobResults> {
  const job = await submitAnalysisJob(server, token, task, params);
  const info = await job.waitForCompletion().catch(async (error: unknown) => {
    const details = await job.getJobInfo();
    throw new Error(`${task} failed: ${JSON.stringify(details.messages ?? details)} (${String(error)})`);
  });
  if (info.status !== JOB_STATUSES.Success) throw new Error(`${task} ended ${info.status}`);
  return (await job.getAllResults()) as JobResults;
}

/** The stored raster behind a hosted imagery layer the analysis made. */
export async function outputRasterPath(server: TestServer, name: string): Promise<string> {
  const catalog = catalogStoreFor(server.context.config);
  const collection = await catalog.getCollection(name);
  if (!collection) throw new Error(`no collection ${name}`);
  const [row] = await catalog.queryItems(collection.id, {});
  return row!.path;
}

/** The pixels of band 1 of the raster behind a hosted output layer, as a number[][] (NoData → null). */
export async function readOutputRows(server: TestServer, name: string): Promise<Array<Array<number | null>>> {
  return readRows(await outputRasterPath(server, name));
}

/** One band (default 1) of a raster as rows (NoData → null). */
export function readRows(file: string, bandNumber = 1): Array<Array<number | null>> {
  const { width, height, values, noData } = readBand(file, bandNumber);
  const rows: Array<Array<number | null>> = [];
  for (let r = 0; r < height; r++) rows.push([...values.subarray(r * width, (r + 1) * width)].map((v) => (v === noData || Number.isNaN(v) ? null : v)));
  return rows;
}

/** Runs a GDAL utility directly, as the comparison baseline. */
export async function gdalCommand(program: string, args: string[]): Promise<void> {
  await run(program, args, { timeout: 120_000 });
}

export interface Band {
  width: number;
  height: number;
  values: Float64Array;
  noData: number | null;
  geoTransform: number[];
  srsWkt: string;
}

export function readBand(file: string, band = 1): Band {
  const dataset = gdal.open(file);
  try {
    const b = dataset.bands.get(band);
    const { x: width, y: height } = dataset.rasterSize;
    const values = new Float64Array(width * height);
    b.pixels.read(0, 0, width, height, values);
    return { width, height, values, noData: b.noDataValue, geoTransform: dataset.geoTransform!, srsWkt: dataset.srs?.toWKT() ?? '' };
  } finally {
    dataset.close();
  }
}

/** Same grid, same nodata cells, and values equal within `tolerance` (0: identical). */
export function expectSamePixels(actual: Band, expected: Band, tolerance = 0): void {
  expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
  actual.geoTransform.forEach((v, i) => expect(v).toBeCloseTo(expected.geoTransform[i]!, 6));
  expect(actual.noData).toEqual(expected.noData);
  let worst = 0;
  let mismatched = 0;
  for (let i = 0; i < actual.values.length; i++) {
    const a = actual.values[i]!;
    const e = expected.values[i]!;
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    const diff = Math.abs(a - e);
    if (!(diff <= tolerance)) mismatched++;
    if (diff > worst) worst = diff;
  }
  expect({ mismatched, worst: worst <= tolerance ? 0 : worst }).toEqual({ mismatched: 0, worst: 0 });
}

/** Ids of live processes whose command line mentions `text` (e.g. a job id in a scratch path). */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (cmdline.includes(text) && !/\) Z /.test(stat)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
