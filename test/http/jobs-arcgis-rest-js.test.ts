import { ApiKeyManager, ArcGISJobError, Job, JOB_STATUSES } from '@esri/arcgis-rest-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobParameter, JobStatus } from '../helpers/answers.js';
import { startJobsServer, type JobsTestServer } from '../fixtures/tasks/jobs-server.js';

// The Job class of arcgis-rest-js is a real client: submit, poll, read every result.
let server: JobsTestServer;
let session: ApiKeyManager;

beforeAll(async () => {
  server = await startJobsServer();
  await server.addUser('ana', 'publisher');
  // A token used as a key: sent with every request (submit, polls, results) to any URL.
  session = ApiKeyManager.fromKey(await server.token('ana', 'ana-pw'));
});
afterAll(async () => server.close());

describe('@esri/arcgis-rest-request Job', () => {
  it('submits to a task that needs the raster analysis privilege, waits, and reads all results', async () => {
    const job = await Job.submitJob({
      url: `${server.url}/rest/services/Tests/Restricted/GPServer/InstantSuccess/submitJob`,
      params: { text: 'from rest-js', count: 2, options: { nested: true } },
      authentication: session,
      pollingRate: 50,
    });
    expect(job.id).toMatch(/^j[0-9a-f]{32}$/);
    const info = await job.waitForCompletion();
    expect(info.status).toBe(JOB_STATUSES.Success);
    const results = (await job.getAllResults()) as Record<string, JobParameter>;
    expect(results.result.value).toMatchObject({ echo: 'from rest-js', count: 2, options: { nested: true }, submitter: 'ana' });
    expect(results.echoCount).toEqual({ paramName: 'echoCount', dataType: 'GPLong', value: 2 });
    expect(await job.getResult('echoCount')).toMatchObject({ value: 2 });
  });

  it('rejects waitForCompletion with the job info when the job fails', async () => {
    const job = await Job.submitJob({
      url: `${server.url}/rest/services/Tests/Fixtures/GPServer/AlwaysFails`,
      params: {},
      pollingRate: 50,
    });
    const failure = await job.waitForCompletion().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ArcGISJobError);
    expect((failure as ArcGISJobError).jobInfo.status).toBe(JOB_STATUSES.Failed);
  });

  it('cancels a running job', async () => {
    const job = await Job.submitJob({ url: `${server.url}/rest/services/Tests/Fixtures/GPServer/SleepUntilCancelled`, params: {}, pollingRate: 50 });
    await server.waitForJob(`/rest/services/Tests/Fixtures/GPServer/SleepUntilCancelled/jobs/${job.id}?f=json`, (j) => j.jobStatus === 'esriJobExecuting');
    const answer = (await job.cancelJob()) as JobStatus;
    expect(['esriJobCancelling', 'esriJobCancelled']).toContain(answer.jobStatus);
    // rest-js gives up as soon as it sees Cancelling; the job then reaches Cancelled.
    const failure = await job.waitForCompletion().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ArcGISJobError);
    await server.waitForJob(`/rest/services/Tests/Fixtures/GPServer/SleepUntilCancelled/jobs/${job.id}?f=json`);
    expect((await job.getJobInfo()).status).toBe(JOB_STATUSES.Cancelled);
  });
});
