import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { rollbackMarkerPath } from '../fixtures/tasks/rollback-marker.js';
import { readJson, type JobStatus } from '../helpers/answers.js';
import { FIXTURES, isAlive, pidsFrom, startJobsServer, type JobsTestServer } from '../fixtures/tasks/jobs-server.js';

const SERVE = fileURLToPath(new URL('../fixtures/tasks/serve-fixtures.ts', import.meta.url));

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a server killed with jobs queued and executing', () => {
  let dataDir: string;
  let restarted: JobsTestServer | undefined;
  afterAll(async () => {
    await restarted?.close({ keepData: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails the executing job, re-runs the retryable one and runs the queued ones after a restart', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-restart-'));
    const first = spawn(process.execPath, ['--import', 'tsx', SERVE, dataDir, '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => createInterface({ input: first.stdout! }).once('line', resolve));
    const url = (JSON.parse(line) as { url: string }).url;
    const get = async <T>(target: string) => (await (await fetch(`${url}${target}`)).json()) as T;
    const submit = async (task: string, form: Record<string, string> = {}) =>
      (await readJson<JobStatus>(await fetch(`${url}${FIXTURES}/${task}/submitJob`, { method: 'POST', body: new URLSearchParams({ f: 'json', ...form }) }))).jobId;

    const sleeping = await submit('SleepUntilCancelled');
    const retryable = await submit('SlowRetryable', { ms: '6000' });
    const queued = [await submit('InstantSuccess', { text: 'a' }), await submit('InstantSuccess', { text: 'b' })];
    const running = await Promise.all(
      [`SleepUntilCancelled/jobs/${sleeping}`, `SlowRetryable/jobs/${retryable}`].map((job) =>
        until(() => get<JobStatus>(`${FIXTURES}/${job}?f=json`), (j) => j.jobStatus === 'esriJobExecuting' && pidsFrom(j).worker !== undefined),
      ),
    );
    for (const id of queued) expect((await get<JobStatus>(`${FIXTURES}/InstantSuccess/jobs/${id}?f=json`)).jobStatus).toBe('esriJobWaiting');
    const pids = running.map(pidsFrom);

    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    // The workers see their channel close and take their children with them.
    await until(async () => [pids[0]!.worker!, pids[0]!.child!, pids[1]!.worker!].some(isAlive), (alive) => !alive, 5_000);

    restarted = await startJobsServer({ dataDir });
    const jobUrl = (task: string, id: string) => `${FIXTURES}/${task}/jobs/${id}?f=json`;
    const failed = await restarted.waitForJob<JobStatus>(jobUrl('SleepUntilCancelled', sleeping));
    expect(failed.jobStatus).toBe('esriJobFailed');
    expect(failed.messages.map((m) => m.description)).toContain('The server restarted while this job was running, so it could not finish.');
    expect(existsSync(rollbackMarkerPath(dataDir, sleeping))).toBe(true);
    expect(existsSync(path.join(dataDir, 'jobs', sleeping))).toBe(false);

    const retried = await restarted.waitForJob<JobStatus>(jobUrl('SlowRetryable', retryable));
    expect(retried.jobStatus).toBe('esriJobSucceeded');
    expect(retried.messages.map((m) => m.description)).toContain(
      'The server restarted while this job was running; it was queued to run again from the start.',
    );
    const token = await restarted.token();
    const detail = await restarted.get<{ attempts: number }>(`/admin/services/Tests/Fixtures.GPServer/jobs/${retryable}?f=json&token=${token}`);
    expect(detail.attempts).toBe(2);

    for (const id of queued) expect((await restarted.waitForJob<JobStatus>(jobUrl('InstantSuccess', id))).jobStatus).toBe('esriJobSucceeded');
  });
});
