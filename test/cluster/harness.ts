import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TokenAnswer } from '../helpers/test-server.js';

/**
 * A cluster on loopback for the tests in this folder: PostgreSQL/PostGIS (a schema of its own),
 * s3rver as the raster store (its own process), two HTTP-only nodes (A, B) and one worker-only
 * node (W), each its own process with its own data directory. Nothing a request needs may live
 * on one node's disk.
 */
export const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const PASSWORD = 'cluster-test-password';
export const BUCKET = 'tessera';
/** The raster store's prefix in the bucket. */
export const STORE_PREFIX = 'cluster';
export const FIXTURES = '/rest/services/Tests/Fixtures/GPServer';
export const RASTER_TOOLS = '/rest/services/System/RasterAnalysisTools/GPServer';
const NODE = fileURLToPath(new URL('./cluster-node.ts', import.meta.url));
const S3RVER = fileURLToPath(new URL('../../node_modules/s3rver/bin/s3rver.js', import.meta.url));

export interface Cluster {
  a: string;
  b: string;
  worker: ChildProcess;
  /** A temporary folder for the nodes' data directories and the tests' files. */
  root: string;
  s3Dir: string;
  /** The settings every node runs with (AWS_* for the S3 endpoint among them). */
  env: Record<string, string>;
  schema: string;
  startNode(role: 'serve' | 'worker', name: string, workers: number): Promise<{ child: ChildProcess; url?: string }>;
  /** s3rver's files of the objects under `prefix` of the bucket (they are files on its disk). */
  s3Objects(prefix: string): string[];
  /** Rows of a query on the cluster's schema, `R` their shape as the test reads them. */
  sql<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts s3rver, then A (it creates the administrator), then B and W together. */
export async function startCluster(extraEnv: Record<string, string> = {}): Promise<Cluster> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const root = mkdtempSync(path.join(tmpdir(), 'tessera-cluster-'));
  const children = new Set<ChildProcess>();
  const s3Dir = path.join(root, 's3');

  /** Starts a process and resolves with the first line of its stdout that passes `ready`. */
  const start = (args: string[], env: Record<string, string>, ready: (line: string) => boolean): Promise<{ child: ChildProcess; line: string }> => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    child.once('exit', () => children.delete(child));
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start: ${output}`)), 120_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find(ready);
        if (line) {
          clearTimeout(timer);
          resolve({ child, line });
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${output}`)));
    });
  };

  const s3Port = await freePort();
  await start([S3RVER, '-d', s3Dir, '-a', '127.0.0.1', '-p', String(s3Port), '--no-vhost-buckets', '--configure-bucket', BUCKET], {}, (l) => l.includes('listening'));
  const env: Record<string, string> = {
    TESSERA_STORE: 'postgres',
    TESSERA_POSTGRES_URL: POSTGRES_URL,
    TESSERA_POSTGRES_SCHEMA: schema,
    TESSERA_RASTER_STORE: `s3://${BUCKET}/${STORE_PREFIX}`,
    TESSERA_ADMIN_PASSWORD: PASSWORD,
    TESSERA_DEMO: 'false',
    AWS_S3_ENDPOINT: `127.0.0.1:${s3Port}`,
    AWS_HTTPS: 'NO',
    AWS_VIRTUAL_HOSTING: 'FALSE',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    ...extraEnv,
  };
  const startNode = async (role: 'serve' | 'worker', name: string, workers: number) => {
    const dataDir = path.join(root, name);
    const { child, line } = await start(['--import', 'tsx', NODE, role], { ...env, TESSERA_DATA_DIR: dataDir, TESSERA_JOB_WORKERS: String(workers) }, (l) =>
      l.startsWith('{'),
    );
    return { child, url: (JSON.parse(line) as { url?: string }).url };
  };
  const sql = async <R = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(`SET search_path TO ${schema}, public`);
      return (await client.query<Record<string, unknown>>(text, values)).rows as R[];
    } finally {
      await client.end();
    }
  };
  const s3Objects = (prefix: string) => {
    try {
      return readdirSync(path.join(s3Dir, BUCKET, prefix), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('._S3rver_object'));
    } catch {
      return [];
    }
  };
  const stop = async () => {
    for (const child of children) child.kill('SIGKILL');
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`);
    await client.end();
    rmSync(root, { recursive: true, force: true });
  };

  try {
    const a = (await startNode('serve', 'a', 0)).url!;
    const [nodeB, nodeW] = await Promise.all([startNode('serve', 'b', 0), startNode('worker', 'w', 2)]);
    return { a, b: nodeB.url!, worker: nodeW.child, root, s3Dir, env, schema, startNode, s3Objects, sql, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A form POST, its JSON answer; `T` is its shape as the test reads it (as in test/helpers/test-server.ts). */
export async function post<T = any>(url: string, form: Record<string, string>): Promise<T> {
  return (await (await fetch(url, { method: 'POST', body: new URLSearchParams(form) })).json()) as T;
}

/** A GET, its JSON answer (`T` as for `post`). */
export async function get<T = any>(url: string): Promise<T> {
  return (await (await fetch(url)).json()) as T;
}

export async function token(base: string): Promise<string> {
  return (await post<TokenAnswer>(`${base}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json' })).token as string;
}

export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000): Promise<T> {
  let value = await read();
  for (const end = Date.now() + ms; !done(value) && Date.now() < end; value = await read()) await new Promise((r) => setTimeout(r, 100));
  return value;
}

export function mkdirp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
