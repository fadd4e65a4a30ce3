import type { JobFilter, JobProgress, JobRecord, JobResultsInput, JobState } from '../job-queue.js';

/** A `jobs` row as both engines store it (JSON columns as text, times as epoch ms). */
export interface JobRow {
  id: string;
  service: string;
  task: string;
  owner: string | null;
  state: JobState;
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

/**
 * A row as a record (a job's inputs live in `job_inputs`, read on their own). Results are parsed
 * when first read: they can be megabytes (a trained classifier's model), and the status polls
 * that read a job most never look at them.
 */
export function toJobRecord(row: JobRow): JobRecord {
  const record: JobRecord = {
    id: row.id,
    service: row.service,
    task: row.task,
    owner: row.owner,
    state: row.state,
    results: null,
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
  const text = row.results;
  if (text !== null) {
    let results: Record<string, unknown> | undefined;
    Object.defineProperty(record, 'results', {
      enumerable: true,
      get: () => (results ??= JSON.parse(text) as Record<string, unknown>),
      set: (value: Record<string, unknown>) => (results = value),
    });
  }
  return record;
}

/** The `results` column's text: JSON text as given, an object serialized. */
export function resultsColumn(results: JobResultsInput): string {
  return typeof results === 'string' ? results : JSON.stringify(results);
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
