import { RASTER_ANALYSIS } from '../helpers/analysis-server.js';
import type { JobParameter, JobResults, JobStatus, OutputValue } from '../helpers/answers.js';
import type { TestServer } from '../helpers/test-server.js';

export { RASTER_ANALYSIS, registerFileShare } from '../helpers/analysis-server.js';

export interface FinishedJob {
  jobId: string;
  jobStatus: string;
  messages: Array<{ type: string; description: string }>;
  results: JobResults;
}

/**
 * Submits a Raster Analysis task over HTTP as a client does (form-encoded, JSON in values),
 * polls the job until it ends, and reads its result parameters.
 */
export async function runJob(server: TestServer, task: string, params: Record<string, unknown>, token: string, timeoutMs = 120_000): Promise<FinishedJob> {
  const form = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const submitted = await server.post<JobStatus>(`${RASTER_ANALYSIS}/${task}/submitJob`, { ...form, f: 'json', token });
  if (!submitted.jobId) throw new Error(`submit refused: ${JSON.stringify(submitted)}`);
  const job = await waitForJob(server, task, submitted.jobId, token, timeoutMs);
  const results: JobResults = {};
  if (job.jobStatus === 'esriJobSucceeded') {
    for (const name of Object.keys(job.results ?? {})) {
      results[name] = await server.get<JobParameter<OutputValue>>(`${RASTER_ANALYSIS}/${task}/jobs/${submitted.jobId}/results/${name}?f=json&token=${token}`);
    }
  }
  return { jobId: submitted.jobId, jobStatus: job.jobStatus, messages: job.messages ?? [], results };
}

export async function waitForJob(server: TestServer, task: string, jobId: string, token: string, timeoutMs = 120_000, until?: (job: JobStatus) => boolean): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMs;
  const done = until ?? ((job: JobStatus) => /Succeeded|Failed|Cancelled|TimedOut|Deleted/.test(job.jobStatus));
  for (;;) {
    const job = await server.get<JobStatus>(`${RASTER_ANALYSIS}/${task}/jobs/${jobId}?f=json&returnMessages=true&token=${token}`);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
