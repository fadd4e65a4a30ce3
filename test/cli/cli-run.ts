import { execFile } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '../../bin/tessera.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `tessera` command on a data directory, as a user would from a shell. */
export function runCli(args: string[], options: { dataDir?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TESSERA_DEMO: 'false', ...options.env };
    delete env.TESSERA_ADMIN_USER;
    delete env.TESSERA_ADMIN_PASSWORD;
    Object.assign(env, options.env);
    if (options.dataDir) env.TESSERA_DATA_DIR = options.dataDir;
    const child = execFile(process.execPath, [BIN, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
  });
}

/** A user error as the CLI must report it: exit code 2, one line on stderr, no stack trace. */
export function expectUserError(result: CliResult, pattern: RegExp): void {
  const lines = result.stderr.trim().split('\n');
  if (result.code !== 2 || lines.length !== 1 || /\n\s+at /.test(result.stderr) || !pattern.test(lines[0]!)) {
    throw new Error(`expected one-line user error matching ${pattern}, got code ${result.code}:\n${result.stderr}${result.stdout}`);
  }
}
