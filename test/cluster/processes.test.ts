import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readJson, type JobStatus } from '../helpers/answers.js';
import type { TokenAnswer } from '../helpers/test-server.js';

const BIN = fileURLToPath(new URL('../../bin/tessera.js', import.meta.url));
const PASSWORD = 'processes-test-password';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function post<T = unknown>(url: string, form: Record<string, string>): Promise<T> {
  return readJson<T>(await fetch(url, { method: 'POST', body: new URLSearchParams(form) }));
}

describe('tessera serve --processes 2 on the embedded store', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-processes-'));
  let primary: ChildProcess | undefined;
  afterAll(() => {
    if (primary?.pid) {
      for (const pid of children(primary.pid)) process.kill(pid, 'SIGKILL');
      primary.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  function children(pid: number): number[] {
    const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
    return out.split('\n').filter((l) => l.includes('tessera.js serve')).map((l) => Number.parseInt(l, 10));
  }

  it('answers on one port from two processes, and jobs submitted to either run', async () => {
    const port = await freePort();
    primary = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data', dataDir, '--processes', '2'], {
      env: { ...process.env, TESSERA_ADMIN_PASSWORD: PASSWORD, TESSERA_DEMO: 'false', TESSERA_LOG_LEVEL: 'warn', TESSERA_JOB_WORKERS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    primary.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not start: ${output}`)), 60_000);
      primary!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('with 2 processes')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const base = `http://127.0.0.1:${port}/arcgis`;
    // The second process starts once the first listens.
    for (let i = 0; i < 100 && children(primary.pid!).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(children(primary.pid!)).toHaveLength(2);
    for (let i = 0; i < 10; i++) expect((await fetch(`${base}/rest/info?f=json`)).status).toBe(200);

    const token = (await post<TokenAnswer>(`${base}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json' })).token as string;
    // Jobs that fail fast (no such collection): each one must reach a final state, whichever process took the submit.
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const submitted = await post<JobStatus>(`${base}/rest/services/System/RasterAnalysisTools/GPServer/DeleteImageCollection/submitJob`, {
        imageCollection: JSON.stringify({ itemId: `nope${i}` }),
        f: 'json',
        token,
      });
      expect(submitted.jobId).toBeTruthy();
      ids.push(submitted.jobId);
    }
    for (const id of ids) {
      let status = '';
      for (const end = Date.now() + 30_000; Date.now() < end && status !== 'esriJobFailed'; await new Promise((r) => setTimeout(r, 100))) {
        status = (await readJson<JobStatus>(await fetch(`${base}/rest/services/System/RasterAnalysisTools/GPServer/DeleteImageCollection/jobs/${id}?f=json&token=${token}`))).jobStatus;
      }
      expect(status).toBe('esriJobFailed');
    }
  });
});
