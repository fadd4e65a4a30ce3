import type { JobFilter, JobProgress, JobRecord, JobState } from '../job-queue.js';

/** A `jobs` row as both engines store it (JSON columns as text, times as epoch ms). */
export interface JobRow {
  id: string;
  service: string;
  task: string;
  owner: string | null;
  state: JobState;
  inputs: string;
  results: string | null;
  base_url: string;
  progress: string | null;
  machine: string | null;
  worker_pid: number | null;
  attempts: number;
  submitted: number;
  started: number | null;
  ended: number | null;
  heartbeat: number | null;
}

/** The `jobs` columns but `inputs`, for reads that leave a job's inputs to be read on first use. */
export const JOB_COLUMNS_BUT_INPUTS = 'id, service, task, owner, state, results, base_url, progress, machine, worker_pid, attempts, submitted, started, ended, heartbeat';

/** A row read without its inputs column, and how to read it when needed. */
export type JobRowWithoutInputs = Omit<JobRow, 'inputs'> & { inputs: () => string };

/**
 * A row as a record. `inputs` is parsed (and with a JobRowWithoutInputs, read) on first use:
 * status requests, heartbeats and listings never use it, and a job's inputs can be megabytes
 * (Classify's classifier definition), which every status poll used to read and parse.
 */
export function toJobRecord(row: JobRow | JobRowWithoutInputs): JobRecord {
  const record = {
    id: row.id,
    service: row.service,
    task: row.task,
    owner: row.owner,
    state: row.state,
    inputs: {},
    results: row.results === null ? null : (JSON.parse(row.results) as Record<string, unknown>),
    baseUrl: row.base_url,
    progress: row.progress === null ? null : (JSON.parse(row.progress) as JobProgress),
    machine: row.machine,
    workerPid: row.worker_pid,
    attempts: row.attempts,
    submitted: row.submitted,
    started: row.started,
    ended: row.ended,
    heartbeat: row.heartbeat,
  };
  let inputs: Record<string, unknown> | undefined;
  return Object.defineProperty(record, 'inputs', {
    enumerable: true,
    get: () => (inputs ??= JSON.parse(typeof row.inputs === 'string' ? row.inputs : row.inputs()) as Record<string, unknown>),
    set: (value: Record<string, unknown>) => (inputs = value),
  });
}

/** The two places the engines' SQL differs in a job filter. */
export interface JobFilterDialect {
  /** A clause that is never true (`0`, `false`). */
  never: string;
  /** Owner equality ignoring case, with one `?`. */
  ownerIs: string;
}

/** `WHERE …` with `?` placeholders for a job filter (empty when it filters nothing). */
export function jobFilterSql(filter: JobFilter, dialect: JobFilterDialect): { sql: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, ...bound: unknown[]) => {
    clauses.push(sql);
    values.push(...bound);
  };
  if (filter.service !== undefined) add('service = ?', filter.service);
  if (filter.states?.length === 0) add(dialect.never);
  else if (filter.states) add(`state IN (${filter.states.map(() => '?').join(', ')})`, ...filter.states);
  if (filter.owner === null) add('owner IS NULL');
  else if (filter.owner !== undefined) add(dialect.ownerIs, filter.owner);
  if (filter.submittedFrom !== undefined) add('submitted >= ?', filter.submittedFrom);
  if (filter.submittedTo !== undefined) add('submitted <= ?', filter.submittedTo);
  if (filter.machine !== undefined) add('machine = ?', filter.machine);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', values };
}
