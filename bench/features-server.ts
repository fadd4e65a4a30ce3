/**
 * The server half of `bench/features.ts`: a Tessera server on a loopback port over the given data
 * directory (administrator password from BENCH_ADMIN_PASSWORD; port from BENCH_PORT, else one the system picks), in its own process so the load generator does not share its event loop. Prints
 * `{"url": …}` once listening; stops when stdin closes. With BENCH_CAPTURE_STATEMENTS set it also
 * answers the last feature statement it sent to PostgreSQL (bench/feature-statements.ts).
 */
import { pino } from 'pino';
import { startServer } from '../src/server.js';
import { captureFeatureStatements } from './feature-statements.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: features-server.ts <dataDir>');
const server = await startServer({
  config: { port: Number(process.env.BENCH_PORT ?? 0), host: '127.0.0.1', dataDir, demo: false, admin: { username: 'admin', password: process.env.BENCH_ADMIN_PASSWORD ?? '' } },
  logger: pino({ level: 'silent' }),
  extraRoutes: process.env.BENCH_CAPTURE_STATEMENTS ? [captureFeatureStatements()] : [],
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
