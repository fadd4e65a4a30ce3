/**
 * HTTP processes bench: `node --import tsx bench/processes.ts [--points 20000] [--seconds 10] [--connections 16]`.
 *
 * Starts `tessera serve --processes N` (the embedded store, answer cache off so every request is
 * computed) for N = 1 and N = 2 on one data directory holding a generated point layer, and
 * measures 1,000-record query pages per second under concurrent connections (autocannon), and
 * the cheapest request (rest/info) as a floor. Prints requests/s per N and the ratio 2 / 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TokenAnswer } from '../test/helpers/test-server.js';
import { readJson } from '../test/helpers/answers.js';

type Autocannon = (options: Record<string, unknown>) => Promise<{ requests: { average: number }; latency: { p50: number }; non2xx: number; errors: number }>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values: args } = parseArgs({
  options: { points: { type: 'string', default: '20000' }, seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '16' } },
});
const POINTS = Number(args.points);
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const BIN = fileURLToPath(new URL('../bin/tessera.js', import.meta.url));
const PASSWORD = 'bench-processes-password';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function serve(dataDir: string, processes: number): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data', dataDir, '--processes', String(processes)], {
    env: { ...process.env, TESSERA_ADMIN_PASSWORD: PASSWORD, TESSERA_DEMO: 'false', TESSERA_LOG_LEVEL: 'warn', TESSERA_QUERY_CACHE_MB: '0', TESSERA_JOB_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Tessera is serving')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
  });
  const base = `http://127.0.0.1:${port}/arcgis`;
  // The other processes start after the first; wait until enough distinct ones have answered.
  await new Promise((resolve) => setTimeout(resolve, processes > 1 ? 8_000 : 0));
  return { child, base };
}

async function post<T = unknown>(url: string, form: Record<string, string>): Promise<T> {
  return (await (await fetch(url, { method: 'POST', body: new URLSearchParams(form) })).json()) as T;
}

async function load(base: string): Promise<void> {
  const token = (await post<TokenAnswer>(`${base}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json' })).token as string;
  await post(`${base}/sharing/rest/content/users/admin/createService`, {
    f: 'json',
    token,
    outputType: 'featureService',
    createParameters: JSON.stringify({ name: 'bench_points', spatialReference: { wkid: 4326 } }),
  });
  const fields = [{ name: 'NAME', type: 'esriFieldTypeString', length: 20 }, { name: 'POP', type: 'esriFieldTypeInteger' }];
  await post(`${base}/rest/admin/services/Hosted/bench_points/FeatureServer/addToDefinition`, {
    f: 'json',
    token,
    addToDefinition: JSON.stringify({ layers: [{ name: 'Points', geometryType: 'esriGeometryPoint', fields }] }),
  });
  await post(`${base}/rest/services/Hosted/bench_points/FeatureServer`, { f: 'json', token });
  for (let start = 0; start < POINTS; start += 5000) {
    const features = Array.from({ length: Math.min(5000, POINTS - start) }, (_, i) => ({
      attributes: { NAME: `p${start + i}`, POP: (start + i) % 1000 },
      geometry: { x: ((start + i) % 360) - 180, y: (((start + i) / 360) % 170) - 85 },
    }));
    await post(`${base}/rest/services/Hosted/bench_points/FeatureServer/0/addFeatures`, { f: 'json', token, features: JSON.stringify(features) });
  }
  // Public, so the measured requests carry no token.
  await post(`${base}/sharing/rest/content/users/admin/shareItems`, { f: 'json', token, everyone: 'true', items: '' }).catch(() => undefined);
  const item = (await readJson<{ results?: Array<{ id: string }> }>(await fetch(`${base}/sharing/rest/search?q=bench_points&f=json&token=${token}`))).results?.[0];
  if (item) await post(`${base}/sharing/rest/content/users/admin/items/${item.id}/share`, { f: 'json', token, everyone: 'true' });
}

async function measure(url: string): Promise<{ rps: number; p50: number }> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50 };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-bench-processes-'));
  try {
    console.log(`${POINTS} points; ${CONNECTIONS} connections for ${SECONDS} s per measurement; ${availableParallelism()} processors`);
    const results = new Map<number, { page: { rps: number; p50: number }; info: { rps: number; p50: number } }>();
    for (const processes of [1, 2]) {
      const { child, base } = await serve(dataDir, processes);
      try {
        if (processes === 1) await load(base);
        const page = await measure(`${base}/rest/services/Hosted/bench_points/FeatureServer/0/query?where=1%3D1&outFields=*&resultRecordCount=1000&f=json`);
        const info = await measure(`${base}/rest/info?f=json`);
        results.set(processes, { page, info });
        console.log(`${processes} process${processes > 1 ? 'es' : ''}: page of 1,000 ${page.rps.toFixed(0).padStart(6)} req/s (p50 ${page.p50} ms)   rest/info ${info.rps.toFixed(0).padStart(6)} req/s (p50 ${info.p50} ms)`);
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    const one = results.get(1)!;
    const two = results.get(2)!;
    console.log(`\n2 processes / 1: pages ${(two.page.rps / one.page.rps).toFixed(2)}×, rest/info ${(two.info.rps / one.info.rps).toFixed(2)}×`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
