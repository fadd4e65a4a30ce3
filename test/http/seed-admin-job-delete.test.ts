import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, type AdminStatus, type ErrorEnvelope, type JobStatus } from '../helpers/answers.js';
import { FIXTURES, isAlive, pidsFrom, startJobsServer, type JobsTestServer } from '../fixtures/tasks/jobs-server.js';

const ADMIN_JOBS = '/admin/services/Tests/Fixtures.GPServer/jobs';

/**
 * Seed document 003 (admin `jobs/<jobID>/delete`), row by row: POST only, token in the body,
 * administrators only, f (html by default, json, pjson), `{"status":"success"}`, the documented
 * error shape, and "removes all information about the job" (record, messages, folder, worker).
 * The finer refusals (expired token, token in the query) are in admin-jobs.test.ts.
 */
describe('seed conformance: admin jobs/<id>/delete', () => {
  let server: JobsTestServer;
  let admin: string;
  const submit = async (task: string, form: Record<string, string> = {}) => (await server.post<JobStatus>(`${FIXTURES}/${task}/submitJob`, { f: 'json', ...form })).jobId;
  const post = (target: string, form: Record<string, string>) => fetch(`${server.url}${target}`, { method: 'POST', body: new URLSearchParams(form) });

  beforeAll(async () => {
    server = await startJobsServer();
    admin = await server.token();
  });
  afterAll(async () => server?.close());

  it('f: without f the answer is an HTML page; f=json and f=pjson answer {"status":"success"}', async () => {
    const html = await post(`${ADMIN_JOBS}/${await submit('InstantSuccess', { text: 'a' })}/delete`, { token: admin });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('success');

    expect(await readJson(await post(`${ADMIN_JOBS}/${await submit('InstantSuccess', { text: 'b' })}/delete`, { token: admin, f: 'json' }))).toEqual({ status: 'success' });
    const pjson = await post(`${ADMIN_JOBS}/${await submit('InstantSuccess', { text: 'c' })}/delete`, { token: admin, f: 'pjson' });
    const text = await pjson.text();
    expect(text).toContain('\n');
    expect(JSON.parse(text)).toEqual({ status: 'success' });
  });

  it('an error without f is an HTML page too; with f=json it has the documented shape', async () => {
    const html = await post(`${ADMIN_JOBS}/jnosuchjob/delete`, { token: admin });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('Unable to delete job :[jnosuchjob]');
    expect(await readJson(await post(`${ADMIN_JOBS}/jnosuchjob/delete`, { token: admin, f: 'json' }))).toEqual({
      status: 'error',
      messages: ['Unable to delete job :[jnosuchjob]'],
      code: 400,
    });
  });

  it('a GET is refused and the job is kept', async () => {
    const id = await submit('InstantSuccess', { text: 'get' });
    const answer = await server.get<AdminStatus>(`${ADMIN_JOBS}/${id}/delete?f=json&token=${admin}`);
    expect(answer.status).toBe('error');
    expect((await server.get<JobStatus>(`${FIXTURES}/InstantSuccess/jobs/${id}?f=json`)).jobId).toBe(id);
  });

  it('deletes a SUBMITTED or EXECUTING job by cancelling it first, then removes every trace', async () => {
    const id = await submit('SleepUntilCancelled');
    const running = await server.waitForJob(`${FIXTURES}/SleepUntilCancelled/jobs/${id}?f=json`, (job) => pidsFrom(job).child !== undefined);
    const { worker, child } = pidsFrom(running);
    expect(await readJson(await post(`${ADMIN_JOBS}/${id}/delete`, { token: admin, f: 'json' }))).toEqual({ status: 'success' });
    expect(isAlive(worker!) || isAlive(child!)).toBe(false);
    expect(existsSync(path.join(server.dataDir, 'jobs', id))).toBe(false);
    expect((await server.get<ErrorEnvelope>(`${FIXTURES}/SleepUntilCancelled/jobs/${id}?f=json`)).error.code).toBe(400);
    expect((await server.get<AdminStatus>(`${ADMIN_JOBS}/${id}?f=json&token=${admin}`)).status).toBe('error');
  });

  it('needs an administrator: no token 499, a bad one 498, a publisher 403; nothing is deleted', async () => {
    await server.addUser('pub', 'publisher');
    const id = await submit('InstantSuccess', { text: 'keep' });
    expect(await readJson(await post(`${ADMIN_JOBS}/${id}/delete`, { f: 'json' }))).toMatchObject({ status: 'error', code: 499 });
    expect(await readJson(await post(`${ADMIN_JOBS}/${id}/delete`, { f: 'json', token: 'bad' }))).toMatchObject({ status: 'error', code: 498 });
    expect(await readJson(await post(`${ADMIN_JOBS}/${id}/delete`, { f: 'json', token: await server.token('pub', 'pub-pw') }))).toMatchObject({ status: 'error', code: 403 });
    expect((await server.get<JobStatus>(`${FIXTURES}/InstantSuccess/jobs/${id}?f=json`)).jobId).toBe(id);
  });
});
