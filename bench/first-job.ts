/**
 * First job after a restart: `npm run bench:first-job`.
 * A fresh server runs, as its very first jobs, one job of each task below on a small raster (so
 * the fixed costs show): once with job workers started on first use (as test servers do), once
 * with them warmed after start (`warmWorkers`, as `tessera serve` does once listening), given
 * `--settle S` seconds (default 30) to import the task code first. Prints each job's wall time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeRaster } from '../test/fixtures/raster/write-raster.js';
import type { JobStatus } from '../test/helpers/answers.js';
import { startTestServer, type TestServer } from '../test/helpers/test-server.js';

const RA = '/rest/services/System/RasterAnalysisTools/GPServer';
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const SETTLE_S = Number(argValue('--settle') ?? 30);
const TASKS: Array<[string, Record<string, unknown>]> = [
  ['GenerateRaster', { rasterFunction: 'Hillshade', functionArguments: { Raster: { uri: '/bench/dem.tif' } } }],
  ['CalculateDistance', { inputSourceRasterOrFeatures: { uri: '/bench/dem.tif' } }],
  ['ConvertRasterToFeature', { inputRaster: { uri: '/bench/dem.tif' }, field: 'Value' }],
];

async function runJob(server: TestServer, token: string, task: string, params: Record<string, unknown>): Promise<number> {
  const form = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const started = performance.now();
  const submitted = await server.post<JobStatus>(`${RA}/${task}/submitJob`, { ...form, f: 'json', token });
  if (!submitted.jobId) throw new Error(JSON.stringify(submitted));
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const job = await server.get<JobStatus>(`${RA}/${task}/jobs/${submitted.jobId}?f=json&token=${token}&returnMessages=true`);
    if (job.jobStatus === 'esriJobSucceeded') return performance.now() - started;
    if (/Failed|Cancelled|TimedOut/.test(job.jobStatus)) throw new Error(`${task}: ${JSON.stringify(job.messages)}`);
  }
}

async function firstJobs(share: string, warm: boolean): Promise<number[]> {
  const server = await startTestServer({ jobs: { concurrency: 1, timeLimitSeconds: 600, retentionMinutes: 60 } });
  try {
    const token = await server.token();
    await server.post('/admin/data/registerItem', { item: JSON.stringify({ path: '/fileShares/bench', type: 'folder', info: { path: share } }), f: 'json', token });
    if (warm) {
      server.context.jobs!.warmWorkers();
      await new Promise((resolve) => setTimeout(resolve, SETTLE_S * 1000));
    }
    const times: number[] = [];
    for (const [i, [task, params]] of TASKS.entries()) {
      const name = task === 'CalculateDistance' ? { outputDistanceName: `first_${i}` } : { outputName: `first_${i}` };
      times.push(await runJob(server, token, task, { ...params, ...name }));
    }
    return times;
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const share = await mkdtemp(path.join(tmpdir(), 'tessera-bench-first-'));
  try {
    await writeRaster(path.join(share, 'dem.tif'), { width: 200, height: 200, dataType: 'Byte', srs: 'EPSG:32611', geoTransform: [500000, 10, 0, 4120000, 0, -10], value: (c, r) => ((c * 7 + r * 3) % 50 === 0 ? 1 : 0), noData: 0 });
    const cold = await firstJobs(share, false);
    const warmed = await firstJobs(share, true);
    console.log(`load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}; one job worker; 200×200 input`);
    console.log(`${'first job of'.padEnd(24)} ${'cold (s)'.padStart(9)} ${'warmed (s)'.padStart(11)}`);
    TASKS.forEach(([task], i) => console.log(`${task.padEnd(24)} ${(cold[i]! / 1000).toFixed(2).padStart(9)} ${(warmed[i]! / 1000).toFixed(2).padStart(11)}`));
  } finally {
    await rm(share, { recursive: true, force: true });
  }
}

await main();
