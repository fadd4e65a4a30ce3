/**
 * Feature queries on PostGIS: `node --import tsx bench/features-postgis.ts [--points 1000000] [--rounds 200]
 * [--url postgres://postgres@127.0.0.1:5432/postgres]` (or TESSERA_POSTGRES_URL).
 *
 * A server (own process, TESSERA_STORE=postgres, answer cache off) hosts one generated point
 * layer in a schema of its own (dropped at the end). Each operation runs through the REST API and,
 * in the same run, as the SQL a developer would write against the same PostGIS table:
 *   (a) a 1,000-record page, (b) an attribute where, (c) an envelope filter, (d) returnCountOnly.
 * Sequential latency p50/p99 both ways, the server's own time (Server-Timing header), and the
 * ratios REST/SQL and server/SQL (goal ≤ 2× server-side). Every draw is distinct.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';

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
const PASSWORD = 'bench-admin-password';
const SERVICE = '/rest/services/Hosted/bench/FeatureServer/0';
/** A prime not dividing N: POP = i·STRIDE mod N is a permutation, so POP ranges select exact counts. */
const STRIDE = 7919;

interface Timing {
  p50: number;
  p99: number;
}

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

const round = (n: number) => Math.round(n * 100) / 100;

async function startServerProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'features-server.ts'), dataDir], {
    env: {
      ...process.env,
      BENCH_ADMIN_PASSWORD: PASSWORD,
      TESSERA_QUERY_CACHE_MB: '0',
      TESSERA_STORE: 'postgres',
      TESSERA_POSTGRES_URL: POSTGRES_URL,
      TESSERA_POSTGRES_SCHEMA: SCHEMA,
      TESSERA_JOB_CONCURRENCY: '1',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

async function post(url: string, form: Record<string, string>): Promise<any> {
  return (await fetch(url, { method: 'POST', body: new URLSearchParams(form) })).json();
}

/** Creates the service through the API, then fills its table in one INSERT … SELECT (the bench is about reads). */
async function createLayer(base: string, token: string, client: pg.Client): Promise<string> {
  const created = await post(`${base}/sharing/rest/content/users/admin/createService`, {
    f: 'json',
    token,
    createParameters: JSON.stringify({ name: 'bench', spatialReference: { wkid: 4326 }, maxRecordCount: 2000 }),
  });
  const layer = {
    name: 'Points',
    geometryType: 'esriGeometryPoint',
    fields: [
      { name: 'NAME', type: 'esriFieldTypeString', length: 32 },
      { name: 'POP', type: 'esriFieldTypeInteger' },
      { name: 'CAT', type: 'esriFieldTypeString', length: 1 },
      { name: 'VALUE', type: 'esriFieldTypeDouble' },
    ],
    indexes: [{ name: 'pop_idx', fields: 'POP', isUnique: false }],
  };
  await post(`${base}/rest/admin/services/Hosted/bench/FeatureServer/addToDefinition`, { f: 'json', token, addToDefinition: JSON.stringify({ layers: [layer] }) });
  const table = `"fd_${created.itemId as string}_0"`;
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

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ReadCase {
  name: string;
  rest: (random: () => number) => string;
  sql: string;
  params: (random: () => number) => unknown[];
}

const COLUMNS = '"OBJECTID", "NAME", "POP", "CAT", "VALUE", ST_X("SHAPE"), ST_Y("SHAPE")';
const PAGE_OFFSETS = 50_000;

function readCases(table: string): ReadCase[] {
  const window = (random: () => number) => {
    // About 1,000 of the million points fall in a 6°×6° window.
    const x = random() * 340 - 170;
    const y = random() * 150 - 75;
    return [x, y, x + 6, y + 6];
  };
  return [
    {
      name: '(a) 1,000-record page',
      rest: (r) => `where=1%3D1&outFields=*&resultOffset=${Math.floor(r() * PAGE_OFFSETS)}&resultRecordCount=1000&f=json`,
      sql: `SELECT ${COLUMNS} FROM ${table} ORDER BY "OBJECTID" LIMIT $1 OFFSET $2`,
      params: (r) => [1001, Math.floor(r() * PAGE_OFFSETS)],
    },
    {
      name: '(b) attribute where',
      rest: (r) => {
        const low = Math.floor(r() * (N - 500));
        return `where=${encodeURIComponent(`POP >= ${low} AND POP < ${low + 500}`)}&outFields=*&f=json`;
      },
      sql: `SELECT ${COLUMNS} FROM ${table} WHERE "POP" >= $1 AND "POP" < $2 ORDER BY "OBJECTID" LIMIT $3`,
      params: (r) => {
        const low = Math.floor(r() * (N - 500));
        return [low, low + 500, 2001];
      },
    },
    {
      name: '(c) envelope filter',
      rest: (r) => `geometry=${window(r).join(',')}&geometryType=esriGeometryEnvelope&spatialRel=esriSpatialRelIntersects&outFields=*&f=json`,
      sql: `SELECT ${COLUMNS} FROM ${table} WHERE ST_Intersects("SHAPE", ST_MakeEnvelope($1, $2, $3, $4, 4326)) ORDER BY "OBJECTID" LIMIT $5`,
      params: (r) => [...window(r), 2001],
    },
    {
      name: '(d) returnCountOnly',
      rest: () => 'where=1%3D1&returnCountOnly=true&f=json',
      sql: `SELECT count(*) FROM ${table}`,
      params: () => [],
    },
  ];
}

async function measure(base: string, token: string, client: pg.Client, c: ReadCase): Promise<Record<string, number | string>> {
  const sqlRandom = mulberry32(7);
  const sqlSamples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const values = c.params(sqlRandom);
    const t = performance.now();
    await client.query({ name: c.name, text: c.sql, values, rowMode: 'array' });
    sqlSamples.push(performance.now() - t);
  }
  const restRandom = mulberry32(7);
  const restSamples: number[] = [];
  const serverSamples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const url = `${base}${SERVICE}/query?${c.rest(restRandom)}&token=${token}`;
    const t = performance.now();
    const response = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    const body = await response.text();
    restSamples.push(performance.now() - t);
    if (i === 0 && body.includes('"error"')) throw new Error(`${c.name}: ${body.slice(0, 300)}`);
    serverSamples.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? NaN));
  }
  const sql = timing(sqlSamples);
  const rest = timing(restSamples);
  const server = timing(serverSamples);
  return {
    operation: c.name,
    'SQL p50 ms': round(sql.p50),
    'SQL p99 ms': round(sql.p99),
    'REST p50 ms': round(rest.p50),
    'REST p99 ms': round(rest.p99),
    'ratio (p50)': round(rest.p50 / sql.p50),
    'server p50 ms': round(server.p50),
    'server ratio': round(server.p50 / sql.p50),
  };
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-bench-pg-'));
const client = new pg.Client({ connectionString: POSTGRES_URL });
await client.connect();
const server = await startServerProcess(dataDir);
try {
  await client.query(`SET search_path TO ${SCHEMA}, public`);
  const token = (await post(`${server.url}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json' })).token as string;
  const table = await createLayer(server.url, token, client);
  const rows = [];
  for (const c of readCases(table)) rows.push(await measure(server.url, token, client, c));
  console.log(`PostGIS feature queries, ${N.toLocaleString()} points, ${ROUNDS} distinct draws each, answer cache off`);
  console.table(rows);
} finally {
  server.child.stdin!.end();
  await new Promise((resolve) => server.child.once('exit', resolve));
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_boss CASCADE`);
  await client.end();
  await rm(dataDir, { recursive: true, force: true });
}
