import { spawn } from 'node:child_process';
import { TaskError } from '../../../jobs/task.js';
import { timeSection } from './section-times.js';

export interface EngineRunOptions {
  signal: AbortSignal;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Each line (split at \n and \r) the engine writes to stdout or stderr, for progress. */
  onLine?: (line: string) => void;
  /** Called with the engine's process-group id once it started (tests check it is gone). */
  onStart?: (pgid: number) => void;
  /**
   * Called once the engine is spawned (its time counts in the engine's section); when its promise
   * settles, a line (resolved) or nothing (rejected) on the engine's closed standard input.
   */
  stdinLine?: () => Promise<unknown>;
}

export interface EngineRunResult {
  stdout: string;
  stderr: string;
}

/** Groups started by this process and not yet ended: killed if this process exits first. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pgid of liveGroups) killGroup(pgid);
});

const MAX_CAPTURE = 256 * 1024;

/**
 * The group leader: runs the engine, while a watcher beside it checks every second that this
 * worker is still alive. A worker killed outright (SIGKILL of its own group, a crash) cannot kill
 * the engine's separate group, so the group kills itself once the worker is gone. The leader exits
 * with the engine's status as soon as the engine ends (a check loop around the engine made every
 * run wait out its last second); the watcher holds no pipe, and goes with the group on close.
 */
const WATCHDOG = 'parent=$1; shift; ( while kill -0 "$parent" 2>/dev/null; do sleep 1; done; kill -KILL 0 ) </dev/null >/dev/null 2>&1 & "$@"';

/**
 * Runs an analysis engine (grass, saga_cmd, otbcli_*) in a process group of its own, led by a
 * small bash watchdog (WATCHDOG). Engines start helpers of their own (GRASS runs each module as a process under
 * a Python launcher), so cancel, delete and time-out kill the whole group with SIGKILL; the
 * promise settles only after the leader has exited. A non-zero exit becomes a TaskError carrying
 * the engine's last error lines (`label` names the step for the client).
 */
export function runEngine(label: string, program: string, args: string[], options: EngineRunOptions): Promise<EngineRunResult> {
  return timeSection(`engine ${program}`, () => runInGroup(label, program, args, options));
}

function runInGroup(label: string, program: string, args: string[], options: EngineRunOptions): Promise<EngineRunResult> {
  options.signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', WATCHDOG, 'tessera-engine', String(process.pid), program, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.stdinLine ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (options.stdinLine && child.stdin) {
      const stdin = child.stdin;
      stdin.on('error', () => undefined); // EPIPE: the engine ended first
      options.stdinLine().then(
        () => stdin.end('\n'),
        () => stdin.end(),
      );
    }
    const pgid = child.pid;
    if (pgid !== undefined) {
      liveGroups.add(pgid);
      options.onStart?.(pgid);
    }
    const onAbort = () => {
      if (pgid !== undefined) killGroup(pgid);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const out = { stdout: '', stderr: '' };
    for (const key of ['stdout', 'stderr'] as const) {
      let pending = '';
      child[key]!.setEncoding('utf8').on('data', (chunk: string) => {
        if (out[key].length < MAX_CAPTURE) out[key] += chunk;
        pending += chunk;
        const lines = pending.split(/[\r\n]/);
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) options.onLine?.(line);
      });
    }
    let spawnError: Error | undefined;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code) => {
      options.signal.removeEventListener('abort', onAbort);
      if (pgid !== undefined) {
        // Helpers the leader left behind go with it.
        killGroup(pgid);
        liveGroups.delete(pgid);
      }
      if (options.signal.aborted) return reject(options.signal.reason);
      if (spawnError) return reject(new TaskError(`${label}: ${program} could not be started.`));
      if (code === 0) return resolve(out);
      reject(new EngineError(label, program, code, out.stderr || out.stdout));
    });
  });
}

/** A failed engine run: a short client message; the full output stays in `output` for logs. */
export class EngineError extends TaskError {
  constructor(label: string, program: string, code: number | null, readonly output: string) {
    super(`${label} failed (${program} exit ${code ?? 'by signal'})${summarize(output)}`);
  }
}

/** The engine's error lines, without paths of this server. */
function summarize(output: string): string {
  const lines = output
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter((line) => /error|exception|fail|invalid|not /i.test(line) && !/^GRASS_INFO_(PERCENT|END)/.test(line))
    .map((line) => line.replace(/^GRASS_INFO_\w+\(\d+,\d+\):\s*/, '').replace(/(\/[\w.+-]+){2,}/g, '<file>'));
  const last = lines.slice(-2).join(' ');
  return last ? `: ${last.slice(0, 400)}` : '.';
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}
