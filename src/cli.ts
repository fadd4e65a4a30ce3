import { parseArgs } from 'node:util';
import { commandNames, helpText, versionText } from './cli/help.js';
import { USER_ERROR_EXIT, UserError } from './cli/user-error.js';

// Commands are imported when run: help, --version and the user commands then start in a
// fraction of the time the whole server (GDAL, sharp, every route) takes to load.
async function main(argv: string[]): Promise<void> {
  const [command = 'help', ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === 'worker') return worker(rest);
  if (command === 'import') return (await import('./cli/import-command.js')).runImportCommand(rest);
  if (command === 'user') return (await import('./cli/user-command.js')).runUserCommand(rest);
  if (command === 'token') return (await import('./cli/token-command.js')).runTokenCommand(rest);
  if (command === '--version' || command === '-v' || command === 'version') return void console.log(versionText());
  if (command === 'help' || command === '--help' || command === '-h') return void console.log(helpText(rest[0]));
  throw new UserError(`Unknown command '${command}': use ${commandNames().join(', ')} ('tessera help' shows examples).`);
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, processes: { type: 'string' } },
  });
  if (values.port !== undefined && !/^\d+$/.test(values.port)) throw new UserError(`--port is a number, not '${values.port}'.`);
  const processes = Number(values.processes ?? process.env.TESSERA_PROCESSES ?? 1);
  if (!Number.isInteger(processes) || processes < 1) throw new UserError(`--processes is a whole number from 1, not '${values.processes ?? process.env.TESSERA_PROCESSES}'.`);
  const { processRole, reportReady, runProcesses } = await import('./processes.js');
  const role = processRole();
  if (processes > 1 && role === undefined) return runProcesses(processes);
  const { startServer } = await import('./server.js');
  const { boundNativeMemory } = await import('./native-memory.js');
  // Before the first render: arenas are taken by threads on their first allocation.
  boundNativeMemory();
  const server = await startServer({
    config: {
      ...(values.port ? { port: Number(values.port) } : {}),
      ...(values.host ? { host: values.host } : {}),
      ...(values.data ? { dataDir: values.data } : {}),
      // Processes after the first answer HTTP only (see processes.ts).
      ...(role === 'http' ? { demo: false, jobs: { concurrency: 0 } as never } : {}),
    },
    onAdminCreated: (username, password) => {
      // Printed once, on first start; only the hash is stored.
      console.log(`\nCreated administrator '${username}' with password: ${password}\nKeep it: it is not shown again.\n`);
    },
    onNotice: (line) => console.log(line),
  });
  if (role !== 'http') console.log(`Tessera is serving ${server.url}/rest/services${role ? ` with ${processes} processes` : ''}`);
  reportReady();
  stopOnSignal(() => server.close());
}

async function worker(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' } } });
  const { startWorkerNode } = await import('./worker-node.js');
  const node = await startWorkerNode({ config: values.data ? { dataDir: values.data } : {} });
  console.log(`Tessera worker node running ${node.context.config.jobs.concurrency} job workers`);
  stopOnSignal(() => node.close());
}

function stopOnSignal(close: () => Promise<void>): void {
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/**
 * User errors (bad arguments, unknown users, unreadable files, refused requests, a port in use)
 * are one line and exit code 2; anything else is a fault of ours: one line too, the stack only
 * with TESSERA_DEBUG.
 */
function report(error: unknown): void {
  const e = error as { name?: string; code?: unknown; message?: string; details?: string[]; stack?: string };
  // A bad setting (config-schema.ts) is the operator's to fix: its message names the setting.
  if (e.name === 'ConfigError') {
    console.error(`tessera: ${e.message ?? String(error)}`);
    process.exitCode = USER_ERROR_EXIT;
    return;
  }
  if (e.code === 'EADDRINUSE' || e.code === 'EACCES') {
    console.error(`tessera: cannot listen there (${e.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}): choose another with --port or TESSERA_PORT.`);
    process.exitCode = USER_ERROR_EXIT;
    return;
  }
  const parseError = typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS');
  // ApiError by name: the CLI reports it without caring where the error type lives.
  const apiError = e.name === 'ApiError' && typeof e.code === 'number' && e.code < 500;
  if (error instanceof UserError || parseError || apiError) {
    const detail = apiError && e.details?.length ? e.details.join(' ') : (e.message ?? String(error));
    console.error(`tessera: ${detail}${parseError ? " (see 'tessera help')" : ''}`);
    process.exitCode = USER_ERROR_EXIT;
    return;
  }
  console.error(`tessera: unexpected failure: ${e.message ?? String(error)}`);
  if (process.env.TESSERA_DEBUG) console.error(e.stack);
  process.exitCode = 1;
}

await main(process.argv.slice(2)).catch(report);
