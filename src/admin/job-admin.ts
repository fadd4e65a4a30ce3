import { ApiError } from '../errors.js';
import type { Params } from '../params.js';
import { statesForEsriStatus, toEsriMessage, toEsriStatus } from '../jobs/job-status.js';
import type { JobFilter, JobInputs, JobMessage, JobRecord, JobState } from '../store/job-queue.js';

/** Page size of `jobs/query` when `number` is absent (as on the Enterprise API), and its cap. */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 10_000;

export interface JobQuery {
  filter: JobFilter;
  /** 1-based index of the first job on the page. */
  start: number;
  number: number;
  /** Echoed back as `query`. */
  echo: Record<string, unknown>;
}

/** Epoch ms, or `yyyy-mm-ddThh:mm:ss` (10.9.1+). */
function parseTime(params: Params, name: string): number | undefined {
  const text = params.string(name);
  if (text === undefined) return undefined;
  const ms = /^\s*-?\d+\s*$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw ApiError.invalidParameter(`'${name}' parameter is invalid: expected epoch milliseconds or yyyy-mm-ddThh:mm:ss`);
  return ms;
}

/** `jobs/query` parameters (ArcGIS Server Administrator API, Jobs: query) → a filter and a page. */
export function parseJobQuery(params: Params, service: string, serviceName: string): JobQuery {
  const filter: JobFilter = { service };
  const status = params.string('jobStatus');
  if (status !== undefined) {
    const states = statesForEsriStatus(status);
    if (!states) throw ApiError.invalidParameter(`'jobStatus' parameter is invalid: '${status}' is not a job status`);
    filter.states = states;
  }
  const userName = params.string('userName');
  if (userName !== undefined) filter.owner = userName === 'null' ? null : userName;
  const machine = params.string('machineName');
  if (machine !== undefined) filter.machine = machine;
  const startTime = parseTime(params, 'startTime');
  const endTime = parseTime(params, 'endTime');
  if (startTime !== undefined) filter.submittedFrom = startTime;
  if (endTime !== undefined || startTime !== undefined) filter.submittedTo = endTime ?? Date.now();
  const number = params.int('number') ?? params.int('num') ?? DEFAULT_PAGE_SIZE;
  const start = params.int('start') ?? 1;
  if (number < 1 || number > MAX_PAGE_SIZE) throw ApiError.invalidParameter(`'number' parameter is invalid: expected 1 to ${MAX_PAGE_SIZE}`);
  if (start < 1) throw ApiError.invalidParameter("'start' parameter is invalid: the first job is number 1");
  const echo = {
    serviceName,
    userName: userName ?? '',
    jobStatus: status ?? '',
    machineName: machine ?? '',
    startTime: filter.submittedFrom ?? null,
    endTime: filter.submittedTo ?? null,
  };
  return { filter, start, number, echo };
}

/** One job in a listing; both `jobID` (Server API docs) and `jobId` (its JSON examples) are given. */
export function toJobSummary(job: JobRecord, restJobUrl: string): Record<string, unknown> {
  return {
    jobID: job.id,
    jobId: job.id,
    status: toEsriStatus(job.state),
    submittedTime: job.submitted,
    startTime: job.started,
    endTime: job.ended,
    username: job.owner,
    machinename: job.machine,
    task: job.task,
    url: restJobUrl,
  };
}

/** `jobs/<id>`: the summary plus everything recorded about the job. */
export function toJobDetail(job: JobRecord, inputs: JobInputs, restJobUrl: string, messages: JobMessage[]): Record<string, unknown> {
  return {
    ...toJobSummary(job, restJobUrl),
    workerPid: job.workerPid,
    attempts: job.attempts,
    lastHeartbeat: job.heartbeat,
    progress: job.progress,
    inputs,
    results: job.results,
    messages: messages.map(toEsriMessage),
  };
}

const STATISTIC_KEYS: Record<JobState, string> = {
  submitted: 'submitted',
  waiting: 'waiting',
  executing: 'executing',
  succeeded: 'succeeded',
  failed: 'failed',
  'timed-out': 'timedOut',
  cancelling: 'cancelling',
  cancelled: 'cancelled',
  deleting: 'deleting',
};

/** `jobs/statistics`: counts over the retained jobs, every state listed (zeros included). */
export function toJobStatistics(counts: Partial<Record<JobState, number>>): Record<string, number> {
  const out: Record<string, number> = { total: Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0) };
  for (const [state, key] of Object.entries(STATISTIC_KEYS) as Array<[JobState, string]>) out[key] = counts[state] ?? 0;
  return out;
}
