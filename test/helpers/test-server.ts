import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import type { Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

export const ADMIN = { username: 'admin', password: 'admin-test-password' };

/** generateToken's answer (or an error envelope, then without a token). */
export interface TokenAnswer {
  token?: string;
  expires?: number;
}

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Variables a child process (the CLI) needs to open the same stores. */
  env: Record<string, string>;
  /** Runs SQL on the server's PostgreSQL schema from a connection of its own (postgres mode only). */
  sql(text: string, values?: unknown[]): Promise<unknown[]>;
  /** A fresh token for a user (default: the administrator). */
  token(username?: string, password?: string, extra?: Record<string, string>): Promise<string>;
  /**
   * GET or POST (form-encoded) below the base URL, parsed as JSON. `T` is the answer's shape as
   * the test expects it (`unknown` when it only compares it); untyped (`any`) when not given.
   */
  get<T = any>(pathAndQuery: string, headers?: Record<string, string>): Promise<T>;
  post<T = any>(path: string, form: Record<string, string | number | boolean>, headers?: Record<string, string>): Promise<T>;
  /** Creates a user with the given role; password = username + '-pw'. */
  addUser(username: string, role: 'administrator' | 'publisher' | 'user'): Promise<void>;
}

/**
 * Which store the test servers use: `TESSERA_TEST_STORE=postgres` runs them on PostgreSQL/PostGIS
 * (`TESSERA_TEST_POSTGRES_URL`), each server in a schema of its own, dropped on close.
 */
export const TEST_STORE = process.env.TESSERA_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function testStore(): { store?: Config['store']; drop: () => Promise<void> } {
  if (TEST_STORE !== 'postgres') return { drop: async () => undefined };
  const schema = `test_${randomBytes(6).toString('hex')}`;
  return {
    store: { kind: 'postgres', postgresUrl: POSTGRES_URL, postgresSchema: schema },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`);
      await client.end();
    },
  };
}

/** A real server on a loopback port with its own temporary data directory (and schema, on PostgreSQL). */
export async function startTestServer(config: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-test-'));
  const store = testStore();
  const server = await startServer({
    config: { port: 0, host: '127.0.0.1', dataDir, demo: false, demoPackages: false, admin: ADMIN, ...(store.store ? { store: store.store } : {}), ...config },
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    // Many servers per run on a shared machine: threads start on first use, as before.
    warmThreads: false,
  });
  const get = async <T>(pathAndQuery: string, headers: Record<string, string> = {}): Promise<T> => {
    const response = await fetch(`${server.url}${pathAndQuery}`, { headers });
    return (await response.json()) as T;
  };
  const post = async <T>(target: string, form: Record<string, string | number | boolean>, headers: Record<string, string> = {}): Promise<T> => {
    const body = new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)]));
    const response = await fetch(`${server.url}${target}`, { method: 'POST', body, headers });
    return (await response.json()) as T;
  };
  const settings = server.context.config.store;
  return {
    ...server,
    dataDir,
    env: settings.kind === 'postgres'
      ? { TESSERA_STORE: 'postgres', TESSERA_POSTGRES_URL: settings.postgresUrl, TESSERA_POSTGRES_SCHEMA: settings.postgresSchema }
      : {},
    sql: async (text, values = []): Promise<unknown[]> => {
      const client = new pg.Client({ connectionString: settings.postgresUrl });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${settings.postgresSchema}, public`);
        return (await client.query<Record<string, unknown>>(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    get,
    post,
    token: async (username = ADMIN.username, password = ADMIN.password, extra = {}) => {
      const result = await post<TokenAnswer>('/sharing/rest/generateToken', { username, password, f: 'json', ...extra });
      if (!result.token) throw new Error(`no token for ${username}: ${JSON.stringify(result)}`);
      return result.token;
    },
    addUser: (username, role) => server.context.auth.createUser(username, `${username}-pw`, role),
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
      await store.drop();
    },
  };
}
