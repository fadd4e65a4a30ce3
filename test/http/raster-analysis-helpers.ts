import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApiKeyManager, Job } from '@esri/arcgis-rest-request';
import gdal from 'gdal-async';
import { expect } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { fetchStarsFile } from '../fixtures/raster/fetch-stars-file.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { RASTER_ANALYSIS, registerFileShare } from './imagery-http.js';

const run = promisify(execFile);

export interface AnalysisServer {
  server: TestServer;
  token: string;
  session: ApiKeyManager;
  /** A registered file share (`/data/...` uris) holding the Olinda DEM as `dem.tif`. */
  share: string;
  dem: string;
  close(): Promise<void>;
}

/** A test server with the Olinda DEM in a registered file share; null when the DEM cannot be fetched. */
export async function startAnalysisServer(): Promise<AnalysisServer | { reason: string }> {
  const fetched = await fetchStarsFile('olinda_dem_utm25s.tif');
  if (fetched.path === null) return { reason: fetched.reason };
  // The cancel tests read from a loopback server that never answers.
  const server = await startTestServer({ allowPrivateUrls: true });
  const token = await server.token();
  const share = await mkdtemp(path.join(tmpdir(), 'tessera-analysis-'));
  const dem = path.join(share, 'dem.tif');
  await copyFile(fetched.path, dem);
  const registered = await registerFileShare(server, 'data', share, token);
  if (registered.status !== 'success' && !registered.success) throw new Error(`registerItem: ${JSON.stringify(registered)}`);
  return {
    server,
    token,
    session: ApiKeyManager.fromKey(token),
    share,
    dem,
    close: async () => {
      await server.close();
      await rm(share, { recursive: true, force: true });
    },
  };
}

/** Submits a task with the arcgis-rest-js Job client, waits, and reads every result. */
export async function runAnalysisJob(env: AnalysisServer, task: string, params: Record<string, unknown>): Promise<{ job: Job; status: string; results: Record<string, any>; messages: string[] }> {
  const job = await Job.submitJob({ url: `${env.server.url}${RASTER_ANALYSIS}/${task}/submitJob`, params, authentication: env.session, pollingRate: 100 });
  let status = 'esriJobSucceeded';
  try {
    await job.waitForCompletion();
  } catch {
    status = (await job.getJobInfo()).status;
  }
  const info = await env.server.get(`${RASTER_ANALYSIS}/${task}/jobs/${job.id}?f=json&returnMessages=true&token=${env.token}`);
  const results = status === 'esriJobSucceeded' ? await job.getAllResults() : {};
  return { job, status: info.jobStatus, results, messages: (info.messages ?? []).map((m: { description: string }) => m.description) };
}

/** The stored raster behind a hosted imagery layer the analysis made. */
export async function outputRasterPath(server: TestServer, name: string): Promise<string> {
  const catalog = catalogStoreFor(server.context.config);
  const collection = await catalog.getCollection(name);
  if (!collection) throw new Error(`no collection ${name}`);
  const [row] = await catalog.queryItems(collection.id, {});
  return row.path;
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
  actual.geoTransform.forEach((v, i) => expect(v).toBeCloseTo(expected.geoTransform[i], 6));
  expect(actual.noData).toEqual(expected.noData);
  let worst = 0;
  let mismatched = 0;
  for (let i = 0; i < actual.values.length; i++) {
    const a = actual.values[i];
    const e = expected.values[i];
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    const diff = Math.abs(a - e);
    if (!(diff <= tolerance)) mismatched++;
    if (diff > worst) worst = diff;
  }
  expect({ mismatched, worst: worst <= tolerance ? 0 : worst }).toEqual({ mismatched: 0, worst: 0 });
}
