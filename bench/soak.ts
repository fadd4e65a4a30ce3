/**
 * Soak: `node --import tsx bench/soak.ts [--queries 10000] [--exports 200] [--port 0]`
 *
 * Starts `tessera serve` (demo data: WorldPlaces, DemoImagery) in its own process and prints its
 * resident memory (RSS, from /proc) at idle, after N feature queries, and under exportImage load,
 * then the latency of `rest/info` while one heavy request runs: a 1,000,000-vertex polygon query,
 * a 500 MB form body, and a polygon just under the vertex cap. Goal (issue 17): rest/info p99
 * under 50 ms during each, and memory that comes back down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { TokenAnswer } from '../test/helpers/test-server.js';
import { readJson, type ErrorAnswer } from '../test/helpers/answers.js';

const { values: args } = parseArgs({ options: { queries: { type: 'string', default: '10000' }, exports: { type: 'string', default: '200' }, port: { type: 'string', default: '0' } } });
const PASSWORD = 'soak-admin-password';
const BIN = path.join(import.meta.dirname, '..', 'bin', 'tessera.js');

async function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', args.port, '--data', dataDir], {
    env: { ...process.env, TESSERA_ADMIN_PASSWORD: PASSWORD, TESSERA_DEMO: 'true', TESSERA_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving (http:\/\/\S+)\/rest\/services/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  child.on('exit', (code, signal) => console.error(`the server exited (code ${code}, signal ${signal})`));
  return { child, url };
}

/** The server's resident memory in MB. */
function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  // No VmRSS: the process has exited (a zombie until reaped).
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Runs `task(i)` for i < n with `concurrency` at a time. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await task(next++);
  }));
}

function percentiles(samples: number[]): string {
  if (samples.length === 0) return 'no samples';
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms (${sorted.length} samples)`;
}

/**
 * rest/info latencies sampled back to back by a separate process while `heavy` runs (and 100 ms
 * before, 300 ms after): sending a 24 MB body stalls this process, which must not count as the server's.
 */
const SAMPLER = `
  const { performance } = require('node:perf_hooks');
  const samples = [];
  let done = false;
  process.stdin.on('end', () => (done = true)).resume();
  (async () => {
    // The first requests of a fresh process pay for its own start-up (fetch, sockets): not counted.
    for (let i = 0; i < 5; i++) await (await fetch(process.argv[1] + '/rest/info?f=json')).arrayBuffer();
    process.stderr.write('ready');
    while (!done) {
      const start = performance.now();
      await (await fetch(process.argv[1] + '/rest/info?f=json')).arrayBuffer();
      samples.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 5));
    }
    process.stdout.write(JSON.stringify(samples));
  })();
`;

async function infoLatencyDuring(url: string, heavy: () => Promise<unknown>): Promise<{ samples: number[]; heavyMs: number }> {
  const sampler = spawn(process.execPath, ['-e', SAMPLER, url], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  sampler.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => sampler.once('exit', resolve));
  let errors = '';
  await new Promise((resolve) => sampler.stderr!.once('data', (chunk: Buffer) => resolve((errors += chunk.toString()))));
  sampler.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const start = performance.now();
  await heavy().catch(() => undefined);
  const heavyMs = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 300));
  sampler.stdin!.end();
  await exited;
  if (!output) throw new Error(`the rest/info sampler failed: ${errors}`);
  return { samples: JSON.parse(output) as number[], heavyMs };
}

/** A form POST of `bytes` bytes streamed from memory-light chunks (so the client does not hold 500 MB). */
function hugeFormPost(url: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': bytes } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', () => resolve(-1));
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', write);
      }
      request.end();
    };
    request.on('close', () => resolve(0));
    write();
    void reject;
  });
}

function polygon(vertices: number): string {
  const ring = Array.from({ length: vertices }, (_, i) => {
    const a = (2 * Math.PI * i) / vertices;
    return [Math.round(1e6 * Math.cos(a)), Math.round(1e6 * Math.sin(a))];
  });
  ring.push(ring[0]!);
  return JSON.stringify({ rings: [ring], spatialReference: { wkid: 3857 } });
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-soak-'));
const { child, url } = await serve(dataDir);
try {
  const token = (await readJson<TokenAnswer>(await fetch(`${url}/sharing/rest/generateToken`, { method: 'POST', body: new URLSearchParams({ username: 'admin', password: PASSWORD, f: 'json' }) }))).token as string;
  // The demo image collection is made by a job after start-up: wait for its service.
  for (let i = 0; i < 120; i++) {
    const info = await readJson<ErrorAnswer>(await fetch(`${url}/rest/services/Hosted/DemoImagery/ImageServer?f=json&token=${token}`));
    if (!info.error) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  console.log(`RSS at idle: ${rssMB(child.pid!).toFixed(0)} MB`);

  const queries = Number(args.queries);
  const places = `${url}/rest/services/Hosted/WorldPlaces/FeatureServer/0/query`;
  let start = performance.now();
  await pool(queries, 8, async (i) => {
    const where = encodeURIComponent(`POP_THOUSANDS > ${i % 5000}`);
    await (await fetch(`${places}?where=${where}&outFields=NAME,POP_THOUSANDS&resultRecordCount=${1 + (i % 50)}&f=json`)).arrayBuffer();
  });
  console.log(`RSS after ${queries} queries: ${rssMB(child.pid!).toFixed(0)} MB (${((queries / (performance.now() - start)) * 1000).toFixed(0)} queries/s)`);

  const exports = Number(args.exports);
  let peak = 0;
  let failedExports = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMB(child.pid!))), 50);
  start = performance.now();
  await pool(exports, 4, async (i) => {
    const x = 800000 + (i % 20) * 1000;
    const response = await fetch(`${url}/rest/services/Hosted/DemoImagery/ImageServer/exportImage?bbox=${x},5879520,${x + 20480},5900000&size=512,512&f=image&token=${token}`);
    await response.arrayBuffer();
    if (!response.headers.get('content-type')?.startsWith('image/')) failedExports++;
  });
  clearInterval(sampler);
  console.log(`RSS under exportImage load: peak ${peak.toFixed(0)} MB, after ${rssMB(child.pid!).toFixed(0)} MB (${exports} exports, ${failedExports} not images, ${((exports / (performance.now() - start)) * 1000).toFixed(1)}/s)`);

  // Bodies are encoded before sampling starts: building them would stall this process, not the server.
  const form = (vertices: number) =>
    Buffer.from(new URLSearchParams({ f: 'json', where: '1=1', geometry: polygon(vertices), geometryType: 'esriGeometryPolygon', returnCountOnly: 'true' }).toString());
  const postBody = (body: Buffer) => () =>
    fetch(places, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/x-www-form-urlencoded' } }).then((r) => r.json());
  const million = form(1_000_000);
  const underCaps = form(200_000);
  const heavies: Array<[string, () => Promise<unknown>]> = [
    [`1,000,000-vertex polygon query (${(million.length / 1024 / 1024).toFixed(0)} MB)`, postBody(million)],
    ['500 MB form body', () => hugeFormPost(places, 500 * 1024 * 1024)],
    [`polygon under the caps (200,000 vertices, ${(underCaps.length / 1024 / 1024).toFixed(1)} MB)`, postBody(underCaps)],
  ];
  for (const [label, heavy] of heavies) {
    const before = rssMB(child.pid!);
    let heavyPeak = before;
    const watch = setInterval(() => (heavyPeak = Math.max(heavyPeak, rssMB(child.pid!))), 25);
    const { samples, heavyMs } = await infoLatencyDuring(url, heavy);
    clearInterval(watch);
    console.log(`rest/info during ${label} (${heavyMs.toFixed(0)} ms): ${percentiles(samples)}; RSS ${before.toFixed(0)} → peak ${heavyPeak.toFixed(0)} MB`);
  }
} finally {
  child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
}
