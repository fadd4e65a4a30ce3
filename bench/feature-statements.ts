/**
 * The statement the PostGIS FeatureStore really sends for a request, for the bench to run it
 * directly. In the bench server (BENCH_CAPTURE_STATEMENTS set) every pg query is watched and the
 * last one reading a feature table is kept; `GET <basePath>/bench/last-statement` answers it.
 * Watching costs one test per query; the route is the bench's, never the product's.
 */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';

export interface CapturedStatement {
  text: string;
  /** Buffers (WKB of a geometry filter) travel as `{ base64 }`. */
  values: unknown[];
}

/** Feature tables are `fd_<dataset>_<layer>` (see store/postgres/pg-feature-sql.ts). */
const READS_FEATURE_TABLE = /^\s*SELECT\b[\s\S]*\bFROM "fd_/;

/** Watches pg's queries from now on; returns the route plugin answering the last feature read. */
export function captureFeatureStatements(): (app: FastifyInstance) => Promise<void> {
  let last: CapturedStatement | undefined;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as { text?: unknown; values?: unknown[] } | undefined;
    if (typeof config?.text === 'string' && READS_FEATURE_TABLE.test(config.text)) {
      last = { text: config.text, values: ((config.values ?? args[1] ?? []) as unknown[]).map(toWire) };
    }
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  return async (app) => {
    app.get('/bench/last-statement', async () => last ?? {});
  };
}

function toWire(value: unknown): unknown {
  return Buffer.isBuffer(value) ? { base64: value.toString('base64') } : value;
}

/** A captured statement as pg takes it again. */
export function fromWire(statement: CapturedStatement): CapturedStatement {
  const values = statement.values.map((v) => (v && typeof v === 'object' && 'base64' in v ? Buffer.from(String(v.base64), 'base64') : v));
  return { text: statement.text, values };
}
