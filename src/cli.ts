import { parseArgs } from 'node:util';
import { ConfigError } from './config-schema.js';
import { IMPORT_USAGE, runImportCommand } from './features/import-command.js';
import { startServer } from './server.js';

const USAGE = `Usage:
  tessera serve [--port 6080] [--host 127.0.0.1] [--data ./data]
  ${IMPORT_USAGE}
  tessera help`;

async function main(argv: string[]): Promise<void> {
  const [command = 'help', ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === 'import') return runImportCommand(rest);
  console.log(USAGE);
  if (command !== 'help' && command !== '--help') process.exitCode = 2;
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' } },
  });
  const server = await startServer({
    config: {
      ...(values.port ? { port: Number(values.port) } : {}),
      ...(values.host ? { host: values.host } : {}),
      ...(values.data ? { dataDir: values.data } : {}),
    },
    onAdminCreated: (username, password) => {
      // Printed once, on first start; only the hash is stored.
      console.log(`\nCreated administrator '${username}' with password: ${password}\nKeep it: it is not shown again.\n`);
    },
  });
  console.log(`Tessera is serving ${server.url}/rest/services`);
  const stop = async () => {
    await server.close();
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
