/**
 * Feature service bench: `node --import tsx bench/features.ts [--points 1000000] [--seconds 10] [--keep <dir>] [--scaling [--rounds 2] [--setups 1,2,3,4]] [--client loop|autocannon|loop,autocannon]`
 * (`--keep`: load the layer into `<dir>` once, keep a pristine copy of it, and start later runs
 * from that copy).
 *
 * A server (own process) hosts one generated point layer. Each operation runs through the REST
 * API and, in the same run, as the SQL the store runs against the same SpatiaLite file:
 *   (a) a 1,000-record page, (b) an attribute where, (c) an envelope filter, (d) returnCountOnly —
 *       first with the answer cache off (every request computed): sequential latency p50/p99 both
 *       ways (ratio = REST p50 / SQL p50; beside it the server's own time from its Server-Timing
 *       header, without the client and the socket), REST throughput under 8 concurrent connections
 *       (bench/load-loop.ts, or autocannon) and the server's CPU per request; then with the cache on: the same requests
 *       repeated (p50) and throughput over a hot set of 200 distinct requests asked again and again;
 *   an HTTP floor: GET rest/info, the cheapest request the server answers;
 *   deleteFeatures of 10,000 features by where and by objectIds, applyEdits of 1,000 adds —
 *       wall time both ways, as a ratio.
 */
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { esriToWkb } from '../src/geometry/wkb.js';
import { processTreeCpuMs } from './process-cpu.js';
import { runLoad, type LoadResult } from './load-loop.js';
import { openDatabase, type SqliteDatabase } from '../src/store/sqlite/database.js';
import { SqliteFeatureStore } from '../src/store/sqlite/sqlite-feature-store.js';
import type { FeatureWrite, LayerSchema } from '../src/store/feature-store.js';
import {
  PASSWORD,
  SERVICE,
  STRIDE,
  createBenchService,
  fetchOnce,
  measureSequential,
  mulberry32,
  post,
  readCases as benchReadCases,
  round,
  sequentialColumns,
  startServerProcess as startBenchServer,
  timing,
  type ReadCase,
} from './feature-reads.js';
import type { EditsAnswer } from '../test/helpers/answers.js';
import type { TokenAnswer } from '../test/helpers/test-server.js';

type Autocannon = (options: Record<string, unknown>) => Promise<{ requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number }>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values: args } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    keep: { type: 'string' },
    scaling: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '2' },
    client: { type: 'string', default: 'loop' },
    port: { type: 'string' },
    setups: { type: 'string' },
  },
});
const N = Number(args.points);
const CLIENTS = args.client.split(',');
const WARM_SECONDS = 3;
const SECONDS = Number(args.seconds);
async function startServerProcess(dataDir: string, cacheMB: number, env: Record<string, string> = {}) {
  const port: Record<string, string> = args.port ? { BENCH_PORT: String(await freePort()) } : {};
  return startBenchServer(dataDir, { TESSERA_QUERY_CACHE_MB: String(cacheMB), ...port, ...env });
}

/** Creates the service through the API and bulk-loads N points through the FeatureStore. */
async function createLayer(base: string, token: string, dataDir: string): Promise<{ dataset: string; file: string }> {
  const dataset = await createBenchService(base, token);
  const store = new SqliteFeatureStore(path.join(dataDir, 'features'));
  const schema: LayerSchema = {
    id: 0,
    objectIdColumn: 'OBJECTID',
    columns: [
      { name: 'NAME', type: 'text' },
      { name: 'POP', type: 'integer' },
      { name: 'CAT', type: 'text' },
      { name: 'VALUE', type: 'real' },
    ],
    geometry: { kind: 'point', srid: 4326, hasZ: false, hasM: false },
  };
  const started = performance.now();
  const random = mulberry32(42);
  for (let start = 0; start < N; start += 20_000) {
    const adds: FeatureWrite[] = [];
    for (let i = start; i < Math.min(N, start + 20_000); i++) {
      const geometry = { wkb: esriToWkb({ x: random() * 360 - 180, y: random() * 170 - 85 })!, srid: 4326 };
      adds.push({ values: { NAME: `place ${i}`, POP: (i * STRIDE) % N, CAT: 'ABCDEFGH'[i % 8], VALUE: random() * 1000 }, geometry });
    }
    await store.applyEdits(dataset, [{ layer: schema, adds }], { rollbackOnFailure: true, useGlobalIds: false });
  }
  await store.close();
  console.log(`loaded ${N.toLocaleString()} points through the FeatureStore in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { dataset, file: path.join(dataDir, 'features', `${dataset}.sqlite`) };
}

/** What the store selects for a 2-D point layer (x/y numbers; other layers get AsBinary WKB). */
const COLUMNS = '"OBJECTID", "NAME", "POP", "CAT", "VALUE", ST_X("SHAPE"), ST_Y("SHAPE")';
/** Distinct requests cycled under load with the cache on: 200 pages of 1,000 points are ~30 MB. */
const HOT_SET = 200;

function readCases(): ReadCase[] {
  return benchReadCases(N, {
    page: `SELECT ${COLUMNS} FROM "layer_0" ORDER BY "OBJECTID" LIMIT ? OFFSET ?`,
    attribute: `SELECT ${COLUMNS} FROM "layer_0" WHERE ("POP" >= ? AND "POP" < ?) ORDER BY "OBJECTID" LIMIT ? OFFSET ?`,
    envelope: `SELECT ${COLUMNS} FROM "layer_0" WHERE ROWID IN (SELECT pkid FROM "idx_layer_0_SHAPE" WHERE xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?)
            AND ST_Intersects("SHAPE", BuildMbr(?, ?, ?, ?, 4326)) = 1 ORDER BY "OBJECTID" LIMIT ? OFFSET ?`,
    envelopeParams: ([x0, y0, x1, y1], limit) => [x1, x0, y1, y0, x0, y0, x1, y1, limit, 0],
    count: 'SELECT count(*) FROM "layer_0"',
    zeroOffset: true,
  });
}

/** The bench's SQL path: the statements prepared once on the layer's SpatiaLite file. */
function sqliteRunner(db: SqliteDatabase): (sql: string, params: unknown[]) => unknown {
  const statements = new Map<string, { all(...values: unknown[]): unknown }>();
  return (sql, params) => {
    if (!statements.has(sql)) statements.set(sql, db.prepare(sql).raw(true));
    return statements.get(sql)!.all(...params);
  };
}

interface Load {
  rate: number;
  latency: string;
  errors: number;
  /** Server CPU per answered request; of it, on the server processes' main threads (event loops). */
  cpuMs: number;
  mainCpuMs: number;
  /** The load generator's CPU (this process) per answered request: it shares the server's cores. */
  clientCpuMs: number;
}

/**
 * `connections` (8 unless told) for SECONDS over the given request paths (cycled), with the
 * server's CPU use (its process and their children) and the load generator's: `--client loop`
 * (bench/load-loop.ts, the default) or `--client autocannon` (`--scaling` runs each one listed,
 * `--client loop,autocannon`).
 */
async function measureLoad(base: string, pid: number, pathOf: (i: number) => string, connections = 8, client = CLIENTS[0]): Promise<Load> {
  const cpuBefore = await processTreeCpuMs(pid);
  const mainBefore = await processTreeCpuMs(pid, 'main threads');
  const load = client === 'autocannon' ? await autocannonLoad(base, pathOf, connections) : await runLoad(base, connections, SECONDS, pathOf);
  return {
    rate: Math.round(load.rate),
    latency: `${round(load.p50)}/${round(load.p99)}`,
    errors: load.errors,
    cpuMs: round(((await processTreeCpuMs(pid)) - cpuBefore) / load.requests),
    mainCpuMs: round(((await processTreeCpuMs(pid, 'main threads')) - mainBefore) / load.requests),
    clientCpuMs: round(load.clientCpuMs),
  };
}

async function autocannonLoad(base: string, pathOf: (i: number) => string, connections: number): Promise<LoadResult> {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const load = await autocannon({
    url: base,
    connections,
    duration: SECONDS,
    requests: [{ setupRequest: (request: { path: string }) => ({ ...request, path: pathOf(next++) }) }],
  });
  const cpu = process.cpuUsage(cpuBefore);
  const requests = load.requests.average * SECONDS;
  return {
    rate: load.requests.average,
    requests,
    p50: load.latency.p50,
    p99: load.latency.p99,
    errors: load.errors + load.non2xx,
    clientCpuMs: (cpu.user + cpu.system) / 1000 / requests,
  };
}

/** Request paths of a read case: `count` draws from a seed, in order. */
function pathsOf(base: string, token: string, c: ReadCase, seed: number, count: number): string[] {
  const random = mulberry32(seed);
  const prefix = new URL(base).pathname;
  return Array.from({ length: count }, () => `${prefix}${SERVICE}/query?${c.rest(random)}&token=${token}`);
}

/** Every request distinct: answers are computed, whatever a cache would do. */
async function measureUncached(base: string, pid: number, token: string, db: SqliteDatabase, c: ReadCase): Promise<Record<string, number | string>> {
  const sequential = await measureSequential(base, token, c, sqliteRunner(db), 200, 7);
  const paths = pathsOf(base, token, c, 11, 60_000);
  const load = await measureLoad(base, pid, (i) => paths[i % paths.length]!);
  return {
    operation: c.name,
    ...sequentialColumns(sequential),
    'req/s (8 conn)': load.rate,
    'p50/p99 under load ms': load.latency,
    'server CPU ms/req': load.cpuMs,
    errors: load.errors,
  };
}

/**
 * With the answer cache: the sequential draws asked again, and under load a hot set of 200
 * distinct requests (many clients viewing the same area) asked again and again.
 */
async function measureCached(base: string, pid: number, token: string, db: SqliteDatabase, c: ReadCase): Promise<Record<string, number | string>> {
  await measureSequential(base, token, c, sqliteRunner(db), 200, 7);
  const { sql, rest } = await measureSequential(base, token, c, sqliteRunner(db), 200, 7);
  const paths = pathsOf(base, token, c, 11, HOT_SET);
  for (const hot of paths) await (await fetchOnce(`${new URL(base).origin}${hot}`)).arrayBuffer();
  const load = await measureLoad(base, pid, (i) => paths[i % paths.length]!);
  return {
    operation: `${c.name}, repeated`,
    'SQL p50 ms': round(sql.p50),
    'REST p50 ms': round(rest.p50),
    'ratio (p50)': round(rest.p50 / sql.p50),
    'req/s (8 conn)': load.rate,
    'p50/p99 under load ms': load.latency,
    'server CPU ms/req': load.cpuMs,
    errors: load.errors,
  };
}

/** The cheapest answer the server gives (rest/info): what any request costs before it does work. */
async function measureFloor(base: string, pid: number): Promise<Record<string, number | string>> {
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await (await fetchOnce(`${base}/rest/info?f=json`)).arrayBuffer();
    samples.push(performance.now() - t);
  }
  const prefix = new URL(base).pathname;
  const load = await measureLoad(base, pid, () => `${prefix}/rest/info?f=json`);
  const { p50, p99 } = timing(samples);
  return { operation: 'HTTP floor: rest/info', 'REST p50 ms': round(p50), 'REST p99 ms': round(p99), 'req/s (8 conn)': load.rate, 'p50/p99 under load ms': load.latency, 'server CPU ms/req': load.cpuMs, errors: load.errors };
}

/** What a browser pays on top: the page gzip-compressed (fetch asks for it by default). */
async function measureCompressedPage(base: string, token: string, rounds: number): Promise<Record<string, number | string>> {
  const samples: number[] = [];
  let encoding = '';
  for (let i = 0; i < rounds; i++) {
    const url = `${base}${SERVICE}/query?where=1%3D1&outFields=*&resultOffset=${i * 1000}&resultRecordCount=1000&f=json&token=${token}`;
    const t = performance.now();
    const response = await fetchOnce(url, { headers: { 'accept-encoding': 'gzip' } });
    await response.arrayBuffer();
    samples.push(performance.now() - t);
    encoding = response.headers.get('content-encoding') ?? 'none';
  }
  const { p50, p99 } = timing(samples);
  return { operation: `(a) page, ${encoding}-compressed`, 'REST p50 ms': round(p50), 'REST p99 ms': round(p99) };
}

async function measureWrites(base: string, token: string, db: SqliteDatabase): Promise<Array<Record<string, number | string>>> {
  const rows: Array<Record<string, number | string>> = [];
  const timed = async (work: () => unknown): Promise<number> => {
    const t = performance.now();
    await work();
    return performance.now() - t;
  };
  const check = (answer: EditsAnswer) => {
    if (answer.error || answer.success === false) throw new Error(JSON.stringify(answer).slice(0, 300));
    return answer;
  };
  // Disjoint POP ranges, so every delete removes exactly 10,000 features.
  const [restLow, sqlLow] = [Math.floor(N / 10), Math.floor(N / 5)];
  const restWhere = await timed(async () => check(await post<EditsAnswer>(`${base}${SERVICE}/deleteFeatures`, { f: 'json', token, where: `POP >= ${restLow} AND POP < ${restLow + 10_000}` })));
  const sqlWhere = await timed(() => db.transaction(() => db.prepare('DELETE FROM "layer_0" WHERE ("POP" >= ? AND "POP" < ?)').run(sqlLow, sqlLow + 10_000)).immediate());
  rows.push({ operation: 'deleteFeatures, 10,000 by where', 'SQL ms': round(sqlWhere), 'REST ms': round(restWhere), ratio: round(restWhere / sqlWhere) });

  // 10,000 ids spread over the table, skipping rows the POP ranges above already removed.
  const deleted = (pop: number) => (pop >= restLow && pop < restLow + 10_000) || (pop >= sqlLow && pop < sqlLow + 10_000);
  const idsOf = (from: number) => {
    const ids: number[] = [];
    for (let id = from; ids.length < 10_000; id += 3) if (!deleted(((id - 1) * STRIDE) % N)) ids.push(id);
    return ids;
  };
  const restIds = await timed(async () => {
    const answer = check(await post<EditsAnswer>(`${base}${SERVICE}/deleteFeatures`, { f: 'json', token, objectIds: idsOf(Math.floor(N * 0.3)).join(',') }));
    if (answer.deleteResults.length !== 10_000) throw new Error('not every id was deleted');
  });
  const sqlIds = await timed(() =>
    db.transaction(() => db.prepare('DELETE FROM "layer_0" WHERE "OBJECTID" IN (SELECT value FROM json_each(?))').run(JSON.stringify(idsOf(Math.floor(N * 0.6))))).immediate(),
  );
  rows.push({ operation: 'deleteFeatures, 10,000 by objectIds', 'SQL ms': round(sqlIds), 'REST ms': round(restIds), ratio: round(restIds / sqlIds) });

  const random = mulberry32(3);
  const features = () =>
    JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ attributes: { NAME: `new ${i}`, POP: i, CAT: 'Z', VALUE: i / 3 }, geometry: { x: random() * 100, y: random() * 50 } })));
  const insert = db.prepare('INSERT INTO "layer_0" ("NAME", "POP", "CAT", "VALUE", "SHAPE") VALUES (?, ?, ?, ?, GeomFromWKB(?, 4326)) RETURNING "OBJECTID"').raw(true);
  const restAdds: number[] = [];
  const sqlAdds: number[] = [];
  for (let round = 0; round < 15; round++) {
    const body = features();
    restAdds.push(await timed(async () => check(await post(`${base}${SERVICE}/applyEdits`, { f: 'json', token, adds: body }))));
    const rows = Array.from({ length: 1000 }, (_, i) => [`new ${i}`, i, 'Z', i / 3, esriToWkb({ x: random() * 100, y: random() * 50 })]);
    sqlAdds.push(await timed(() => db.transaction(() => rows.forEach((r) => insert.get(...r))).immediate()));
  }
  const rest = timing(restAdds).p50;
  const sql = timing(sqlAdds).p50;
  rows.push({ operation: 'applyEdits, 1,000 adds (p50 of 15)', 'SQL ms': round(sql), 'REST ms': round(rest), ratio: round(rest / sql) });
  return rows;
}

/**
 * `--scaling`: the page and the envelope filter (answer cache off, every request distinct) at 1
 * and at 4 connections, in four setups taking turns `--rounds` times in one run: one process
 * with pages and counts kept on the event loop (TESSERA_READ_SPILL=false), one process spilling
 * them to reader threads when other requests are in flight (the default), and
 * `tessera serve` with 1 and with 2 processes (the same entry both ways, so the second process
 * is all that differs); beside them the sequential ratio over the SQL. The load generator shares
 * the machine's cores with the server: its own CPU per request is printed beside the server's,
 * and a second table gives the ceiling of c=4 ÷ c=1 those figures allow (see `ceiling`).
 */
async function measureScaling(db: SqliteDatabase): Promise<void> {
  const cases = readCases().filter((c) => c.name.startsWith('(a)') || c.name.startsWith('(c)'));
  const setups: Array<{ setup: string; processes?: number; start: (work: (url: string, pid: number, token: string) => Promise<void>) => Promise<void> }> = [
    { setup: '1 process, no spill', start: (work) => withServer(0, work, { TESSERA_READ_SPILL: 'false' }) },
    { setup: '1 process, spill', start: (work) => withServer(0, work, { TESSERA_READ_SPILL: 'true' }) },
    { setup: 'serve, 1 process', start: (work) => withProcesses(1, work) },
    { setup: 'serve, 2 processes', processes: 2, start: (work) => withProcesses(2, work) },
  ];
  const rows: Array<Record<string, number | string>> = [];
  const ceilings: Array<Record<string, number | string>> = [];
  // `--setups 2,4`: only those of the four (numbered from 1), for a shorter run.
  const chosen = args.setups ? args.setups.split(',').map((n) => setups[Number(n) - 1]!) : setups;
  for (let turn = 0; turn < Number(args.rounds); turn++) {
    for (const { setup, processes = 1, start } of chosen) {
      await start(async (url, pid, token) => {
        for (const c of cases) await measureSequential(url, token, c, sqliteRunner(db), 20, 5);
        // Also under 4 connections, which node:cluster deals to every process: each warms its own
        // JIT and SQLite cache, or the second process's cold start is charged to the first load.
        for (const c of cases) {
          const warm = pathsOf(url, token, c, 5, 2_000);
          await runLoad(url, 4, WARM_SECONDS, (i) => warm[i % warm.length]!);
        }
        for (const c of cases) {
          const sequential = await measureSequential(url, token, c, sqliteRunner(db), 100, 7 + turn);
          const paths = pathsOf(url, token, c, 11 + turn, 60_000);
          for (const client of CLIENTS) {
            const one = await measureLoad(url, pid, (i) => paths[i % paths.length]!, 1, client);
            const four = await measureLoad(url, pid, (i) => paths[(i + 30_000) % paths.length]!, 4, client);
            rows.push({
              round: turn,
              setup,
              operation: c.name,
              client,
              'SQL p50 ms': round(sequential.sql.p50),
              'REST p50 ms': round(sequential.rest.p50),
              'ratio (p50)': round(sequential.rest.p50 / sequential.sql.p50),
              'server ratio': round(sequential.server.p50 / sequential.sql.p50),
              'req/s c=1': one.rate,
              'req/s c=4': four.rate,
              'c=4 ÷ c=1': round(four.rate / one.rate),
              'CPU ms/req c=1': one.cpuMs,
              'CPU ms/req c=4': four.cpuMs,
              'client CPU ms/req c=1': one.clientCpuMs,
              'client CPU ms/req c=4': four.clientCpuMs,
              // Of the CPU both sides spend per request, the load generator's part.
              'client share c=1': round(one.clientCpuMs / (one.clientCpuMs + one.cpuMs)),
              errors: one.errors + four.errors,
            });
            ceilings.push({ setup, operation: c.name, client, ...ceiling(one, four, processes), 'load avg': round(loadavg()[0]!) });
          }
        }
      });
    }
  }
  console.log(`Scaling, answer cache off, ${availableParallelism()} cores shared with the load generator (spill: pages and counts to reader threads, one per core, when requests overlap; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}):`);
  console.table(rows);
  console.log('The ceiling on this machine (ms per request; server and load generator share the cores):');
  console.table(ceilings);
}

/**
 * What the machine allows, from CPU per request (server and load generator together), not from
 * the clock, which other work on a shared machine slows: one client waits for each answer, so
 * c=1 keeps one core busy at most (its chain is serial: client, event loop, client) and answers
 * 1000 ÷ (CPU/req c=1) a second on an idle machine. c=4 answers at most cores ÷ (CPU/req c=4)
 * with every core busy, and at most processes ÷ (main-thread CPU/req c=4) with every event loop
 * busy; the ceiling of c=4 ÷ c=1 is the lower of the two over c=1's.
 * `cores busy` is CPU per request × req/s as measured (low when others load the machine).
 */
function ceiling(one: Load, four: Load, processes: number): Record<string, number> {
  const cores = availableParallelism();
  const cpu = (load: Load) => load.cpuMs + load.clientCpuMs;
  const c4 = { cores: (cores * 1000) / cpu(four), 'event loops': (processes * 1000) / four.mainCpuMs };
  return {
    'req/s c=1': one.rate,
    'req/s c=4': four.rate,
    'c=4 ÷ c=1': round(four.rate / one.rate),
    'server CPU c=1': one.cpuMs,
    'server CPU c=4': four.cpuMs,
    'main thread c=4': four.mainCpuMs,
    'client CPU c=1': one.clientCpuMs,
    'client CPU c=4': four.clientCpuMs,
    'cores busy c=1': round((cpu(one) * one.rate) / 1000),
    'cores busy c=4': round((cpu(four) * four.rate) / 1000),
    'ceiling (cores)': round((c4.cores * cpu(one)) / 1000),
    'ceiling (event loops)': round((c4['event loops'] * cpu(one)) / 1000),
  };
}

/** `tessera serve --processes N` over the data directory, answer cache off; `work` gets the primary's PID (CPU is counted over its process tree). */
async function withProcesses(count: number, work: (url: string, pid: number, token: string) => Promise<void>): Promise<void> {
  const port = await freePort();
  const bin = fileURLToPath(new URL('../bin/tessera.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data', dataDir, '--processes', String(count)], {
    env: { ...process.env, TESSERA_ADMIN_PASSWORD: PASSWORD, TESSERA_DEMO: 'false', TESSERA_LOG_LEVEL: 'warn', TESSERA_QUERY_CACHE_MB: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => line.includes('Tessera is serving') && resolve());
      child.once('exit', (code) => reject(new Error(`serve --processes ${count} exited with ${code}`)));
    });
    // The first process prints that line; the others start after it, one by one.
    while (count > 1 && (await childProcesses(child.pid!)).length < count) await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const url = `http://127.0.0.1:${port}/arcgis`;
    const token = (await post<TokenAnswer>(`${url}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json', expiration: '600' })).token as string;
    await work(url, child.pid!, token);
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }
}

let portsTaken = 0;

/** A port to listen on: the next of `--port`'s ten (a machine shared by several benches), or one the system picks. */
async function freePort(): Promise<number> {
  if (args.port) return Number(args.port) + (portsTaken++ % 10);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Live Node child processes of a process (`serve --processes N`: the N HTTP processes; not tsx's esbuild). */
async function childProcesses(pid: number): Promise<string[]> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).split(' ').filter(Boolean);
  const names = await Promise.all(children.map((child) => readFile(`/proc/${child}/comm`, 'utf8').catch(() => '')));
  return children.filter((_, i) => names[i]!.trim() === 'node');
}

const dataDir = args.keep ? path.resolve(args.keep) : await mkdtemp(path.join(tmpdir(), 'tessera-bench-features-'));
const pristine = path.join(dataDir, 'pristine.sqlite');
if (args.keep && existsSync(pristine)) {
  const [layerFile] = (await readdir(path.join(dataDir, 'features'))).filter((f) => /^[0-9a-f]{32}\.sqlite$/.test(f));
  for (const suffix of ['-wal', '-shm']) await rm(path.join(dataDir, 'features', `${layerFile}${suffix}`), { force: true });
  await copyFile(pristine, path.join(dataDir, 'features', layerFile!));
}
/** Runs `work` against a server over the data directory, with the answer cache of the given size. */
async function withServer<T>(cacheMB: number, work: (url: string, pid: number, token: string) => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const { child, url } = await startServerProcess(dataDir, cacheMB, env);
  try {
    const token = (await post<TokenAnswer>(`${url}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json', expiration: '600' })).token as string;
    return await work(url, child.pid!, token);
  } finally {
    child.stdin?.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

try {
  const file = await withServer(0, async (url, _pid, token) => {
    const existing = args.keep ? await post<{ serviceItemId?: string }>(`${url}/rest/services/Hosted/bench/FeatureServer`, { f: 'json', token }) : undefined;
    return existing?.serviceItemId ? path.join(dataDir, 'features', `${existing.serviceItemId}.sqlite`) : (await createLayer(url, token, dataDir)).file;
  });
  if (args.keep && !existsSync(pristine)) {
    const copy = openDatabase(file, { spatialite: true });
    copy.prepare('VACUUM INTO ?').run(pristine);
    copy.close();
  }
  const db = openDatabase(file, { spatialite: true });
  if (args.scaling) {
    await measureScaling(db);
    db.close();
    process.exit(0);
  }
  const reads = await withServer(0, async (url, pid, token) => {
    // Warm both paths (page cache, statement caches) with other draws than the measured ones.
    for (const c of readCases()) await measureSequential(url, token, c, sqliteRunner(db), 20, 5);
    const rows = [await measureFloor(url, pid)];
    for (const c of readCases()) rows.push(await measureUncached(url, pid, token, db, c));
    rows.push(await measureCompressedPage(url, token, 50));
    return rows;
  });
  console.log('Answer cache off (every request computed):');
  console.table(reads);
  await withServer(128, async (url, pid, token) => {
    const cached = [];
    for (const c of readCases()) cached.push(await measureCached(url, pid, token, db, c));
    console.log('Answer cache on (128 MB):');
    console.table(cached);
    console.table(await measureWrites(url, token, db));
  });
  db.close();
} finally {
  if (!args.keep) await rm(dataDir, { recursive: true, force: true });
}
