import { spawn } from 'node:child_process';
import { cleanGdalMessage } from './clean-gdal-message.js';
import { gdalToolEgressEnv } from './gdal-egress.js';
import { RasterError, throwIfAborted } from './raster-error.js';

export interface GdalCommandOptions {
  signal?: AbortSignal;
  /** Called with 0–1 as the utility prints its "0...10...20" progress. */
  onProgress?: (fraction: number) => void;
}

const MAX_STDERR = 64 * 1024;

/**
 * Runs a GDAL command-line utility (`gdal_translate`, `gdalwarp`…) as a child process.
 *
 * Long pixel work runs here rather than in gdal-async because a running gdal-async call cannot
 * be stopped; a child process can. On abort the child is killed with SIGKILL and the promise
 * rejects with the signal's reason only once the process has exited, so callers may delete its
 * output right away. A non-zero exit becomes a RasterError whose message is the cleaned stderr
 * (no server paths).
 */
export function runGdalCommand(program: string, args: string[], options: GdalCommandOptions = {}): Promise<void> {
  throwIfAborted(options.signal);
  return new Promise((resolve, reject) => {
    // Its URL reads go through this process's egress proxy, as GDAL's in-process ones do.
    const env = { ...process.env, ...gdalToolEgressEnv() };
    const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, killSignal: 'SIGKILL' });
    let stderr = '';
    let spawnError: Error | undefined;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR) stderr += chunk;
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = (stdout + chunk).slice(-200);
      reportProgress(stdout, options.onProgress);
    });
    child.on('error', (error) => {
      spawnError = error; // AbortError or ENOENT; 'close' still follows
    });
    child.on('close', (code) => {
      if (options.signal?.aborted) return reject(options.signal.reason);
      if (spawnError) return reject(new RasterError('RASTER_GDAL_FAILED', `${program} could not be started`, { cause: spawnError }));
      if (code === 0) return resolve();
      reject(new RasterError('RASTER_GDAL_FAILED', cleanGdalMessage(stderr, `${program} failed (exit ${code})`), { cause: new Error(stderr) }));
    });
  });
}

// GDAL's terminal progress is one line, "0...10...20", after any "Input file size…" line.
function reportProgress(stdoutTail: string, onProgress: ((fraction: number) => void) | undefined): void {
  if (!onProgress) return;
  const steps = stdoutTail.slice(stdoutTail.lastIndexOf('\n') + 1).match(/\d+/g);
  if (steps) onProgress(Math.min(1, Number(steps[steps.length - 1]) / 100));
}
