import cluster, { type Worker } from 'node:cluster';
import { selfRequestEnv } from './net/self-requests.js';

/** What a process started by `serve --processes N` does. */
export type ProcessRole = 'first' | 'http';

const ROLE_VARIABLE = 'TESSERA_PROCESS_ROLE';
const READY = 'tessera-ready';

/** The role of this process when `serve --processes N` started it; undefined otherwise. */
export function processRole(): ProcessRole | undefined {
  return cluster.isWorker ? (process.env[ROLE_VARIABLE] as ProcessRole) : undefined;
}

/** Tells the primary that this process listens (the next ones may start). */
export function reportReady(): void {
  process.send?.({ type: READY });
}

/**
 * `tessera serve --processes N`: N processes answer HTTP on one port (node:cluster hands out the
 * connections). The first also runs the job workers and creates the first administrator and
 * the demo content; the others start after it, HTTP only, so nothing is created twice and the
 * embedded store keeps one job runner. A process that dies is started again.
 */
export async function runProcesses(count: number): Promise<void> {
  let stopping = false;
  const roles = new Map<Worker, ProcessRole>();
  const start = (role: ProcessRole): Promise<void> =>
    new Promise((resolve) => {
      // One self-read secret for all: a render in one process may read its image service from another.
      const worker = cluster.fork({ [ROLE_VARIABLE]: role, ...selfRequestEnv() });
      roles.set(worker, role);
      worker.on('message', (message: { type?: string }) => {
        if (message?.type === READY) resolve();
      });
      worker.once('exit', (code, signal) => {
        roles.delete(worker);
        resolve();
        if (stopping) return;
        console.error(`Tessera process ${worker.process.pid} (${role}) stopped (${signal ?? `exit code ${code}`}); starting another.`);
        setTimeout(() => void start(role), 1_000);
      });
    });
  const stop = () => {
    stopping = true;
    for (const worker of roles.keys()) worker.process.kill('SIGTERM');
    const check = setInterval(() => {
      if (roles.size === 0) process.exit(0);
    }, 100);
    check.unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await start('first');
  for (let i = 1; i < count; i++) await start('http');
}
