/**
 * Feature queries on PostGIS: `node --import tsx bench/features-postgis.ts [--points 1000000] [--rounds 200]
 * [--url postgres://postgres@127.0.0.1:5432/postgres]` (or TESSERA_POSTGRES_URL).
 *
 * A server (own process, TESSERA_STORE=postgres, answer cache off) hosts one generated point
 * layer in a schema of its own (dropped at the end). Each operation runs through the REST API and,
 * in the same run, as the SQL a developer would write against the same PostGIS table:
 *   (a) a 1,000-record page, (b) an attribute where, (c) an envelope filter, (d) returnCountOnly.
 * Beside it, the server's own statement: the SQL text and parameters the PostGIS FeatureStore
 * really sent for that very request (captured in the server process), run directly through pg
 * with pg's default row handling (values parsed, rows as arrays), as a developer would.
 * Every draw is distinct; the three run interleaved in one loop over the same draws (the order
 * turns each round), so load swings reach them alike. Sequential p50/p99, the ratios REST/SQL and
 * server/SQL (goal ≤ 2× server-side), that ratio in each third of the rounds (their spread says
 * whether the run was steady), and server ÷ its own statement.
 *
 * The server's time is its Server-Timing header, Fastify's reply clock at the app's first onSend
 * hook. The clock starts once the route is matched and the request and reply objects are made, so
 * it spans the onRequest hooks (CORS, the catalog version read), body parsing, preValidation
 * (parameters, token check), the handler (service look-up, where compile, the store's statements,
 * rendering and encoding the answer), up to the moment the body is handed over to be sent. It
 * leaves out HTTP parsing, route matching, the compression plugin's onSend hook (route hooks run
 * after the app's), headers and the socket write (writev), and everything on the client's side.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PASSWORD, STRIDE, createBenchService, fetchOnce, measureSequential, post, readCases, sequentialColumns, startServerProcess, type StatementCapture } from './feature-reads.js';
import { fromWire, type CapturedStatement } from './feature-statements.js';
import type { TokenAnswer } from '../test/helpers/test-server.js';

const { values: args } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '200' },
    url: { type: 'string', default: process.env.TESSERA_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const N = Number(args.points);
const ROUNDS = Number(args.rounds);
const POSTGRES_URL = args.url!;
const SCHEMA = `bench_${randomBytes(4).toString('hex')}`;

/** Creates the service through the API, then fills its table in one INSERT … SELECT (the bench is about reads). */
async function createLayer(base: string, token: string, client: pg.Client): Promise<string> {
  const table = `"fd_${await createBenchService(base, token)}_0"`;
  const started = performance.now();
  await client.query('SELECT setseed(0.42)');
  await client.query(
    `INSERT INTO ${table} ("NAME", "POP", "CAT", "VALUE", "SHAPE")
     SELECT 'place ' || i, (i::bigint * ${STRIDE}) % ${N}, substr('ABCDEFGH', i % 8 + 1, 1), random() * 1000,
            ST_SetSRID(ST_MakePoint(random() * 360 - 180, random() * 170 - 85), 4326)
       FROM generate_series(0, ${N - 1}) AS i`,
  );
  await client.query(`VACUUM ANALYZE ${table}`);
  console.log(`loaded ${N.toLocaleString()} points into ${table} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return table;
}

const COLUMNS = '"OBJECTID", "NAME", "POP", "CAT", "VALUE", ST_X("SHAPE"), ST_Y("SHAPE")';

function sqlOf(table: string) {
  return {
    page: `SELECT ${COLUMNS} FROM ${table} ORDER BY "OBJECTID" LIMIT $1 OFFSET $2`,
    attribute: `SELECT ${COLUMNS} FROM ${table} WHERE "POP" >= $1 AND "POP" < $2 ORDER BY "OBJECTID" LIMIT $3`,
    envelope: `SELECT ${COLUMNS} FROM ${table} WHERE ST_Intersects("SHAPE", ST_MakeEnvelope($1, $2, $3, $4, 4326)) ORDER BY "OBJECTID" LIMIT $5`,
    count: `SELECT count(*) FROM ${table}`,
  };
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-bench-pg-'));
const client = new pg.Client({ connectionString: POSTGRES_URL });
await client.connect();
const server = await startServerProcess(dataDir, {
  TESSERA_QUERY_CACHE_MB: '0',
  TESSERA_STORE: 'postgres',
  TESSERA_POSTGRES_URL: POSTGRES_URL,
  TESSERA_POSTGRES_SCHEMA: SCHEMA,
  TESSERA_JOB_CONCURRENCY: '1',
  BENCH_CAPTURE_STATEMENTS: '1',
});
try {
  await client.query(`SET search_path TO ${SCHEMA}, public`);
  const token = (await post<TokenAnswer>(`${server.url}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json' })).token as string;
  const table = await createLayer(server.url, token, client);
  // Named statements: prepared once, as the server's are.
  const names = new Map<string, string>();
  const run = (text: string, values: unknown[]) => {
    if (!names.has(text)) names.set(text, `bench_${names.size}`);
    return client.query({ name: names.get(text)!, text, values, rowMode: 'array' });
  };
  const serverStatement: StatementCapture = async (base) => {
    const { text, values } = fromWire((await (await fetchOnce(`${base}/bench/last-statement`)).json()) as CapturedStatement);
    return () => run(text, values);
  };
  const cases = readCases(N, sqlOf(table));
  // Warm every path (buffers, statement caches) with other draws than the measured ones.
  for (const c of cases) await measureSequential(server.url, token, c, run, 20, 5, serverStatement);
  const rows = [];
  for (const c of cases) rows.push({ operation: c.name, ...sequentialColumns(await measureSequential(server.url, token, c, run, ROUNDS, 7, serverStatement)) });
  console.log(`PostGIS feature queries, ${N.toLocaleString()} points, ${ROUNDS} distinct draws each, answer cache off, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.table(rows);
} finally {
  server.child.stdin!.end();
  await new Promise((resolve) => server.child.once('exit', resolve));
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_boss CASCADE`);
  await client.end();
  await rm(dataDir, { recursive: true, force: true });
}
