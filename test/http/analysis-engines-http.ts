import { readdirSync, readFileSync } from 'node:fs';
import { ApiKeyManager, Job, JOB_STATUSES } from '@esri/arcgis-rest-request';
import gdal from 'gdal-async';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import type { TestServer } from '../helpers/test-server.js';
import { RASTER_ANALYSIS } from './imagery-http.js';

/** Submits a Raster Analysis task with arcgis-rest-js's Job and waits for it to end. */
export async function submitAnalysisJob(server: TestServer, token: string, task: string, params: Record<string, unknown>): Promise<Job> {
  return Job.submitJob({ url: `${server.url}${RASTER_ANALYSIS}/${task}/submitJob`, params, authentication: ApiKeyManager.fromKey(token), pollingRate: 100 });
}

/** Runs a task to success and returns its results by parameter name (values as the client gets them). */
export async function runAnalysisJob(server: TestServer, token: string, task: string, params: Record<string, unknown>): Promise<Record<string, any>> {
  const job = await submitAnalysisJob(server, token, task, params);
  const info = await job.waitForCompletion().catch(async (error: unknown) => {
    const details = await job.getJobInfo();
    throw new Error(`${task} failed: ${JSON.stringify(details.messages ?? details)} (${String(error)})`);
  });
  if (info.status !== JOB_STATUSES.Success) throw new Error(`${task} ended ${info.status}`);
  return job.getAllResults();
}

/** The pixels of band 1 of the raster behind a hosted output layer, as a number[][] (NoData → null). */
export async function readOutputRows(server: TestServer, name: string): Promise<Array<Array<number | null>>> {
  const catalog = catalogStoreFor(server.context.config);
  const collection = await catalog.getCollection(name);
  if (!collection) throw new Error(`no collection ${name}`);
  const [row] = await catalog.queryItems(collection.id, {});
  return readRows(row!.path);
}

/** One band (default 1) of a raster as rows (NoData → null). */
export function readRows(file: string, bandNumber = 1): Array<Array<number | null>> {
  const dataset = gdal.open(file);
  const band = dataset.bands.get(bandNumber);
  const { x: width, y: height } = dataset.rasterSize;
  const data = new Float64Array(width * height);
  band.pixels.read(0, 0, width, height, data);
  const noData = band.noDataValue;
  dataset.close();
  const rows: Array<Array<number | null>> = [];
  for (let r = 0; r < height; r++) rows.push([...data.subarray(r * width, (r + 1) * width)].map((v) => (v === noData || Number.isNaN(v) ? null : v)));
  return rows;
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
