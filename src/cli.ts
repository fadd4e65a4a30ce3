import { parseArgs } from 'node:util';
import { ConfigError } from './config-schema.js';
import { IMPORT_USAGE, runImportCommand } from './features/import-command.js';
import { processRole, reportReady, runProcesses } from './processes.js';
import { startServer } from './server.js';
import { startWorkerNode } from './worker-node.js';

const USAGE = `Usage:
  tessera serve [--port 6080] [--host 127.0.0.1] [--data ./data] [--processes 1]
  tessera worker [--data ./data]      (job workers only, no HTTP: a cluster node)
  ${IMPORT_USAGE}
  tessera help`;

async function main(argv: string[]): Promise<void> {
  const [command = 'help', ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === 'worker') return worker(rest);
  if (command === 'import') return runImportCommand(rest);
  console.log(USAGE);
  if (command !== 'help' && command !== '--help') process.exitCode = 2;
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, processes: { type: 'string' } },
  });
  const processes = Number(values.processes ?? process.env.TESSERA_PROCESSES ?? 1);
  const role = processRole();
  if (processes > 1 && role === undefined) return runProcesses(processes);
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
  });
  if (role !== 'http') console.log(`Tessera is serving ${server.url}/rest/services${role ? ` with ${processes} processes` : ''}`);
  reportReady();
  stopOnSignal(() => server.close());
}

async function worker(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' } } });
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

try {
  await main(process.argv.slice(2));
} catch (error) {
  // A bad setting is the operator's to fix: say which, without a stack trace.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
