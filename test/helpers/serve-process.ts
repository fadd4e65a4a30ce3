import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/tessera.js', import.meta.url));

export interface ServedProcess {
  child: ChildProcess;
  /** Base URL, e.g. `http://127.0.0.1:41234/arcgis`. */
  url: string;
}

/**
 * `tessera serve` in a process of its own on a free port, so a test can kill it with SIGKILL and
 * start it again on the same data folder; resolves once it says where it serves.
 */
export async function serveProcess(dataDir: string, adminPassword: string): Promise<ServedProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir], {
    env: { ...process.env, TESSERA_ADMIN_PASSWORD: adminPassword, TESSERA_DEMO: 'false', TESSERA_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving (http:\/\/\S+)\/rest\/services/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  return { child, url };
}

/** A form POST, its JSON answer (`T` as in test-server.ts). */
export async function postForm<T = unknown>(url: string, form: Record<string, string>): Promise<T> {
  const response = await fetch(url, { method: 'POST', body: new URLSearchParams(form) });
  return (await response.json()) as T;
}
