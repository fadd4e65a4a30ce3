import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ArcGISJobError, JOB_STATUSES } from '@esri/arcgis-rest-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import type { TestServer } from '../helpers/test-server.js';
import { type AnalysisServer, processesMentioning, startAnalysisServer, submitAnalysisJob } from '../helpers/analysis-server.js';
import { RASTER_ANALYSIS, waitForJob } from './imagery-http.js';
import type { JobStatus } from '../helpers/answers.js';

let env: AnalysisServer;
let server: TestServer;
let share: string;
let token: string;

beforeAll(async () => {
  env = await startAnalysisServer('big');
  ({ server, token, share } = env);
  // A 2,000×2,000 rough surface: SAGA needs many seconds to fill it on this machine.
  await writeRaster(path.join(share, 'rough.tif'), {
    width: 2000,
    height: 2000,
    dataType: 'Float32',
    srs: 'EPSG:32611',
    geoTransform: [500000, 10, 0, 4020000, 0, -10],
    value: (c, r) => Math.sin((r * 2000 + c) * 0.37) * 50 + Math.cos(r / 3) * 30,
  });
}, 120_000);

afterAll(async () => env?.close());

describe('cancelling an engine run', () => {
  it('kills the engine process group and leaves no layer behind', async () => {
    const job = await submitAnalysisJob(server, token, 'Fill', { inputSurfaceRaster: { uri: '/fileShares/big/rough.tif' }, outputName: 'never' });
    let pids: number[] = [];
    const deadline = Date.now() + 60_000;
    while (pids.length === 0 && Date.now() < deadline) {
      pids = processesMentioning(job.id).filter((pid) => pid !== process.pid);
      if (pids.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(pids.length).toBeGreaterThan(0);
    await job.cancelJob();
    await expect(job.waitForCompletion()).rejects.toBeInstanceOf(ArcGISJobError);
    await waitForJob(server, 'Fill', job.id, token);
    expect((await job.getJobInfo()).status).toBe(JOB_STATUSES.Cancelled);
    // SIGKILL is delivered at once, but the kernel reaps a busy process a moment later.
    const alive = () => pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    for (const until = Date.now() + 5_000; alive().length > 0 && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive()).toEqual([]);
    expect(processesMentioning(job.id)).toEqual([]);
    expect(await catalogStoreFor(server.context.config).getCollection('never')).toBeUndefined();
    const info = await server.get<JobStatus>(`${RASTER_ANALYSIS}/Fill/jobs/${job.id}?f=json&token=${token}`);
    expect(info.jobStatus).toBe('esriJobCancelled');
  }, 120_000);

  it('ends the engine by itself when its job worker is killed outright', async () => {
    const job = await submitAnalysisJob(server, token, 'Fill', { inputSurfaceRaster: { uri: '/fileShares/big/rough.tif' }, outputName: 'orphan' });
    let watchdog: number | undefined;
    const deadline = Date.now() + 60_000;
    while (watchdog === undefined && Date.now() < deadline) {
      watchdog = processesMentioning(job.id).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('bash\0-c\0parent='));
      if (watchdog === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(watchdog).toBeDefined();
    const worker = Number(readFileSync(`/proc/${watchdog}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    expect(worker).not.toBe(process.pid);
    process.kill(worker, 'SIGKILL'); // only the worker: its process group, the engine's, lives on
    const until = Date.now() + 15_000;
    while (processesMentioning(job.id).length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(processesMentioning(job.id)).toEqual([]);
  }, 120_000);
});
