/**
 * Job machinery bench: `node --import tsx bench/jobs.ts`.
 * 1. submit → succeeded latency of a no-op task (client polling every ~1 ms, and server-side);
 * 2. sustained jobs/s draining 1,000 queued jobs, checking none is lost or run twice;
 * 3. time to list 10,000 jobs through the admin API.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startJobsServer, type JobsTestServer } from '../test/fixtures/tasks/jobs-server.js';
import type { JobStatus } from '../test/helpers/answers.js';

const NO_OP = '/rest/services/Tests/Fixtures/GPServer/NoOp';
const ADMIN_JOBS = '/admin/services/Tests/Fixtures.GPServer/jobs';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarize(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms (n=${values.length})`;
}

/** The admin jobs listing and its statistics, as the bench reads them. */
interface JobList {
  total: number;
  results: unknown[];
  nextStart: number;
}
type JobStatistics = Record<'total' | 'submitted' | 'waiting', number>;

async function submit(server: JobsTestServer, form: Record<string, string> = {}): Promise<string> {
  const answer = await server.post<JobStatus>(`${NO_OP}/submitJob`, { f: 'json', ...form });
  if (!answer.jobId) throw new Error(JSON.stringify(answer));
  return answer.jobId;
}

async function measureLatency(server: JobsTestServer, token: string, count: number): Promise<void> {
  const client: number[] = [];
  const serverSide: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const id = await submit(server);
    for (;;) {
      const job = await server.get<JobStatus>(`${NO_OP}/jobs/${id}?f=json&returnMessages=false`);
      if (job.jobStatus === 'esriJobSucceeded') break;
      if (/Failed|TimedOut|Cancelled/.test(job.jobStatus)) throw new Error(JSON.stringify(job));
    }
    client.push(performance.now() - started);
    const detail = await server.get<{ endTime: number; submittedTime: number }>(`${ADMIN_JOBS}/${id}?f=json&token=${token}`);
    serverSide.push(detail.endTime - detail.submittedTime);
  }
  console.log(`submit → succeeded, client (HTTP submit + polls): ${summarize(client)}`);
  console.log(`submit → succeeded, server record (ms clock):      ${summarize(serverSide)}`);
}

/** Submits in parallel batches so the queue fills faster than two workers drain it. */
async function submitMany(server: JobsTestServer, count: number, form: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 50) {
    ids.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => submit(server, form)))));
  }
  return ids;
}

async function waitForAll(server: JobsTestServer, token: string, since: number, count: number): Promise<void> {
  for (;;) {
    const stats = await server.get<JobList>(`${ADMIN_JOBS}/query?f=json&token=${token}&startTime=${since}&jobStatus=esriJobSucceeded&number=1`);
    if (stats.total >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function measureThroughput(server: JobsTestServer, token: string, count: number): Promise<void> {
  const logFile = path.join(server.dataDir, 'no-op.log');
  const since = Date.now();
  const started = performance.now();
  const ids = await submitMany(server, count, { logFile });
  const submitted = performance.now();
  const stats = await server.get<JobStatistics>(`${ADMIN_JOBS}/statistics?f=json&token=${token}`);
  await waitForAll(server, token, since, count);
  const drained = performance.now();
  const lines = (await readFile(logFile, 'utf8')).trim().split('\n');
  const unique = new Set(lines);
  const missing = ids.filter((id) => !unique.has(id));
  console.log(
    `${count} jobs: submitted in ${(submitted - started).toFixed(0)} ms (${((count / (submitted - started)) * 1000).toFixed(0)}/s; ` +
      `${stats.submitted + stats.waiting} still queued when the last was submitted), all succeeded after ${(drained - started).toFixed(0)} ms ` +
      `→ ${((count / (drained - started)) * 1000).toFixed(0)} jobs/s sustained`,
  );
  console.log(`  runs logged ${lines.length}, distinct ${unique.size}, missing ${missing.length}, duplicated ${lines.length - unique.size}`);
  if (missing.length > 0 || lines.length !== unique.size || unique.size !== count) throw new Error('jobs were lost or run twice');
}

async function measureListing(server: JobsTestServer, token: string, target: number): Promise<void> {
  const existing = (await server.get<JobStatistics>(`${ADMIN_JOBS}/statistics?f=json&token=${token}`)).total;
  if (existing < target) {
    const since = Date.now();
    await submitMany(server, target - existing, {});
    await waitForAll(server, token, since, target - existing);
  }
  let started = performance.now();
  const all = await server.get<JobList>(`${ADMIN_JOBS}/query?f=json&token=${token}&number=${target}`);
  const onePage = performance.now() - started;
  if (all.results.length !== target) throw new Error(`listed ${all.results.length}`);
  started = performance.now();
  let listed = 0;
  for (let start = 1; start !== -1; ) {
    const page = await server.get<JobList>(`${ADMIN_JOBS}/query?f=json&token=${token}&number=1000&start=${start}`);
    listed += page.results.length;
    start = page.nextStart;
  }
  const paged = performance.now() - started;
  console.log(`list ${target} jobs via admin jobs/query: one page ${onePage.toFixed(0)} ms; pages of 1000: ${paged.toFixed(0)} ms (${listed} jobs)`);
}

const server = await startJobsServer();
try {
  const token = await server.token();
  console.log(`job workers: ${server.context.config.jobs.concurrency} (config.jobs.concurrency)`);
  for (let i = 0; i < 20; i++) await submit(server); // warm up: workers start, modules load
  await waitForAll(server, token, 0, 20);
  await measureLatency(server, token, 300);
  await measureThroughput(server, token, 1000);
  await measureListing(server, token, 10_000);
} finally {
  await server.close();
}
