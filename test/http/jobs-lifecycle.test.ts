import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollbackMarkerPath } from '../fixtures/tasks/rollback-marker.js';
import type { ErrorEnvelope, FolderJson, GPResultsAnswer, GPServiceJson, GPTaskJson, JobParameter, JobStatus } from '../helpers/answers.js';
import { FIXTURES, isAlive, pidsFrom, startJobsServer, type JobsTestServer } from '../fixtures/tasks/jobs-server.js';

let server: JobsTestServer;
beforeAll(async () => {
  server = await startJobsServer();
});
afterAll(async () => server.close());

const JOB_ID = /^j[0-9a-f]{32}$/;
const jobPath = (task: string, id: string, rest = '') => `${FIXTURES}/${task}/jobs/${id}${rest}`;

async function submit(task: string, form: Record<string, string> = {}) {
  return server.post<JobStatus>(`${FIXTURES}/${task}/submitJob`, { f: 'json', ...form });
}

async function waitUntilExecuting(task: string, id: string) {
  return server.waitForJob<JobStatus>(`${jobPath(task, id)}?f=json`, (job) => job.jobStatus === 'esriJobExecuting' && pidsFrom(job).worker !== undefined);
}

describe('GP service and task resources', () => {
  it('lists RasterAnalysisTools in the System folder as a public GPServer', async () => {
    const folder = await server.get<FolderJson>('/rest/services/System?f=json');
    expect(folder.services).toContainEqual({ name: 'System/RasterAnalysisTools', type: 'GPServer' });
    const service = await server.get<GPServiceJson>('/rest/services/System/RasterAnalysisTools/GPServer?f=json');
    expect(service).toMatchObject({ executionType: 'esriExecutionTypeAsynchronous', currentVersion: 11.3 });
    expect(Array.isArray(service.tasks)).toBe(true);
  });

  it('describes a service and its tasks in the ArcGIS shape', async () => {
    const service = await server.get<GPServiceJson>(`${FIXTURES}?f=json`);
    expect(service).toMatchObject({ executionType: 'esriExecutionTypeAsynchronous', maximumRecords: 1000, capabilities: '' });
    expect(service.tasks).toContain('InstantSuccess');
    const task = await server.get<GPTaskJson>(`${FIXTURES}/instantsuccess?f=json`);
    expect(task.name).toBe('InstantSuccess');
    expect(task.parameters[0]).toEqual({
      name: 'text',
      dataType: 'GPString',
      displayName: 'Text',
      description: '',
      direction: 'esriGPParameterDirectionInput',
      defaultValue: '',
      parameterType: 'esriGPParameterTypeRequired',
      category: '',
    });
    expect(task.parameters.find((p) => p.name === 'mode')).toMatchObject({ choiceList: ['fast', 'slow'], parameterType: 'esriGPParameterTypeOptional' });
    expect(task.parameters.find((p) => p.name === 'echoCount')).toMatchObject({
      direction: 'esriGPParameterDirectionOutput',
      parameterType: 'esriGPParameterTypeDerived',
    });
  });

  it('offers a submit form on the task page', async () => {
    const html = await (await fetch(`${server.url}${FIXTURES}/InstantSuccess?f=html`)).text();
    expect(html).toContain(`action="${server.url}${FIXTURES}/InstantSuccess/submitJob"`);
    expect(html).toContain('name="text"');
  });

  it('answers unknown services, tasks and jobs with error envelopes', async () => {
    expect((await server.get<ErrorEnvelope>('/rest/services/Tests/Nope/GPServer?f=json')).error.code).toBe(404);
    expect((await server.get<ErrorEnvelope>(`${FIXTURES}/Nope?f=json`)).error.code).toBe(400);
    const missing = await server.get<ErrorEnvelope>(`${jobPath('InstantSuccess', `j${'0'.repeat(32)}`)}?f=json`);
    expect(missing.error).toMatchObject({ code: 400, details: [`Job 'j${'0'.repeat(32)}' does not exist or is inaccessible.`] });
  });
});

describe('a successful job', () => {
  it('runs from submitted to succeeded with messages, inputs and results', async () => {
    const submitted = await submit('InstantSuccess', { text: 'hello', count: '3', flag: 'true', options: '{"a":[1,2]}', context: '{"outSR":{"wkid":3857}}' });
    expect(submitted).toEqual({ jobId: expect.stringMatching(JOB_ID) as string, jobStatus: 'esriJobSubmitted' });
    const job = await server.waitForJob<JobStatus>(`${jobPath('InstantSuccess', submitted.jobId)}?f=json`);
    expect(job.jobStatus).toBe('esriJobSucceeded');
    expect(job.progress).toBeUndefined();
    expect(job.results).toEqual({ result: { paramUrl: 'results/result' }, echoCount: { paramUrl: 'results/echoCount' } });
    expect(job.inputs.text).toEqual({ paramUrl: 'inputs/text' });
    const types = job.messages.map((m) => m.type);
    expect(types).toEqual(['esriJobMessageTypeInformative', 'esriJobMessageTypeInformative', 'esriJobMessageTypeWarning', 'esriJobMessageTypeInformative']);
    expect(job.messages[0].description).toMatch(/^Start Time: \w{3} \w{3} \d\d \d\d:\d\d:\d\d \d{4}$/);
    expect(job.messages[3].description).toMatch(/^Succeeded at .* \(Elapsed Time: \d+\.\d\d seconds\)$/);

    const result = await server.get<JobParameter<Record<string, unknown>>>(`${jobPath('InstantSuccess', submitted.jobId, '/results/result')}?f=json`);
    expect(result).toMatchObject({ paramName: 'result', dataType: 'GPString' });
    expect(result.value).toMatchObject({
      echo: 'hello',
      count: 3,
      flag: true,
      options: { a: [1, 2] },
      mode: 'fast',
      context: { outSR: { wkid: 3857 } },
      submitter: null,
      baseUrl: server.url,
      users: 1,
    });
    expect(result.value.workerPid).not.toBe(process.pid);
    expect(await server.get<unknown>(`${jobPath('InstantSuccess', submitted.jobId, '/results/echoCount')}?f=json`)).toEqual({
      paramName: 'echoCount',
      dataType: 'GPLong',
      value: 3,
    });
    expect(await server.get<unknown>(`${jobPath('InstantSuccess', submitted.jobId, '/inputs/options')}?f=json`)).toEqual({
      paramName: 'options',
      dataType: 'GPString',
      value: { a: [1, 2] },
    });
    const all = await server.get<GPResultsAnswer>(`${jobPath('InstantSuccess', submitted.jobId, '/results')}?f=json`);
    expect(all.results.map((r) => r.paramName)).toEqual(['result', 'echoCount']);
  });

  it('drops messages with returnMessages=false and keeps status and links', async () => {
    const { jobId } = await submit('InstantSuccess', { text: 'quiet' });
    await server.waitForJob<JobStatus>(`${jobPath('InstantSuccess', jobId)}?f=json`);
    const job = await server.get<JobStatus>(`${jobPath('InstantSuccess', jobId)}?f=json&returnMessages=false`);
    expect(job).toMatchObject({ jobStatus: 'esriJobSucceeded', messages: [] });
    expect(job.results.result).toEqual({ paramUrl: 'results/result' });
  });

  it('redirects an f=html submit to the job page', async () => {
    const response = await fetch(`${server.url}${FIXTURES}/InstantSuccess/submitJob`, {
      method: 'POST',
      body: new URLSearchParams({ f: 'html', text: 'browser' }),
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${server.url}${FIXTURES}/InstantSuccess/jobs/j[0-9a-f]{32}\\?f=html$`));
    const page = await (await fetch(response.headers.get('location')!)).text();
    expect(page).toContain('Job: j');
  });

  it('reports progress while executing', async () => {
    const { jobId } = await submit('SleepUntilCancelled');
    await waitUntilExecuting('SleepUntilCancelled', jobId);
    const job = await server.waitForJob<JobStatus>(`${jobPath('SleepUntilCancelled', jobId)}?f=json`, (j) => j.progress?.type === 'step');
    expect(job.progress).toEqual({ type: 'step', message: 'Sleeping', percent: 10 });
    await server.post<unknown>(jobPath('SleepUntilCancelled', jobId, '/delete'), { f: 'json' });
  });
});

describe('refused submits create no job', () => {
  let token: string;
  beforeAll(async () => {
    token = await server.token();
  });

  async function jobCount(): Promise<number> {
    return (await server.get<{ total: number }>(`/admin/services/Tests/Fixtures.GPServer/jobs/statistics?f=json&token=${token}`)).total;
  }

  it.each([
    [{}, "'text' parameter is required"],
    [{ text: 'x', options: '{not json' }, "'options' parameter is invalid: it is not valid JSON"],
    [{ text: 'x', count: 'many' }, "'count' parameter is invalid: expected a number"],
    [{ text: 'x', count: '1.5' }, "'count' parameter is invalid: expected an integer"],
    [{ text: 'x', flag: 'maybe' }, "'flag' parameter is invalid: expected true or false"],
    [{ text: 'x', mode: 'warp' }, "'mode' parameter is invalid: 'warp' is not one of fast, slow"],
    [{ text: 'x', context: '[1' }, "'context' parameter is invalid: it is not valid JSON"],
  ])('%j → 400', async (form, detail) => {
    const before = await jobCount();
    const answer = await submit('InstantSuccess', form);
    expect(answer).toEqual({ error: { code: 400, message: 'Invalid or missing input parameters.', details: [detail] } });
    expect(await jobCount()).toBe(before);
  });

  it('refuses execute on an asynchronous service and submitJob on a synchronous one', async () => {
    expect((await server.post<ErrorEnvelope>(`${FIXTURES}/InstantSuccess/execute`, { f: 'json', text: 'x' })).error.code).toBe(400);
    expect((await server.post<ErrorEnvelope>('/rest/services/Tests/SyncFixtures/GPServer/InstantSuccess/submitJob', { f: 'json', text: 'x' })).error.code).toBe(400);
  });
});

describe('synchronous execute', () => {
  it('runs the task in a worker and answers its results', async () => {
    const answer = await server.post<GPResultsAnswer<Record<string, unknown>>>('/rest/services/Tests/SyncFixtures/GPServer/InstantSuccess/execute', { f: 'json', text: 'sync' });
    expect(answer.results[0]).toMatchObject({ paramName: 'result', dataType: 'GPString', value: { echo: 'sync' } });
    expect(answer.messages.some((m) => m.description === "Echoing 'sync'")).toBe(true);
  });

  it('answers a failed run with the error envelope carrying its messages', async () => {
    const answer = await server.post<ErrorEnvelope>('/rest/services/Tests/SyncFixtures/GPServer/AlwaysFails/execute', { f: 'json' });
    expect(answer.error.code).toBe(400);
    expect(answer.error.details).toContain('The fixture refuses to work.');
  });
});

describe('failing jobs', () => {
  it('ends esriJobFailed with the task message, rolls back and removes the scratch folder', async () => {
    const { jobId } = await submit('AlwaysFails');
    const job = await server.waitForJob<JobStatus>(`${jobPath('AlwaysFails', jobId)}?f=json`);
    expect(job.jobStatus).toBe('esriJobFailed');
    const errors = job.messages.filter((m) => m.type === 'esriJobMessageTypeError').map((m) => m.description);
    expect(errors.slice(0, 2)).toEqual(['The fixture refuses to work.', 'Failed to execute (AlwaysFails).']);
    expect(existsSync(rollbackMarkerPath(server.dataDir, jobId))).toBe(true);
    expect(existsSync(path.join(server.dataDir, 'jobs', jobId))).toBe(false);
    const result = await server.get<ErrorEnvelope>(`${jobPath('AlwaysFails', jobId, '/results/result')}?f=json`);
    expect(result.error.code).toBe(400);
  });

  it('hides unexpected errors behind a generic message', async () => {
    const { jobId } = await submit('AlwaysFails', { kind: 'unexpected' });
    const job = await server.waitForJob<JobStatus>(`${jobPath('AlwaysFails', jobId)}?f=json`);
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(JSON.stringify(job)).not.toContain('secret');
    expect(job.messages.some((m) => m.description === 'The task failed with an unexpected error.')).toBe(true);
  });

  it('fails a job whose results the worker cannot send (JSON has no BigInt), with the generic message', async () => {
    const { jobId } = await submit('AlwaysFails', { kind: 'unserializable' });
    const job = await server.waitForJob<JobStatus>(`${jobPath('AlwaysFails', jobId)}?f=json`);
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(job.messages.some((m) => m.description === 'The task failed with an unexpected error.')).toBe(true);
  });

  it('fails the job when its worker process dies', async () => {
    const { jobId } = await submit('AlwaysFails', { kind: 'crash' });
    const job = await server.waitForJob<JobStatus>(`${jobPath('AlwaysFails', jobId)}?f=json`);
    expect(job.jobStatus).toBe('esriJobFailed');
    expect(job.messages.some((m) => /worker process stopped unexpectedly \(exit code 3\)/.test(m.description))).toBe(true);
  });
});

describe('time limits', () => {
  it('ends esriJobTimedOut and kills a worker that ignores the abort', async () => {
    const { jobId } = await submit('TimeOut');
    const running = await waitUntilExecuting('TimeOut', jobId);
    const { worker } = pidsFrom(running);
    const job = await server.waitForJob<JobStatus>(`${jobPath('TimeOut', jobId)}?f=json`);
    expect(job.jobStatus).toBe('esriJobTimedOut');
    expect(job.messages.some((m) => m.description === 'The job exceeded its time limit of 1 seconds and was stopped.')).toBe(true);
    expect(isAlive(worker!)).toBe(false);
  });
});

describe('cancel', () => {
  it('stops the worker and its child, rolls back, and ends esriJobCancelled', async () => {
    const { jobId } = await submit('SleepUntilCancelled', { label: 'to cancel' });
    const { worker, child } = pidsFrom(await waitUntilExecuting('SleepUntilCancelled', jobId));
    expect(isAlive(worker!) && isAlive(child!)).toBe(true);
    const answer = await server.get<JobStatus>(`${jobPath('SleepUntilCancelled', jobId, '/cancel')}?f=json`);
    expect(answer.jobId).toBe(jobId);
    expect(['esriJobCancelling', 'esriJobCancelled']).toContain(answer.jobStatus);
    const job = await server.waitForJob<JobStatus>(`${jobPath('SleepUntilCancelled', jobId)}?f=json`);
    expect(job.jobStatus).toBe('esriJobCancelled');
    expect(isAlive(worker!)).toBe(false);
    expect(isAlive(child!)).toBe(false);
    expect(existsSync(rollbackMarkerPath(server.dataDir, jobId))).toBe(true);
    expect(existsSync(path.join(server.dataDir, 'jobs', jobId))).toBe(false);
    expect(await server.get<unknown>(`${jobPath('SleepUntilCancelled', jobId, '/inputs/label')}?f=json`)).toMatchObject({ value: 'to cancel' });
    const again = await server.get<ErrorEnvelope>(`${jobPath('SleepUntilCancelled', jobId, '/cancel')}?f=json`);
    expect(again.error).toMatchObject({ code: 400, message: 'Invalid or missing input parameters.' });
    expect((await server.get<JobStatus>(`${jobPath('SleepUntilCancelled', jobId)}?f=json`)).jobStatus).toBe('esriJobCancelled');
  });

  it('refuses to cancel a finished job and leaves it unchanged', async () => {
    const { jobId } = await submit('InstantSuccess', { text: 'done' });
    await server.waitForJob<JobStatus>(`${jobPath('InstantSuccess', jobId)}?f=json`);
    const answer = await server.get<ErrorEnvelope>(`${jobPath('InstantSuccess', jobId, '/cancel')}?f=json`);
    expect(answer.error).toMatchObject({ code: 400, message: 'Invalid or missing input parameters.' });
    expect((await server.get<JobStatus>(`${jobPath('InstantSuccess', jobId)}?f=json`)).jobStatus).toBe('esriJobSucceeded');
  });
});

describe('user-level delete', () => {
  it('needs POST', async () => {
    const { jobId } = await submit('InstantSuccess', { text: 'x' });
    expect((await server.get<ErrorEnvelope>(`${jobPath('InstantSuccess', jobId, '/delete')}?f=json`)).error.code).toBe(405);
  });

  it('removes a finished job: its URL then answers not found', async () => {
    const { jobId } = await submit('InstantSuccess', { text: 'x' });
    await server.waitForJob<JobStatus>(`${jobPath('InstantSuccess', jobId)}?f=json`);
    expect(await server.post<unknown>(jobPath('InstantSuccess', jobId, '/delete'), { f: 'json' })).toEqual({ jobId, jobStatus: 'esriJobDeleted' });
    expect((await server.get<ErrorEnvelope>(`${jobPath('InstantSuccess', jobId)}?f=json`)).error.code).toBe(400);
    expect((await server.post<ErrorEnvelope>(jobPath('InstantSuccess', jobId, '/delete'), { f: 'json' })).error.code).toBe(400);
  });

  it('stops an executing job first: no worker, child or scratch file remains', async () => {
    const { jobId } = await submit('SleepUntilCancelled');
    const { worker, child } = pidsFrom(await waitUntilExecuting('SleepUntilCancelled', jobId));
    expect(existsSync(path.join(server.dataDir, 'jobs', jobId, 'pids.json'))).toBe(true);
    expect(await server.post<unknown>(jobPath('SleepUntilCancelled', jobId, '/delete'), { f: 'json' })).toEqual({ jobId, jobStatus: 'esriJobDeleted' });
    expect(isAlive(worker!)).toBe(false);
    expect(isAlive(child!)).toBe(false);
    expect(existsSync(path.join(server.dataDir, 'jobs', jobId))).toBe(false);
    expect(existsSync(rollbackMarkerPath(server.dataDir, jobId))).toBe(true);
    expect((await server.get<ErrorEnvelope>(`${jobPath('SleepUntilCancelled', jobId)}?f=json`)).error.code).toBe(400);
  });
});

describe('who may see and submit', () => {
  beforeAll(async () => {
    await server.addUser('ana', 'publisher');
    await server.addUser('bob', 'user');
  });

  it('shows a job to its submitter and administrators only', async () => {
    const ana = await server.token('ana', 'ana-pw');
    const { jobId } = await submit('InstantSuccess', { text: 'mine', token: ana });
    const url = `${jobPath('InstantSuccess', jobId)}?f=json`;
    const job = await server.waitForJob<JobStatus>(`${url}&token=${ana}`);
    expect(job.jobStatus).toBe('esriJobSucceeded');
    const result = await server.get<JobParameter<Record<string, unknown>>>(`${jobPath('InstantSuccess', jobId, '/results/result')}?f=json&token=${ana}`);
    expect(result.value.submitter).toBe('ana');
    expect((await server.get<ErrorEnvelope>(url)).error.code).toBe(499);
    expect((await server.get<ErrorEnvelope>(`${url}&token=${await server.token('bob', 'bob-pw')}`)).error.code).toBe(403);
    expect((await server.get<JobStatus>(`${url}&token=${await server.token()}`)).jobStatus).toBe('esriJobSucceeded');
  });

  it('shows an anonymous job to anyone with its id', async () => {
    const { jobId } = await submit('InstantSuccess', { text: 'anyone' });
    const job = await server.waitForJob<JobStatus>(`${jobPath('InstantSuccess', jobId)}?f=json&token=${await server.token('bob', 'bob-pw')}`);
    expect(job.jobStatus).toBe('esriJobSucceeded');
  });

  it('asks for the raster analysis privilege where the service declares it', async () => {
    const restricted = '/rest/services/Tests/Restricted/GPServer/InstantSuccess/submitJob';
    expect((await server.post<ErrorEnvelope>(restricted, { f: 'json', text: 'x' })).error.code).toBe(499);
    expect((await server.post<ErrorEnvelope>(restricted, { f: 'json', text: 'x', token: await server.token('bob', 'bob-pw') })).error.code).toBe(403);
    const accepted = await server.post<JobStatus>(restricted, { f: 'json', text: 'x', token: await server.token('ana', 'ana-pw') });
    expect(accepted.jobStatus).toBe('esriJobSubmitted');
    // Reading the service stays public.
    expect((await server.get<GPTaskJson>('/rest/services/Tests/Restricted/GPServer/InstantSuccess?f=json')).name).toBe('InstantSuccess');
  });

  it('applies the same rule to RasterAnalysisTools', async () => {
    const service = await server.get<GPServiceJson>('/rest/services/System/RasterAnalysisTools/GPServer?f=json');
    const spec = server.context.jobs!.registry.findService('System', 'RasterAnalysisTools')!;
    expect(spec.definition.requiredPrivilege).toBe('premium:publisher:rasteranalysis');
    expect(service.tasks).toEqual(spec.tasks.map((t) => t.definition.name));
  });
});
