/**
 * What `bench/features.ts` (SpatiaLite) and `bench/features-postgis.ts` share: the server process,
 * the four read cases (the REST request and the draw of its SQL parameters; each bench brings its
 * own SQL text) and the sequential measuring loop, the same draws through SQL and through REST.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createRandom as mulberry32 } from '../src/where/where-cases.fixture.js';

export const PASSWORD = 'bench-admin-password';
export const SERVICE = '/rest/services/Hosted/bench/FeatureServer/0';
/** A prime not dividing N: POP = i·STRIDE mod N is a permutation, so POP ranges select exact counts. */
export const STRIDE = 7919;
const PAGE_OFFSETS = 50_000;

export interface Timing {
  p50: number;
  p99: number;
}

export function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

// The same seeded generator the where-clause cases use, so a bench run draws the same every time.
export { mulberry32 };

/** The bench server (bench/features-server.ts) in its own process, with extra environment. */
export async function startServerProcess(dataDir: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'features-server.ts'), dataDir], {
    env: { ...process.env, BENCH_ADMIN_PASSWORD: PASSWORD, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

/** fetch, retried once when a kept-alive connection was closed under it (a client race, not an answer). */
export async function fetchOnce(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

/** A form POST, its JSON answer (`T` as the caller expects it). */
export async function post<T = unknown>(url: string, form: Record<string, string>): Promise<T> {
  return (await (await fetchOnce(url, { method: 'POST', body: new URLSearchParams(form) })).json()) as T;
}

/** The layer every bench creates through the API (then fills its own way). */
export const BENCH_LAYER = {
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

/** createService + addToDefinition of BENCH_LAYER; returns the service's item id. */
export async function createBenchService(base: string, token: string): Promise<string> {
  const created = await post<{ itemId?: string }>(`${base}/sharing/rest/content/users/admin/createService`, {
    f: 'json',
    token,
    createParameters: JSON.stringify({ name: 'bench', spatialReference: { wkid: 4326 }, maxRecordCount: 2000 }),
  });
  await post(`${base}/rest/admin/services/Hosted/bench/FeatureServer/addToDefinition`, { f: 'json', token, addToDefinition: JSON.stringify({ layers: [BENCH_LAYER] }) });
  return created.itemId as string;
}

export interface ReadCase {
  name: string;
  /** Query string of the REST request, for a random draw. */
  rest: (random: () => number) => string;
  /** The same work as SQL: the statement (the bench's own) and its parameters for the same draw. */
  sql: string;
  params: (random: () => number) => unknown[];
}

/** SQL of each case in the bench's dialect; its parameters are the ones `readCases` draws. */
export interface ReadSql {
  page: string;
  attribute: string;
  /** Parameters [xmin, ymin, xmax, ymax, limit], or the engine's own order through `envelopeParams`. */
  envelope: string;
  envelopeParams?: (box: number[], limit: number) => unknown[];
  count: string;
  /** Whether LIMIT/OFFSET statements take an explicit offset 0 (SpatiaLite's store form). */
  zeroOffset?: boolean;
}

/** (a) a 1,000-record page, (b) an attribute where, (c) an envelope filter, (d) returnCountOnly, over N points. */
export function readCases(n: number, sql: ReadSql): ReadCase[] {
  const window = (random: () => number) => {
    // About 1,000 of the million points fall in a 6°×6° window.
    const x = random() * 340 - 170;
    const y = random() * 150 - 75;
    return [x, y, x + 6, y + 6];
  };
  const offset = sql.zeroOffset ? [0] : [];
  return [
    {
      name: '(a) 1,000-record page',
      rest: (r) => `where=1%3D1&outFields=*&resultOffset=${Math.floor(r() * PAGE_OFFSETS)}&resultRecordCount=1000&f=json`,
      sql: sql.page,
      params: (r) => [1001, Math.floor(r() * PAGE_OFFSETS)],
    },
    {
      name: '(b) attribute where',
      rest: (r) => {
        const low = Math.floor(r() * (n - 500));
        return `where=${encodeURIComponent(`POP >= ${low} AND POP < ${low + 500}`)}&outFields=*&f=json`;
      },
      sql: sql.attribute,
      params: (r) => {
        const low = Math.floor(r() * (n - 500));
        return [low, low + 500, 2001, ...offset];
      },
    },
    {
      name: '(c) envelope filter',
      rest: (r) => `geometry=${window(r).join(',')}&geometryType=esriGeometryEnvelope&spatialRel=esriSpatialRelIntersects&outFields=*&f=json`,
      sql: sql.envelope,
      params: (r) => (sql.envelopeParams ? sql.envelopeParams(window(r), 2001) : [...window(r), 2001]),
    },
    {
      name: '(d) returnCountOnly',
      rest: () => 'where=1%3D1&returnCountOnly=true&f=json',
      sql: sql.count,
      params: () => [],
    },
  ];
}

export interface Sequential {
  sql: Timing;
  rest: Timing;
  /** The server's own time for the same requests (its Server-Timing header). */
  server: Timing;
  /** The statement the server itself sent for each draw, run directly (when the bench can capture it). */
  statement?: Timing;
  /** Server p50 ÷ SQL p50 in each third of the rounds: close together, the run was steady. */
  blocks: number[];
}

/** Runs, directly, the statement the server sent for the request it just answered (see bench/feature-statements.ts). */
export type StatementCapture = (base: string) => Promise<() => Promise<unknown>>;

const BLOCKS = 3;

/** The i-th draw of a run: a generator of its own, so REST and SQL read the very same numbers. */
function drawOf(seed: number, i: number): () => number {
  return mulberry32(seed * 1_000_003 + i);
}

/**
 * The same draws as SQL (`run`: the bench's engine), through REST and, with `capture`, as the
 * server's own statement, interleaved within one loop (the order turns each round), so a swing in
 * load reaches every side alike. Identity encoding, as autocannon asks: compression is measured apart.
 */
export async function measureSequential(
  base: string,
  token: string,
  c: ReadCase,
  run: (sql: string, params: unknown[]) => unknown,
  rounds: number,
  seed: number,
  capture?: StatementCapture,
): Promise<Sequential> {
  const urlOf = (i: number) => `${base}${SERVICE}/query?${c.rest(drawOf(seed, i))}&token=${token}`;
  const statements: Array<() => Promise<unknown>> = [];
  // Asked once beforehand: the server's statement for each draw, with its parameters.
  if (capture) {
    for (let i = 0; i < rounds; i++) {
      await (await fetchOnce(urlOf(i), { headers: { 'accept-encoding': 'identity' } })).text();
      statements.push(await capture(base));
    }
  }
  const samples = { sql: [] as number[], rest: [] as number[], server: [] as number[], statement: [] as number[] };
  const timed = async (into: number[], work: () => unknown) => {
    const t = performance.now();
    await work();
    into.push(performance.now() - t);
  };
  for (let i = 0; i < rounds; i++) {
    const steps = [
      () => timed(samples.sql, () => run(c.sql, c.params(drawOf(seed, i)))),
      async () => {
        const t = performance.now();
        const response = await fetchOnce(urlOf(i), { headers: { 'accept-encoding': 'identity' } });
        const body = await response.text();
        samples.rest.push(performance.now() - t);
        if (i === 0 && body.includes('"error"')) throw new Error(`${c.name}: ${body.slice(0, 300)}`);
        samples.server.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? NaN));
      },
      ...(capture ? [() => timed(samples.statement, statements[i]!)] : []),
    ];
    for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]!();
  }
  const block = Math.ceil(rounds / BLOCKS);
  const blocks = Array.from({ length: BLOCKS }, (_, b) => [b * block, (b + 1) * block] as const)
    .filter(([from]) => from < rounds)
    .map(([from, to]) => timing(samples.server.slice(from, to)).p50 / timing(samples.sql.slice(from, to)).p50);
  return {
    sql: timing(samples.sql),
    rest: timing(samples.rest),
    server: timing(samples.server),
    ...(capture ? { statement: timing(samples.statement) } : {}),
    blocks,
  };
}

/** The columns of a sequential measurement, as both benches print them. */
export function sequentialColumns({ sql, rest, server, statement, blocks }: Sequential): Record<string, number | string> {
  return {
    'SQL p50 ms': round(sql.p50),
    'SQL p99 ms': round(sql.p99),
    'REST p50 ms': round(rest.p50),
    'REST p99 ms': round(rest.p99),
    'ratio (p50)': round(rest.p50 / sql.p50),
    'server p50 ms': round(server.p50),
    'server ratio': round(server.p50 / sql.p50),
    'by thirds': blocks.map((r) => r.toFixed(2)).join(' '),
    ...(statement ? { 'own stmt p50 ms': round(statement.p50), 'server ÷ own stmt': round(server.p50 / statement.p50) } : {}),
  };
}
