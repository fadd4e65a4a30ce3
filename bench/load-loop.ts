/**
 * The features benches' load generator: `connections` keep-alive loops over node:http that read
 * only the status and drain the body (no parsing, no per-request objects beyond node's own), so
 * the client takes as little as it can of the cores it shares with the server. Its own CPU per
 * request is measured too: what the server could not have.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  /** Answered requests per second. */
  rate: number;
  requests: number;
  p50: number;
  p99: number;
  errors: number;
  /** The load generator's own CPU (this process) per answered request, ms. */
  clientCpuMs: number;
}

/** Requests `pathOf(0)`, `pathOf(1)`, … on `origin` from `connections` loops for `seconds`. */
export async function runLoad(origin: string, connections: number, seconds: number, pathOf: (i: number) => string): Promise<LoadResult> {
  const { hostname, port } = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const samples: number[] = [];
  let next = 0;
  let errors = 0;
  const get = (path: string) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = request({ agent, hostname, port, path, headers: { 'accept-encoding': 'identity' } }, (res) => {
        if (res.statusCode !== 200) errors++;
        res.on('end', () => {
          samples.push(performance.now() - started);
          resolve();
        });
        res.resume();
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) await get(pathOf(next++));
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? NaN;
  return {
    rate: samples.length / elapsed,
    requests: samples.length,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    clientCpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, samples.length),
  };
}
