import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FIXTURES, isAlive, pidsFrom, startJobsServer, type JobsTestServer } from '../fixtures/tasks/jobs-server.js';
import { readJson, type ErrorAnswer, type JobStatus } from '../helpers/answers.js';

/** An admin API error (`{ status: 'error', messages, code }`). */
interface AdminError {
  status: string;
  messages?: string[];
  code: number;
}

/** A folder of the admin services directory. */
interface AdminFolder {
  folderName: string;
  folders: string[];
  services: Array<{ folderName: string; serviceName: string; type: string }>;
}

/** One job as the admin API lists and shows it. */
interface AdminJob {
  jobID: string;
  jobId: string;
  status: string;
  username: string | null;
  task: string;
  url: string;
  submittedTime: number;
  endTime: number;
  machinename: string;
  inputs: Record<string, unknown>;
  results: Record<string, unknown>;
  messages: unknown[];
  attempts: number;
}

/** A page of the admin job query. */
interface AdminJobsPage {
  total: number;
  num: number;
  start: number;
  nextStart: number;
  results: AdminJob[];
}

const ADMIN_JOBS = '/admin/services/Tests/Fixtures.GPServer/jobs';

let server: JobsTestServer;
let admin: string;
beforeAll(async () => {
  server = await startJobsServer();
  await server.addUser('ana', 'publisher');
  admin = await server.token();
});
afterAll(async () => server.close());

async function submit(task: string, form: Record<string, string> = {}): Promise<string> {
  return (await server.post<JobStatus>(`${FIXTURES}/${task}/submitJob`, { f: 'json', ...form })).jobId;
}

const restJob = (task: string, id: string) => `${FIXTURES}/${task}/jobs/${id}?f=json`;

async function postRaw(target: string, form: Record<string, string>, query = ''): Promise<Response> {
  return fetch(`${server.url}${target}${query}`, { method: 'POST', body: new URLSearchParams(form) });
}

describe('admin services', () => {
  it('lists folders and services with their types', async () => {
    const root = await server.get<unknown>(`/admin/services?f=json&token=${admin}`);
    expect(root).toMatchObject({ folderName: '/', folders: expect.arrayContaining(['System', 'Tests']) as unknown });
    const system = await server.get<AdminFolder>(`/admin/services/System?f=json&token=${admin}`);
    expect(system.services).toContainEqual(expect.objectContaining({ folderName: 'System', serviceName: 'RasterAnalysisTools', type: 'GPServer' }));
  });

  it('describes one service', async () => {
    const service = await server.get<unknown>(`/admin/services/System/RasterAnalysisTools.GPServer?f=json&token=${admin}`);
    expect(service).toMatchObject({
      serviceName: 'RasterAnalysisTools',
      type: 'GPServer',
      private: false,
      resources: ['jobs'],
      properties: { executionType: 'esriExecutionTypeAsynchronous' },
    });
    const missing = await server.get<unknown>(`/admin/services/System/Nope.GPServer?f=json&token=${admin}`);
    expect(missing).toMatchObject({ status: 'error', code: 404 });
  });

  it('needs an administrator', async () => {
    expect(await server.get('/admin/services?f=json')).toEqual({ status: 'error', messages: ['Token Required'], code: 499 });
    const ana = await server.token('ana', 'ana-pw');
    expect((await server.get<AdminError>(`/admin/services?f=json&token=${ana}`)).code).toBe(403);
    expect(await server.get(`/admin/nothing?f=json&token=${admin}`)).toEqual({ status: 'error', messages: ['Invalid URL'], code: 404 });
  });
});

describe('admin job delete (seed 003)', () => {
  let jobId: string;
  beforeAll(async () => {
    jobId = await submit('InstantSuccess', { text: 'keep me' });
    await server.waitForJob(restJob('InstantSuccess', jobId));
  });

  const deleteUrl = () => `${ADMIN_JOBS}/${jobId}/delete`;
  const stillThere = async () => (await server.get<JobStatus>(restJob('InstantSuccess', jobId))).jobStatus === 'esriJobSucceeded';

  it('refuses a GET', async () => {
    const answer = await server.get<unknown>(`${deleteUrl()}?f=json&token=${admin}`);
    expect(answer).toEqual({ status: 'error', messages: ['The requested operation does not support the GET method. Use POST.'], code: 405 });
    expect(await stillThere()).toBe(true);
  });

  it('refuses a POST without a token', async () => {
    expect(await server.post(deleteUrl(), { f: 'json' })).toEqual({ status: 'error', messages: ['Token Required'], code: 499 });
    expect(await stillThere()).toBe(true);
  });

  it('refuses a POST whose token is only in the query string', async () => {
    const answer = await readJson(await postRaw(deleteUrl(), { f: 'json' }, `?token=${admin}`));
    expect(answer).toMatchObject({ status: 'error', code: 403 });
    expect(await stillThere()).toBe(true);
  });

  it('refuses an invalid token', async () => {
    expect(await server.post(deleteUrl(), { f: 'json', token: 'not-a-token' })).toEqual({ status: 'error', messages: ['Invalid Token'], code: 498 });
    expect(await stillThere()).toBe(true);
  });

  it('refuses an expired token', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 3600_000 });
    try {
      expect(await server.post(deleteUrl(), { f: 'json', token: admin })).toEqual({ status: 'error', messages: ['Invalid Token'], code: 498 });
    } finally {
      vi.useRealTimers();
    }
    expect(await stillThere()).toBe(true);
  });

  it('refuses a non-administrator', async () => {
    const answer = await server.post<unknown>(deleteUrl(), { f: 'json', token: await server.token('ana', 'ana-pw') });
    expect(answer).toMatchObject({ status: 'error', code: 403 });
    expect(await stillThere()).toBe(true);
  });

  it('deletes with the administrator token in the body, then the job is gone', async () => {
    expect(await server.post(deleteUrl(), { f: 'json', token: admin })).toEqual({ status: 'success' });
    expect((await server.get<ErrorAnswer>(restJob('InstantSuccess', jobId))).error.code).toBe(400);
    expect(existsSync(path.join(server.dataDir, 'jobs', jobId))).toBe(false);
  });

  it('answers an unknown job with the documented error', async () => {
    expect(await server.post(deleteUrl(), { f: 'json', token: admin })).toEqual({
      status: 'error',
      messages: [`Unable to delete job :[${jobId}]`],
      code: 400,
    });
  });

  it('cancels an executing job first: its worker and child are gone, and so is its folder', async () => {
    const id = await submit('SleepUntilCancelled');
    const running = await server.waitForJob(restJob('SleepUntilCancelled', id), (job) => pidsFrom(job).child !== undefined);
    const { worker, child } = pidsFrom(running);
    expect(await server.post(`${ADMIN_JOBS}/${id}/delete`, { f: 'json', token: admin })).toEqual({ status: 'success' });
    expect(isAlive(worker!) || isAlive(child!)).toBe(false);
    expect(existsSync(path.join(server.dataDir, 'jobs', id))).toBe(false);
    expect((await server.get<ErrorAnswer>(restJob('SleepUntilCancelled', id))).error.code).toBe(400);
  });
});

describe('admin job cancel', () => {
  it('cancels an executing job and keeps its record', async () => {
    const id = await submit('SleepUntilCancelled');
    await server.waitForJob(restJob('SleepUntilCancelled', id), (job) => job.jobStatus === 'esriJobExecuting');
    expect(await server.post(`${ADMIN_JOBS}/${id}/cancel`, { f: 'json', token: admin })).toEqual({ status: 'success' });
    expect((await server.waitForJob(restJob('SleepUntilCancelled', id))).jobStatus).toBe('esriJobCancelled');
    expect(await server.post(`${ADMIN_JOBS}/${id}/cancel`, { f: 'json', token: admin })).toEqual({
      status: 'error',
      messages: [`Unable to cancel job :[${id}]`],
      code: 500,
    });
  });
});

describe('admin job listing', () => {
  let ids: string[];
  let before: number;
  beforeAll(async () => {
    before = Date.now();
    const ana = await server.token('ana', 'ana-pw');
    ids = [
      await submit('InstantSuccess', { text: '1', token: ana }),
      await submit('InstantSuccess', { text: '2', token: ana }),
      await submit('AlwaysFails'),
    ];
    for (const [i, id] of ids.entries()) await server.waitForJob(`${restJob(i < 2 ? 'InstantSuccess' : 'AlwaysFails', id)}&token=${admin}`);
  });

  const query = (params: string) => server.get<AdminJobsPage>(`${ADMIN_JOBS}/query?f=json&token=${admin}&startTime=${before}&${params}`);

  it('filters by submit time and pages with start and number', async () => {
    const first = await query('number=2');
    expect(first).toMatchObject({ total: 3, num: 2, start: 1, nextStart: 3 });
    expect(first.results.map((j) => j.jobID)).toEqual(ids.slice(0, 2));
    const second = await query('number=2&start=3');
    expect(second).toMatchObject({ total: 3, num: 1, start: 3, nextStart: -1 });
    expect(second.results[0]).toMatchObject({
      jobID: ids[2],
      jobId: ids[2],
      status: 'esriJobFailed',
      username: null,
      task: 'AlwaysFails',
      url: `${server.url}${FIXTURES}/AlwaysFails/jobs/${ids[2]}`,
    });
    expect(second.results[0].submittedTime).toBeGreaterThanOrEqual(before);
    expect(second.results[0].endTime).toBeGreaterThanOrEqual(second.results[0].submittedTime);
    expect(typeof second.results[0].machinename).toBe('string');
    expect((await server.get<AdminJobsPage>(`${ADMIN_JOBS}/query?f=json&token=${admin}&startTime=${before}&endTime=${before - 1}`)).total).toBe(0);
  });

  it('filters by status and owner, and the jobs resource lists the same', async () => {
    expect((await query('jobStatus=esriJobSucceeded')).results.map((j) => j.jobID)).toEqual(ids.slice(0, 2));
    expect((await query('userName=ana')).total).toBe(2);
    expect((await query('userName=null')).results.map((j) => j.jobID)).toEqual([ids[2]]);
    expect((await query('jobStatus=esriJobExecuting')).total).toBe(0);
    const listing = await server.get<unknown>(`${ADMIN_JOBS}?f=json&token=${admin}&startTime=${before}`);
    expect(listing).toMatchObject({ total: 3, resources: ['statistics'] });
    expect(await query('jobStatus=esriJobSleeping')).toMatchObject({ status: 'error', code: 400 });
  });

  it('shows one job in full', async () => {
    const detail = await server.get<AdminJob>(`${ADMIN_JOBS}/${ids[0]}?f=json&token=${admin}`);
    expect(detail).toMatchObject({ jobId: ids[0], status: 'esriJobSucceeded', username: 'ana', inputs: { text: '1' }, attempts: 1 });
    expect(detail.results.result).toMatchObject({ echo: '1' });
    expect(detail.messages.length).toBeGreaterThan(0);
  });

  it('counts jobs by status', async () => {
    const stats = await server.post<Record<string, number>>(`${ADMIN_JOBS}/statistics`, { f: 'json', token: admin });
    expect(stats.total).toBeGreaterThanOrEqual(3);
    expect(stats.succeeded).toBeGreaterThanOrEqual(2);
    expect(stats.failed).toBeGreaterThanOrEqual(1);
    expect(Object.keys(stats)).toEqual(['total', 'submitted', 'waiting', 'executing', 'succeeded', 'failed', 'timedOut', 'cancelling', 'cancelled', 'deleting']);
  });
});

describe('admin purgeQueue', () => {
  let single: JobsTestServer;
  beforeAll(async () => {
    single = await startJobsServer({ config: { jobs: { concurrency: 1, timeLimitSeconds: 3600, retentionMinutes: 360 } } });
  });
  afterAll(async () => single.close());

  it('cancels every job that has not started and leaves the running one', async () => {
    const token = await single.token();
    const post = (task: string, form: Record<string, string> = {}) => single.post<JobStatus>(`${FIXTURES}/${task}/submitJob`, { f: 'json', ...form });
    const running = (await post('SleepUntilCancelled')).jobId;
    await single.waitForJob(restJob('SleepUntilCancelled', running), (job) => job.jobStatus === 'esriJobExecuting');
    const queued = [(await post('InstantSuccess', { text: 'a' })).jobId, (await post('InstantSuccess', { text: 'b' })).jobId];
    expect(await single.get(`${ADMIN_JOBS}/purgeQueue?f=json&token=${token}`)).toMatchObject({ code: 405 });
    expect(await single.post(`${ADMIN_JOBS}/purgeQueue`, { f: 'json', token })).toEqual({ status: 'success' });
    for (const id of queued) expect((await single.get<JobStatus>(restJob('InstantSuccess', id))).jobStatus).toBe('esriJobCancelled');
    expect((await single.get<JobStatus>(restJob('SleepUntilCancelled', running))).jobStatus).toBe('esriJobExecuting');
    await single.post(`${ADMIN_JOBS}/${running}/delete`, { f: 'json', token });
  });
});
