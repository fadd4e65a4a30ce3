/**
 * One node of the loopback cluster test, in its own process (so it can be killed with -9):
 * `node --import tsx test/cluster/cluster-node.ts serve|worker`. Settings come from TESSERA_*
 * variables as for `tessera serve` / `tessera worker`, plus the fixture GP services and short
 * job timings. Prints one JSON line once it is up: `{"url": …}` (serve) or `{"worker": pid}`.
 */
import { pino } from 'pino';
import { startServer } from '../../src/server.js';
import { startWorkerNode } from '../../src/worker-node.js';
import { FIXTURE_GP_SERVICES } from '../fixtures/tasks/index.js';
import { TEST_TIMINGS } from '../fixtures/tasks/jobs-server.js';

const role = process.argv[2];
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
// Stale after 2 s without a heartbeat, looked for twice a second: a killed node's job ends fast.
const jobs = { services: FIXTURE_GP_SERVICES, timings: { ...TEST_TIMINGS, staleMs: 2_000, sweepMs: 500 } };
if (role === 'serve') {
  const server = await startServer({ config: { port: 0, host: '127.0.0.1' }, logger, jobs });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
} else if (role === 'worker') {
  await startWorkerNode({ logger, jobs });
  process.stdout.write(`${JSON.stringify({ worker: process.pid })}\n`);
} else {
  throw new Error('usage: cluster-node.ts serve|worker');
}
