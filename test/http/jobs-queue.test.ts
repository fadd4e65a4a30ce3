import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStatus } from '../helpers/answers.js';
import { FIXTURES, startJobsServer, type JobsTestServer } from '../fixtures/tasks/jobs-server.js';

const jobUrl = (task: string, id: string, rest = '') => `${FIXTURES}/${task}/jobs/${id}${rest}?f=json`;

describe('one worker: the queue', () => {
  let server: JobsTestServer;
  beforeAll(async () => {
    server = await startJobsServer({ config: { jobs: { concurrency: 1, timeLimitSeconds: 3600, retentionMinutes: 360 } } });
  });
  afterAll(async () => server.close());

  it('keeps jobs esriJobWaiting while the worker is busy, runs them in order, cancels a waiting one at once', async () => {
    const blocker = await server.post<JobStatus>(`${FIXTURES}/SleepUntilCancelled/submitJob`, { f: 'json' });
    await server.waitForJob<JobStatus>(jobUrl('SleepUntilCancelled', blocker.jobId), (job) => job.jobStatus === 'esriJobExecuting');
    const first = await server.post<JobStatus>(`${FIXTURES}/InstantSuccess/submitJob`, { f: 'json', text: 'first' });
    const second = await server.post<JobStatus>(`${FIXTURES}/InstantSuccess/submitJob`, { f: 'json', text: 'second' });
    const third = await server.post<JobStatus>(`${FIXTURES}/InstantSuccess/submitJob`, { f: 'json', text: 'third' });
    for (const { jobId } of [first, second, third]) {
      expect((await server.waitForJob<JobStatus>(jobUrl('InstantSuccess', jobId), (job) => job.jobStatus !== 'esriJobSubmitted')).jobStatus).toBe('esriJobWaiting');
    }
    expect(await server.get<unknown>(jobUrl('InstantSuccess', second.jobId, '/cancel'))).toEqual({ jobId: second.jobId, jobStatus: 'esriJobCancelled' });

    await server.post<unknown>(`${FIXTURES}/SleepUntilCancelled/jobs/${blocker.jobId}/cancel`, { f: 'json' });
    const done = [await server.waitForJob<JobStatus>(jobUrl('InstantSuccess', first.jobId)), await server.waitForJob<JobStatus>(jobUrl('InstantSuccess', third.jobId))];
    expect(done.map((job) => job.jobStatus)).toEqual(['esriJobSucceeded', 'esriJobSucceeded']);
    expect((await server.get<JobStatus>(jobUrl('InstantSuccess', second.jobId))).jobStatus).toBe('esriJobCancelled');
    const started = (job: JobStatus) => job.messages[0].description;
    expect(started(done[0]) <= started(done[1])).toBe(true);
  });
});

describe('retention', () => {
  let server: JobsTestServer;
  beforeAll(async () => {
    // 0.02 minutes: finished jobs expire after 1.2 s; the sweep runs every second.
    server = await startJobsServer({ config: { jobs: { concurrency: 2, timeLimitSeconds: 3600, retentionMinutes: 0.02 } } });
  });
  afterAll(async () => server.close());

  it('removes finished jobs and their folders after the retention period', async () => {
    const { jobId } = await server.post<JobStatus>(`${FIXTURES}/InstantSuccess/submitJob`, { f: 'json', text: 'short-lived' });
    expect((await server.waitForJob<JobStatus>(jobUrl('InstantSuccess', jobId))).jobStatus).toBe('esriJobSucceeded');
    expect(existsSync(path.join(server.dataDir, 'jobs', jobId))).toBe(true);
    const gone = await server.waitForJob<JobStatus>(jobUrl('InstantSuccess', jobId), (job) => job.error !== undefined, 10_000);
    expect(gone.error).toMatchObject({ code: 400, details: [`Job '${jobId}' does not exist or is inaccessible.`] });
    expect(existsSync(path.join(server.dataDir, 'jobs', jobId))).toBe(false);
  });

  it('keeps jobs that have not finished', async () => {
    const { jobId } = await server.post<JobStatus>(`${FIXTURES}/SleepUntilCancelled/submitJob`, { f: 'json' });
    await server.waitForJob<JobStatus>(jobUrl('SleepUntilCancelled', jobId), (job) => job.jobStatus === 'esriJobExecuting');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await server.get<JobStatus>(jobUrl('SleepUntilCancelled', jobId))).jobStatus).toBe('esriJobExecuting');
    await server.post<unknown>(`${FIXTURES}/SleepUntilCancelled/jobs/${jobId}/delete`, { f: 'json' });
  });
});
